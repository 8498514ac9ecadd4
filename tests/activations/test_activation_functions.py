"""Every activation against Keras's (torch backend), incl. negative inputs and non-default args."""

import numpy as np
import pytest
from backend_dtype import backend_dtype

from cornu import activations, backend, ops

X = np.array(
    [[-7.5, -3.0, -1.2, -0.5, 0.0], [0.3, 0.5, 1.0, 2.5, 6.0], [7.0, -6.0, 3.0, -2.0, 10.0]]
)
X = X.astype("float32")

CASES = [
    ("relu", {}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 5.0}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"threshold": 1.0}),
    ("relu", {"negative_slope": 0.1, "max_value": 4.0}),
    ("relu", {"negative_slope": 0.3, "threshold": 0.5}),
    ("relu", {"negative_slope": 0.2, "max_value": 6.0, "threshold": -1.0}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("relu6", {}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("softmax", {}),
    ("softmax", {"axis": 0}),
    ("log_softmax", {}),
    ("log_softmax", {"axis": 0}),
    ("softplus", {}),
    ("softsign", {}),
    ("selu", {}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("celu", {}),
    ("celu", {"alpha": 2.0}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("silu", {}),
    ("linear", {}),
    ("exponential", {}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("hard_tanh", {}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.5}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 1.5}),
    ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.4, "default_value": -1.0}),
    ("mish", {}),
    ("log_sigmoid", {}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    ("sparsemax", {}),
    ("sparsemax", {"axis": 0}),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_matches_keras(keras, name, kwargs):
    expected = ops.convert_to_numpy(getattr(keras.activations, name)(X, **kwargs))
    result = getattr(activations, name)(ops.convert_to_tensor(X), **kwargs)
    assert ops.is_tensor(result)
    assert tuple(result.shape) == X.shape
    assert ops.dtype(result) == "float32"
    np.testing.assert_allclose(ops.convert_to_numpy(result), expected, rtol=1e-6, atol=1e-6)


def test_glu_matches_keras(keras):
    x = X[:, :4]
    expected = ops.convert_to_numpy(keras.activations.glu(x))
    np.testing.assert_allclose(
        ops.convert_to_numpy(activations.glu(ops.convert_to_tensor(x))), expected, atol=1e-6
    )
    expected = ops.convert_to_numpy(keras.activations.glu(x[:2], axis=0))
    result = activations.glu(ops.convert_to_tensor(x[:2]), axis=0)
    np.testing.assert_allclose(ops.convert_to_numpy(result), expected, atol=1e-6)


def test_aliases_are_the_same_functions():
    assert activations.swish is activations.silu
    assert activations.hard_swish is activations.hard_silu


def test_relu_docstring_examples():
    x = ops.convert_to_tensor([-10.0, -5.0, 0.0, 5.0, 10.0])
    relu = activations.relu
    np.testing.assert_allclose(ops.convert_to_numpy(relu(x)), [0, 0, 0, 5, 10])
    np.testing.assert_allclose(
        ops.convert_to_numpy(relu(x, negative_slope=0.5)), [-5, -2.5, 0, 5, 10]
    )
    np.testing.assert_allclose(ops.convert_to_numpy(relu(x, max_value=5.0)), [0, 0, 0, 5, 5])
    np.testing.assert_allclose(ops.convert_to_numpy(relu(x, threshold=5.0)), [0, 0, 0, 0, 10])


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softsign", "selu", "silu"])
def test_lists_and_numpy_arrays_are_accepted(name):
    fn = getattr(activations, name)
    from_list = ops.convert_to_numpy(fn([-1.0, 0.5, 2.0]))
    from_array = ops.convert_to_numpy(fn(np.array([-1.0, 0.5, 2.0], dtype="float32")))
    np.testing.assert_allclose(from_list, from_array)
    np.testing.assert_allclose(
        ops.convert_to_numpy(activations.exponential([0.0, 1.0])), [1.0, np.e], rtol=1e-6
    )


def test_linear_returns_its_input():
    x = ops.convert_to_tensor(X)
    assert activations.linear(x) is x


def test_activations_keep_float64():
    x = ops.convert_to_tensor(X.astype("float64"))
    for name in ("relu", "gelu", "softmax", "mish", "hard_sigmoid"):
        assert ops.dtype(getattr(activations, name)(x)) == backend_dtype("float64")


@pytest.mark.requires_training
def test_gradients_flow():
    x = np.array([-1.0, 0.5, 2.0], dtype="float32")
    _, (grad,) = backend.value_and_gradients(lambda t: ops.sum(activations.gelu(t)), [x])
    # d/dx of x * Phi(x) (approximate=False) is Phi(x) + x * phi(x).
    phi = np.exp(-(x.astype("float64") ** 2) / 2) / np.sqrt(2 * np.pi)
    cdf = np.array([0.15865525, 0.69146246, 0.97724987])
    np.testing.assert_allclose(ops.convert_to_numpy(grad), cdf + x * phi, rtol=1e-5, atol=1e-6)
