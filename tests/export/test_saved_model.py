"""``model.export(path, format="tf_saved_model")``: a SavedModel whose ``serve`` endpoint gives
the model's predictions (TensorFlow backend); a clear error on the other backends."""

import os

import numpy as np
import pytest

import cornu
from cornu.core import config

on_tensorflow = pytest.mark.backends("tensorflow")


def _model():
    model = cornu.Sequential(
        [
            cornu.Input((3,)),
            cornu.layers.Dense(4, activation="relu"),
            cornu.layers.BatchNormalization(),
            cornu.layers.Dense(2),
        ]
    )
    # Moving statistics away from their initial values, so inference mode is visible.
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.RandomState(0)
    model.fit(rng.standard_normal((16, 3)), rng.standard_normal((16, 2)), verbose=0)
    return model


@on_tensorflow
def test_serve_endpoint_gives_the_predictions(tmp_path, capsys):
    import tensorflow as tf

    model = _model()
    path = str(tmp_path / "exported")
    model.export(path, format="tf_saved_model")
    assert "Saved artifact at" in capsys.readouterr().out
    assert os.path.isfile(os.path.join(path, "saved_model.pb"))
    loaded = tf.saved_model.load(path)
    for batch in (1, 5):  # the batch axis stays dynamic
        x = np.random.RandomState(batch).standard_normal((batch, 3)).astype("float32")
        np.testing.assert_allclose(
            loaded.serve(x).numpy(), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
        )
    outputs = loaded.signatures["serving_default"](tf.constant(np.ones((2, 3), "float32")))
    np.testing.assert_allclose(
        list(outputs.values())[0].numpy(),
        model.predict(np.ones((2, 3), "float32"), verbose=0),
        rtol=1e-5,
        atol=1e-6,
    )
    assert len(loaded.variables) == len(model.variables)


@on_tensorflow
def test_multiple_inputs_and_overwriting(tmp_path):
    import tensorflow as tf

    a = cornu.Input((3,), name="a")
    b = cornu.Input((2,), name="b")
    merged = cornu.layers.Concatenate()([cornu.layers.Dense(2)(a), b])
    model = cornu.Model([a, b], cornu.layers.Dense(1)(merged))
    path = str(tmp_path / "two")
    os.makedirs(path)
    with open(os.path.join(path, "stale.txt"), "w") as f:
        f.write("old")
    model.export(path, format="tf_saved_model", verbose=False)
    assert not os.path.exists(os.path.join(path, "stale.txt"))
    xa = np.ones((4, 3), "float32")
    xb = np.full((4, 2), 2.0, "float32")
    loaded = tf.saved_model.load(path)
    np.testing.assert_allclose(
        loaded.serve([xa, xb]).numpy(), model.predict([xa, xb], verbose=0), rtol=1e-5
    )
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []
    signature = loaded.signatures["serving_default"]
    outputs = signature(a=tf.constant(xa), b=tf.constant(xb))
    np.testing.assert_allclose(
        list(outputs.values())[0].numpy(), model.predict([xa, xb], verbose=0), rtol=1e-5
    )


@on_tensorflow
def test_saved_model_errors(tmp_path):
    model = _model()
    target = tmp_path / "a_file"
    target.write_text("x")
    with pytest.raises(ValueError, match="is a file"):
        model.export(str(target), format="tf_saved_model", verbose=False)
    assert target.read_text() == "x"
    with pytest.raises(ValueError, match="Unsupported arguments"):
        model.export(str(tmp_path / "m"), format="tf_saved_model", opset_version=3)
    with pytest.raises(NotImplementedError, match="torch backend"):
        model.export(str(tmp_path / "m.onnx"), format="onnx")


def test_other_backends_name_the_tensorflow_backend(tmp_path):
    if config.backend() == "tensorflow":
        pytest.skip("the TensorFlow backend writes SavedModels")
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    with pytest.raises(ValueError, match="CORNU_BACKEND=tensorflow"):
        model.export(str(tmp_path / "m"), format="tf_saved_model")
    assert not os.path.exists(tmp_path / "m")
