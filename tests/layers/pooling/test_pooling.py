"""MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: values against a NumPy version of
TensorFlow's rule and against Keras, 'same' padding semantics, shapes, errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.testing import run_layer_test


def tf_pool(x, pool_size, strides, padding, mode, data_format="channels_last"):
    """Pooling as TensorFlow defines it: 'same' pads ``total // 2`` cells before and the rest
    after; padded cells never win a max and are not counted in a mean."""
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    sizes, befores = [], []
    for n, k, s in zip(spatial, pool_size, strides):
        if padding == "valid":
            sizes.append((n - k) // s + 1)
            befores.append(0)
        else:
            out = -(-n // s)
            sizes.append(out)
            befores.append(max((out - 1) * s + k - n, 0) // 2)
    out = np.empty((x.shape[0], *sizes, x.shape[-1]), x.dtype)
    axes = tuple(range(1, len(spatial) + 1))
    for index in np.ndindex(*sizes):
        window = tuple(
            slice(max(i * s - b, 0), min(i * s - b + k, n))
            for i, s, b, k, n in zip(index, strides, befores, pool_size, spatial)
        )
        cells = x[(slice(None), *window, slice(None))]
        out[(slice(None), *index, slice(None))] = (
            cells.max(axes) if mode == "max" else cells.mean(axes)
        )
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


CASES = [
    (1, {"pool_size": 2}, (2, 7, 3)),
    (1, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 3)),
    (
        1,
        {"pool_size": 3, "strides": 1, "padding": "same", "data_format": "channels_first"},
        (2, 3, 5),
    ),
    (2, {"pool_size": (2, 2)}, (2, 6, 7, 3)),
    (2, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 7, 2)),
    (2, {"pool_size": (3, 2), "strides": (1, 2), "padding": "same"}, (2, 5, 5, 2)),
    (2, {"pool_size": 2, "strides": 1, "data_format": "channels_first"}, (2, 3, 4, 5)),
    (2, {"pool_size": 3, "padding": "same", "data_format": "channels_first"}, (1, 2, 7, 8)),
    (3, {"pool_size": 2}, (1, 4, 5, 4, 2)),
    (3, {"pool_size": 3, "strides": 2, "padding": "same"}, (1, 5, 6, 4, 2)),
    (3, {"pool_size": 2, "strides": 1, "data_format": "channels_first"}, (1, 2, 3, 4, 3)),
]


def _uneven(kwargs, input_shape):
    """Whether 'same' padding is uneven on some axis (where Keras's torch backend differs)."""
    if kwargs.get("padding") != "same":
        return False
    rank = len(input_shape) - 2
    channels_first = kwargs.get("data_format") == "channels_first"
    spatial = input_shape[2:] if channels_first else input_shape[1:-1]
    pool = np.broadcast_to(kwargs["pool_size"], (rank,))
    strides = np.broadcast_to(kwargs.get("strides") or kwargs["pool_size"], (rank,))
    for n, k, s in zip(spatial, pool, strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        if total % 2:
            return True
    return False


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("rank,kwargs,input_shape", CASES)
def test_values_against_tensorflow_rule_and_keras(keras, mode, rank, kwargs, input_shape):
    name = f"{'MaxPooling' if mode == 'max' else 'AveragePooling'}{rank}D"
    x = np.random.RandomState(rank).standard_normal(input_shape).astype("float32")
    layer = getattr(layers, name)(**kwargs)
    out = ops.convert_to_numpy(layer(x))
    pool = tuple(np.broadcast_to(kwargs["pool_size"], (rank,)))
    strides = tuple(np.broadcast_to(kwargs.get("strides") or pool, (rank,)))
    padding = kwargs.get("padding", "valid")
    data_format = kwargs.get("data_format", "channels_last")
    expected = tf_pool(x, pool, strides, padding, mode, data_format)
    np.testing.assert_allclose(out, expected, atol=1e-5, rtol=1e-5)
    assert tuple(layer.compute_output_shape(x.shape)) == expected.shape
    if mode == "max" or not _uneven(kwargs, input_shape):
        # Keras's torch backend counts replicated edge cells in uneven 'same' means.
        ref = getattr(keras.layers, name)(**kwargs)
        np.testing.assert_allclose(out, keras.ops.convert_to_numpy(ref(x)), atol=1e-5, rtol=1e-5)


def test_same_average_counts_only_real_cells():
    x = np.arange(1, 7, dtype="float32").reshape(1, 6, 1)
    out = layers.AveragePooling1D(3, strides=2, padding="same")(x)
    np.testing.assert_allclose(ops.convert_to_numpy(out)[0, :, 0], [2.0, 4.0, 5.5])
    corner = layers.AveragePooling2D(3, strides=1, padding="same")(np.ones((1, 4, 4, 1), "float32"))
    np.testing.assert_allclose(ops.convert_to_numpy(corner), 1.0)


def test_same_max_never_picks_a_padded_cell():
    x = -np.arange(1, 5, dtype="float32").reshape(1, 4, 1)
    out = layers.MaxPooling1D(3, strides=2, padding="same")(x)
    np.testing.assert_array_equal(ops.convert_to_numpy(out)[0, :, 0], [-1.0, -3.0])


def test_layer_checks_and_defaults():
    run_layer_test(
        layers.MaxPooling2D,
        {},
        input_shape=(2, 6, 5, 3),
        expected_output_shape=(2, 3, 2, 3),
        expected_num_trainable_weights=0,
    )
    run_layer_test(
        layers.AveragePooling3D,
        {"pool_size": 2, "padding": "same"},
        input_shape=(1, 3, 4, 5, 2),
        expected_output_shape=(1, 2, 2, 3, 2),
    )
    assert layers.MaxPooling1D().pool_size == (2,) and layers.MaxPooling3D().strides == (2, 2, 2)
    assert layers.AveragePooling2D(3, strides=1).strides == (1, 1)


def test_config_matches_keras(keras):
    for name, kwargs in (("MaxPooling2D", {}), ("AveragePooling1D", {"pool_size": 3})):
        ref = getattr(keras.layers, name)(**kwargs).get_config()
        config = getattr(layers, name)(**kwargs).get_config()
        for key in ("pool_size", "strides", "padding", "data_format"):
            assert tuple(np.atleast_1d(config[key])) == tuple(np.atleast_1d(ref[key])), key
        assert getattr(layers, name).from_config(config).get_config() == config


def test_symbolic_shapes():
    assert layers.MaxPooling2D()(cornu.Input((None, 9, 3))).shape == (None, None, 4, 3)
    x = cornu.Input((3, 7))
    assert layers.AveragePooling1D(2, padding="same", data_format="channels_first")(x).shape == (
        None,
        3,
        4,
    )


def test_errors():
    pool = layers.MaxPooling2D(name="pool")
    with pytest.raises(ValueError, match=r"'pool' \(MaxPooling2D\) expects a 4-D input.*\(4, 4\)"):
        pool(np.zeros((4, 4), "float32"))
    with pytest.raises(ValueError, match=r"'pool' \(MaxPooling2D\).*\(1, 1, 4, 2\) is too small"):
        pool(np.zeros((1, 1, 4, 2), "float32"))
    with pytest.raises(ValueError, match="`pool_size` argument must be an int or a tuple of 2"):
        layers.MaxPooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="`padding`"):
        layers.AveragePooling1D(2, padding="full")
    with pytest.raises(ValueError, match="`strides`.*> 0"):
        layers.AveragePooling2D(2, strides=0)


def test_aliases():
    assert layers.MaxPool1D is layers.MaxPooling1D
    assert layers.MaxPool2D is layers.MaxPooling2D
    assert layers.MaxPool3D is layers.MaxPooling3D
    assert layers.AvgPool1D is layers.AveragePooling1D
    assert layers.AvgPool2D is layers.AveragePooling2D
    assert layers.AvgPool3D is layers.AveragePooling3D
