"""ReLU, LeakyReLU, PReLU, ELU and Softmax: values against Keras, configs, masks, errors."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.testing import run_layer_test

X = np.linspace(-4, 4, 24, dtype="float32").reshape(2, 3, 4)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("ReLU", {}),
        ("ReLU", {"max_value": 2.0, "negative_slope": 0.5, "threshold": 1.0}),
        ("LeakyReLU", {}),
        ("LeakyReLU", {"negative_slope": 0.1}),
        ("ELU", {"alpha": 0.5}),
        ("Softmax", {}),
        ("Softmax", {"axis": 1}),
        ("Softmax", {"axis": [1, 2]}),
        ("PReLU", {"alpha_initializer": "ones"}),
        ("PReLU", {"shared_axes": [1]}),
    ],
)
def test_layers_match_keras(oracle, keras, name, kwargs):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    if name == "PReLU":
        theirs.build(X.shape)
        rng = np.random.RandomState(1)
        theirs.set_weights([rng.uniform(0, 1, w.shape) for w in theirs.get_weights()])
    oracle.layer(ours, theirs, X)
    run_layer_test(
        getattr(layers, name),
        kwargs,
        input_data=X,
        expected_num_trainable_weights=1 if name == "PReLU" else 0,
        supports_masking=True,
    )


def test_relu_formula():
    x = np.array([-10, -5, 0.0, 5, 10], "float32")
    out = layers.ReLU(max_value=10, negative_slope=0.5, threshold=0)(x)
    np.testing.assert_allclose(ops.convert_to_numpy(out), [-5.0, -2.5, 0.0, 5.0, 10.0])


def test_configs_have_keras_keys(keras):
    for name, kwargs in [
        ("ReLU", {"max_value": 3.0}),
        ("LeakyReLU", {"negative_slope": 0.2}),
        ("ELU", {"alpha": 0.5}),
        ("Softmax", {"axis": 1}),
        ("PReLU", {"shared_axes": [1, 2]}),
    ]:
        ours = getattr(layers, name)(**kwargs).get_config()
        theirs = getattr(keras.layers, name)(**kwargs).get_config()
        assert sorted(ours) == sorted(theirs), name
        for key in theirs:
            if key not in ("name", "dtype"):
                assert ours[key] == theirs[key], (name, key)


def test_leaky_relu_accepts_legacy_alpha():
    with pytest.warns(UserWarning, match="alpha"):
        layer = layers.LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2


def test_prelu_weight_layout(keras):
    for shared in (None, [1, 2], 2):
        ours = layers.PReLU(shared_axes=shared)
        theirs = keras.layers.PReLU(shared_axes=shared)
        ours.build((None, 3, 4, 5))
        theirs.build((None, 3, 4, 5))
        assert tuple(ours.alpha.shape) == tuple(theirs.alpha.shape)


def test_softmax_mask_matches_keras(oracle, keras):
    x = np.random.RandomState(0).standard_normal((2, 3, 4)).astype("float32")
    mask = np.array([[1, 1, 0, 1], [0, 0, 0, 0]], bool)[:, None, :]
    oracle.layer(layers.Softmax(), keras.layers.Softmax(), x, mask=mask)
    out = ops.convert_to_numpy(layers.Softmax()(x, mask=mask))
    assert np.all(out[1] == 0.0) and np.all(out[0, :, 2] == 0.0)
    float_mask = mask.astype("float32")
    oracle.layer(layers.Softmax(), keras.layers.Softmax(), x, mask=float_mask)


def test_errors():
    with pytest.raises(ValueError, match="max_value"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.ReLU(negative_slope=-0.1)
    with pytest.raises(ValueError, match="threshold"):
        layers.ReLU(threshold=None)
    with pytest.raises(ValueError, match="negative_slope"):
        layers.LeakyReLU(negative_slope=-1)
    with pytest.raises(ValueError, match="mask"):
        layers.Softmax()(X, mask=np.ones((2, 3, 4, 1), bool))
    with pytest.raises(ValueError, match="broadcastable"):
        layers.Softmax()(X, mask=np.ones((2, 3, 3), bool))
    with pytest.raises(ValueError, match="shared_axes"):
        layers.PReLU(shared_axes=[3])(X)
