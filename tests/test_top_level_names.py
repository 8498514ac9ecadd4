"""The subpackages reachable after a plain ``import cornu``, and the top-level names' behaviour
(that every Keras name exists is tests/test_keras_surface.py's job)."""

import os
import subprocess
import sys

import cornu

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_subpackages_after_a_plain_import():
    code = (
        "import cornu\n"
        "print(cornu.datasets.mnist.load_data.__name__, cornu.config.floatx(),\n"
        "      cornu.tree.flatten([[1], 2]), cornu.legacy.saving.serialize_keras_object.__name__,\n"
        "      cornu.utils.legacy.deserialize_keras_object.__name__, cornu.random.gamma.__name__)\n"
    )
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "load_data",
        "float32",
        "[1,",
        "2]",
        "serialize_keras_object",
        "deserialize_keras_object",
        "gamma",
    ]


def test_classes_are_cornus_own():
    assert cornu.Initializer is cornu.initializers.Initializer
    assert cornu.Regularizer is cornu.regularizers.Regularizer
    assert cornu.InputSpec is cornu.layers.InputSpec
    assert isinstance(cornu.initializers.Zeros(), cornu.Initializer)
    assert isinstance(cornu.regularizers.L2(), cornu.Regularizer)


def test_version():
    assert cornu.version() == cornu.__version__
    assert isinstance(cornu.version(), str)


def test_device_places_new_tensors():
    with cornu.device("cpu"):
        x = cornu.ops.ones((2,))
        # "cpu" on torch; jax names the device with its index ("cpu:0").
        assert cornu.backend.get_device().split(":")[0] == "cpu"
    assert "cpu" in str(x.device).lower()


def test_backend_has_kerass_names(keras):
    theirs = {n for n in dir(keras.backend) if not n.startswith("_")}
    assert theirs <= set(dir(cornu.backend))
    assert cornu.backend.clear_session is cornu.utils.clear_session
    assert cornu.backend.get_uid("x") == 1 and cornu.backend.get_uid("x") == 2
    cornu.backend.clear_session()
    assert cornu.backend.get_uid("x") == 1
