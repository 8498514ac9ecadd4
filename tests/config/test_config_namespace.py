"""cornu.config: every keras.config name, what each returns and what it changes."""

import logging
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import cornu
from cornu import config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(autouse=True)
def _clean_session():
    yield
    cornu.utils.clear_session(free_memory=False)
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)


def test_the_namespace_has_every_keras_config_name(keras):
    theirs = {n for n in dir(keras.config) if not n.startswith("_")}
    ours = {n for n in dir(config) if not n.startswith("_")}
    assert theirs <= ours, f"missing: {sorted(theirs - ours)}"
    assert cornu.config is config


def test_backend_settings_are_the_backends():
    assert config.backend() == os.environ.get("CORNU_BACKEND", "torch")
    assert config.floatx() == cornu.backend.floatx() == "float32"
    assert config.epsilon() == 1e-7
    assert config.image_data_format() == "channels_last"
    config.set_epsilon(1e-5)
    try:
        assert cornu.backend.epsilon() == 1e-5
    finally:
        config.set_epsilon(1e-7)


def test_interactive_logging_sends_messages_to_logging(capsys, caplog):
    from cornu.utils import io_utils

    assert config.is_interactive_logging_enabled() is True
    io_utils.print_msg("to stdout")
    assert capsys.readouterr().out == "to stdout\n"
    config.disable_interactive_logging()
    assert config.is_interactive_logging_enabled() is False
    assert cornu.utils.is_interactive_logging_enabled() is False
    with caplog.at_level(logging.INFO):
        io_utils.print_msg("to the log")
        bar = cornu.utils.Progbar(2, verbose=1)
        bar.update(2, values=[("loss", 0.5)], finalize=True)
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records]
    assert "to the log" in messages
    assert any(m.startswith("2/2") and "loss: 0.5000" in m and "\r" not in m for m in messages)
    config.enable_interactive_logging()
    assert config.is_interactive_logging_enabled() is True


def test_summary_goes_to_the_log_when_logging_is_not_interactive(capsys, caplog):
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    config.disable_interactive_logging()
    with caplog.at_level(logging.INFO):
        model.summary()
    assert capsys.readouterr().out == ""
    assert any("Total params: 8" in r.getMessage() for r in caplog.records)


def test_flash_attention_switch_reaches_attention_layers():
    assert config.is_flash_attention_enabled() is None
    assert cornu.layers.MultiHeadAttention(2, 4)._flash_attention is None
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    layer = cornu.layers.MultiHeadAttention(2, 4)
    assert layer._flash_attention is False
    assert cornu.layers.GroupedQueryAttention(4, 2, 1)._flash_attention is False
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    out_disabled = cornu.ops.convert_to_numpy(layer(x, x))
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None
    layer._flash_attention = None
    np.testing.assert_allclose(cornu.ops.convert_to_numpy(layer(x, x)), out_disabled, atol=1e-6)


def test_traceback_filtering_switch():
    assert config.is_traceback_filtering_enabled() is True
    config.disable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is False
    config.enable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() is True


def test_nnx_is_off():
    assert config.is_nnx_enabled() is False


def test_dtype_policy_names(keras):
    assert config.dtype_policy().name == "float32" == keras.config.dtype_policy().name
    config.set_dtype_policy("float64")
    assert config.dtype_policy().name == "float64"
    layer = cornu.layers.Dense(2)
    assert layer.dtype == "float64"
    layer.build((None, 3))
    assert cornu.backend.standardize_dtype(layer.kernel.dtype) == "float64"
    assert config.floatx() == "float32"  # as Keras: the policy does not change floatx
    assert cornu.layers.Dense(2, dtype="float32").dtype == "float32"
    cornu.utils.clear_session(free_memory=False)
    assert config.dtype_policy().name == "float32"


@pytest.mark.parametrize(
    "policy, message",
    [
        ("bogus", "Cannot convert 'bogus' to a mixed precision DTypePolicy. Valid policies"),
        (3, r"Invalid `policy` argument.*Received: policy=3"),
        ("int8_from_bogus", "Cannot convert 'bogus'"),
    ],
)
def test_set_dtype_policy_errors(policy, message):
    with pytest.raises(ValueError, match=message):
        config.set_dtype_policy(policy)
    assert config.dtype_policy().name == "float32"


def test_enable_unsafe_deserialization_until_clear_session():
    layer = cornu.layers.Lambda(lambda x: x * 2.0)
    serialized = cornu.utils.serialize_keras_object(layer)
    with pytest.raises(ValueError, match="lambda"):
        cornu.utils.deserialize_keras_object(serialized)
    config.enable_unsafe_deserialization()
    restored = cornu.utils.deserialize_keras_object(serialized)
    assert float(cornu.ops.convert_to_numpy(restored(np.ones((1,), "float32")))[0]) == 2.0
    cornu.utils.clear_session(free_memory=False)
    with pytest.raises(ValueError, match="lambda"):
        cornu.utils.deserialize_keras_object(serialized)


def _model():
    model = cornu.Sequential([cornu.Input((2,)), cornu.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_max_epochs_and_steps_cap_fit_evaluate_predict():
    x, y = np.ones((20, 2), "float32"), np.ones((20, 1), "float32")
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    assert (config.max_epochs(), config.max_steps_per_epoch()) == (2, 3)
    model = _model()
    with pytest.warns(UserWarning) as record:
        history = model.fit(x, y, batch_size=2, epochs=5, verbose=0)
    messages = [str(w.message) for w in record]
    assert "Limiting epochs to 2" in messages and "Limiting steps_per_epoch to 3" in messages
    assert len(history.history["loss"]) == 2
    assert int(cornu.ops.convert_to_numpy(model.optimizer.iterations)) == 6
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        predictions = model.predict(x, batch_size=2, verbose=0)
    assert predictions.shape == (6, 1)
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(model.fit(x, y, batch_size=10, epochs=3, verbose=0).history["loss"]) == 3


def test_max_epochs_errors():
    with pytest.raises(ValueError, match="`max_epochs` must be a positive integer or None"):
        config.set_max_epochs(0)
    with pytest.raises(ValueError, match="max_steps_per_epoch=1.5"):
        config.set_max_steps_per_epoch(1.5)


def _run(code, **env_extra):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("CORNU_BACKEND", None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180
    )


def test_set_backend_reloads_cornu_and_refuses_unknown_names():
    code = (
        "import cornu\n"
        "old = cornu.layers.Dense\n"
        "try:\n"
        "    cornu.config.set_backend('nope')\n"
        "except ValueError as e:\n"
        "    print('refused:', e)\n"
        "import cornu\n"
        "assert cornu.layers.Dense is old\n"
        "cornu.config.set_backend('torch')\n"
        "import cornu\n"
        "print('reloaded', cornu.layers.Dense is not old, cornu.config.backend())\n"
        "print('caps', cornu.config.max_epochs(), cornu.config.max_steps_per_epoch())\n"
    )
    result = _run(code, CORNU_MAX_EPOCHS="4", CORNU_MAX_STEPS_PER_EPOCH="7")
    assert result.returncode == 0, result.stderr
    assert "refused: Unknown backend 'nope'" in result.stdout
    assert "reloaded True torch" in result.stdout
    assert "caps 4 7" in result.stdout


def _frames_of_error_in_fit():
    import traceback

    model = _model()
    try:
        model.fit(np.ones((4, 2), "float32"), np.ones((5, 1), "float32"), verbose=0)
    except ValueError as error:
        return [frame.filename for frame in traceback.extract_tb(error.__traceback__)]
    raise AssertionError("fit accepted inputs of different lengths")


def test_traceback_filtering_hides_cornus_frames():
    package = os.path.dirname(cornu.__file__)
    frames = _frames_of_error_in_fit()
    assert frames[0] == __file__
    inner = [f for f in frames if f.startswith(package) and not f.endswith("traceback_utils.py")]
    assert len(inner) == 1  # the frame that raised; the handler's re-raise shows too, as Keras's
    config.disable_traceback_filtering()
    frames = _frames_of_error_in_fit()
    assert sum(f.startswith(package) for f in frames) > 1
