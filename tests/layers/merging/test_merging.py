"""Merging layers against Keras, in Functional models and eagerly."""

import numpy as np
import pytest

import cornu


def _pair(keras, name, kwargs, shapes):
    rng = np.random.RandomState(0)
    data = [rng.standard_normal((4,) + s).astype("float32") for s in shapes]
    outputs = []
    for lib in (cornu, keras):
        inputs = [lib.Input(s) for s in shapes]
        out = getattr(lib.layers, name)(**kwargs)(inputs)
        model = lib.Model(inputs, out)
        outputs.append((out.shape, model.predict(data, verbose=0)))
    return outputs


@pytest.mark.parametrize(
    "name,kwargs,shapes",
    [
        ("Add", {}, [(3,), (3,), (3,)]),
        ("Subtract", {}, [(2, 3), (2, 3)]),
        ("Multiply", {}, [(3,), (1,)]),
        ("Average", {}, [(3,), (3,)]),
        ("Maximum", {}, [(2, 3), (2, 3)]),
        ("Minimum", {}, [(3,), (3,)]),
        ("Concatenate", {}, [(2, 3), (2, 5)]),
        ("Concatenate", {"axis": 1}, [(2, 3), (4, 3)]),
        ("Dot", {"axes": 1}, [(3,), (3,)]),
        ("Dot", {"axes": (2, 2), "normalize": True}, [(2, 3), (4, 3)]),
        ("Dot", {"axes": (1, 2)}, [(3, 2), (4, 3)]),
    ],
)
def test_merging_layers_match_keras(keras, name, kwargs, shapes):
    (ours_shape, ours), (theirs_shape, theirs) = _pair(keras, name, kwargs, shapes)
    assert tuple(ours_shape) == tuple(theirs_shape)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_functional_forms_and_errors():
    a, b = cornu.Input((3,)), cornu.Input((3,))
    assert cornu.layers.add([a, b]).shape == (None, 3)
    assert cornu.layers.concatenate([a, b]).shape == (None, 6)
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        cornu.layers.Concatenate(axis=1)([cornu.Input((2, 3)), cornu.Input((2, 4))])
    with pytest.raises(ValueError, match="same shape"):
        cornu.layers.Add()([cornu.Input((3,)), cornu.Input((4,))])
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        cornu.layers.Subtract()([a, b, a])
    with pytest.raises(ValueError, match=r"axis values 3 .* != 4"):
        cornu.layers.Dot(axes=1)([cornu.Input((3,)), cornu.Input((4,))])
    out = cornu.layers.Add()([np.ones((2, 3), "float32"), np.ones((2, 3), "float32")])
    np.testing.assert_allclose(out.numpy(), 2.0)
