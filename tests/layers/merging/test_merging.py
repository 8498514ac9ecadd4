"""Merging layers against Keras: eagerly, in Functional models, with masks, and their
errors."""

import numpy as np
import pytest

import cornu
from cornu import ops


def _pair(keras, name, kwargs, shapes):
    rng = np.random.RandomState(0)
    data = [rng.standard_normal((4,) + s).astype("float32") for s in shapes]
    outputs = []
    for lib in (cornu, keras):
        inputs = [lib.Input(s) for s in shapes]
        out = getattr(lib.layers, name)(**kwargs)(inputs)
        model = lib.Model(inputs, out)
        eager = lib.ops.convert_to_numpy(getattr(lib.layers, name)(**kwargs)(data))
        outputs.append((out.shape, model.predict(data, verbose=0), eager))
    return outputs


@pytest.mark.parametrize(
    "name,kwargs,shapes",
    [
        ("Add", {}, [(3,), (3,), (3,)]),
        ("Add", {}, [(4,), (3, 4)]),  # lower rank: size-1 axes after the batch axis
        ("Subtract", {}, [(2, 3), (2, 3)]),
        ("Multiply", {}, [(3,), (1,)]),
        ("Multiply", {}, [(2, 1), (2, 3)]),
        ("Average", {}, [(3,), (3,)]),
        ("Maximum", {}, [(2, 3), (2, 3)]),
        ("Minimum", {}, [(3,), (2, 3)]),
        ("Concatenate", {}, [(2, 3), (2, 5)]),
        ("Concatenate", {"axis": 1}, [(2, 3), (4, 3)]),
        ("Dot", {"axes": 1}, [(3,), (3,)]),
        ("Dot", {"axes": (2, 2), "normalize": True}, [(2, 3), (4, 3)]),
        ("Dot", {"axes": (1, 2)}, [(3, 2), (4, 3)]),
        ("Dot", {"axes": -1}, [(2, 3), (5, 3)]),
    ],
)
def test_merging_layers_match_keras(keras, name, kwargs, shapes):
    (ours_shape, ours, ours_eager), (theirs_shape, theirs, _) = _pair(keras, name, kwargs, shapes)
    assert tuple(ours_shape) == tuple(theirs_shape)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours_eager, theirs, rtol=1e-5, atol=1e-6)


def test_build_with_a_list_of_shapes_and_configs(keras):
    layer = cornu.layers.Add()
    layer.build([(None, 3), (None, 3)])
    assert layer.built
    assert layer.compute_output_shape([(None, 3), (None, 2, 3)]) == (None, 2, 3)
    concat = cornu.layers.Concatenate(axis=1)
    assert concat.compute_output_shape([(2, 3, 4), (2, 5, 4)]) == (2, 8, 4)
    for name, kwargs in [
        ("Concatenate", {"axis": 1}),
        ("Dot", {"axes": (1, 2), "normalize": True}),
    ]:
        config = getattr(cornu.layers, name)(**kwargs).get_config()
        theirs = getattr(keras.layers, name).from_config(config).get_config()
        assert {k: v for k, v in theirs.items() if k not in ("name", "dtype")} == {
            k: v for k, v in config.items() if k not in ("name", "dtype")
        }


@pytest.mark.requires_training
def test_two_input_model_trains_and_predicts():
    a, b = cornu.Input((3,)), cornu.Input((3,))
    merged = cornu.layers.concatenate([cornu.layers.add([a, b]), cornu.layers.multiply([a, b])])
    model = cornu.Model([a, b], cornu.layers.Dense(1)(merged))
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.RandomState(1)
    x = [rng.standard_normal((8, 3)).astype("float32") for _ in range(2)]
    model.fit(x, np.zeros((8, 1), "float32"), epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (8, 1)


def _masked_inputs(lib, a, b, mask_a, mask_b):
    import torch

    a, b = torch.tensor(a), torch.tensor(b)
    if mask_a is not None:
        a._keras_mask = torch.tensor(mask_a)
    if mask_b is not None:
        b._keras_mask = torch.tensor(mask_b)
    return [a, b]


@pytest.mark.parametrize(
    "name", ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"]
)
@pytest.mark.parametrize("both_masked", [True, False])
def test_masks_match_keras(keras, name, both_masked):
    rng = np.random.RandomState(2)
    a = rng.standard_normal((2, 3, 4)).astype("float32")
    b = rng.standard_normal((2, 3, 4)).astype("float32")
    mask_a = np.array([[1, 1, 0], [1, 0, 0]], bool)
    mask_b = np.array([[1, 0, 0], [1, 1, 0]], bool) if both_masked else None
    results = []
    for lib in (cornu, keras):
        out = getattr(lib.layers, name)()(_masked_inputs(lib, a, b, mask_a, mask_b))
        mask = getattr(out, "_keras_mask", None)
        results.append(
            (
                lib.ops.convert_to_numpy(out),
                None if mask is None else np.asarray(lib.ops.convert_to_numpy(mask)),
            )
        )
    (ours, our_mask), (theirs, their_mask) = results
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    if their_mask is None:
        assert our_mask is None
    else:
        np.testing.assert_array_equal(our_mask, their_mask)


def test_symbolic_masks_are_or_of_input_masks():
    class MaskFirstStep(cornu.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, x):
            return x

        def compute_output_shape(self, input_shape):
            return input_shape

        def compute_mask(self, x, mask=None):
            return ops.not_equal(x[:, :, 0], 0.0)

    a, b = cornu.Input((3, 2)), cornu.Input((3, 2))
    out = cornu.layers.Maximum()([MaskFirstStep()(a), MaskFirstStep()(b)])
    assert out._keras_mask.shape == (None, 3)
    model = cornu.Model([a, b], out)
    x1 = np.array([[[1, 1], [0, 5], [0, 0]]], "float32")
    x2 = np.array([[[0, 2], [3, 1], [0, 0]]], "float32")
    y = model([x1, x2])
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(y._keras_mask), [[True, True, False]])
    # Maximum ignores masked entries: step 0 takes x1, step 1 takes x2
    np.testing.assert_array_equal(ops.convert_to_numpy(y)[0, :2], [[1, 1], [3, 1]])


def test_errors_name_the_layer_and_shapes():
    a, b = cornu.Input((3,)), cornu.Input((3,))
    assert cornu.layers.add([a, b]).shape == (None, 3)
    assert cornu.layers.concatenate([a, b]).shape == (None, 6)
    with pytest.raises(
        ValueError,
        match=r"Layer 'cat': a `Concatenate` layer requires inputs with matching shapes except "
        r"for the concatenation axis. Received: input_shape=\[\(None, 2, 3\), \(None, 2, 4\)\]",
    ):
        cornu.layers.Concatenate(axis=1, name="cat")([cornu.Input((2, 3)), cornu.Input((2, 4))])
    with pytest.raises(
        ValueError,
        match=r"Layer 'plus' \(Add\): inputs have incompatible shapes. "
        r"Received shapes \(3,\) and \(4,\)",
    ):
        cornu.layers.Add(name="plus")([cornu.Input((3,)), cornu.Input((4,))])
    with pytest.raises(
        ValueError,
        match=r"Layer 'sub': a `Subtract` layer should be called on "
        "exactly 2 inputs",
    ):
        cornu.layers.Subtract(name="sub")([a, b, a])
    with pytest.raises(
        ValueError,
        match=r"Layer 'dot': incompatible input shapes: axis values "
        r"3 \(at axis 1\) != 4 \(at axis 1\)",
    ):
        cornu.layers.Dot(axes=1, name="dot")([cornu.Input((3,)), cornu.Input((4,))])
    with pytest.raises(ValueError, match="should be called on a list of inputs"):
        cornu.layers.Add()(a)
    with pytest.raises(ValueError, match="different batch sizes"):
        cornu.layers.Add()([np.ones((2, 3), "float32"), np.ones((3, 3), "float32")])
    with pytest.raises(TypeError, match="Invalid type for argument `axes`"):
        cornu.layers.Dot(axes="x")
    out = cornu.layers.Add()([np.ones((2, 3), "float32"), np.ones((2, 3), "float32")])
    np.testing.assert_allclose(cornu.ops.convert_to_numpy(out), 2.0)
