"""JaxLayer, FlaxLayer and TFSMLayer: on the torch backend they refuse clearly, naming the
backend they need, with Keras's constructor signatures and error types."""

import inspect

import pytest

from cornu import backend, layers

pytestmark = pytest.mark.skipif(backend.backend() != "torch", reason="checks the torch backend")


def test_jax_layer_names_the_backend_it_needs(keras):
    with pytest.raises(ValueError, match="JaxLayer.*JAX or Tensorflow.*CORNU_BACKEND=jax.*torch"):
        layers.JaxLayer(lambda inputs: inputs)
    with pytest.raises(ValueError):
        keras.layers.JaxLayer(lambda inputs: inputs)  # Keras refuses the same way


def test_flax_layer_names_the_backend_it_needs():
    with pytest.raises(ValueError, match="FlaxLayer.*CORNU_BACKEND=jax"):
        layers.FlaxLayer(module=object())
    assert issubclass(layers.FlaxLayer, layers.JaxLayer)


def test_tfsm_layer_names_the_backend_it_needs(keras):
    with pytest.raises(NotImplementedError, match="TensorFlow backend.*CORNU_BACKEND=tensorflow"):
        layers.TFSMLayer("exported_model")
    with pytest.raises(NotImplementedError):
        keras.layers.TFSMLayer("exported_model")


@pytest.mark.parametrize("name", ["JaxLayer", "TFSMLayer"])
def test_constructor_signatures_are_keras(keras, name):
    ours = inspect.signature(getattr(layers, name).__init__).parameters
    theirs = inspect.signature(getattr(keras.layers, name).__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [
        (p.name, p.default) for p in theirs.values()
    ]


def test_flax_constructor_signature():
    params = inspect.signature(layers.FlaxLayer.__init__).parameters
    assert list(params) == ["self", "module", "method", "variables", "kwargs"]
