"""Lambda: the output shape it declares or infers, for one input and for a list of them."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops

A = np.arange(6, dtype="float32").reshape(2, 3)
B = np.ones((2, 3), "float32")


def _shapes(out):
    return [tuple(t.shape) for t in out] if isinstance(out, list) else tuple(out.shape)


@pytest.mark.parametrize(
    "function,output_shape",
    [
        (lambda t: t[0] + t[1], (3,)),
        (lambda t: [t[0] + t[1], t[0][:, :2]], [(3,), (2,)]),
        (lambda t: t[0] + t[1], lambda shapes: (shapes[0][0], 3)),
        (lambda t: t[0] + t[1], None),
    ],
    ids=["tuple", "structure", "callable", "inferred"],
)
def test_output_shape_of_a_list_of_inputs_matches_keras(keras, function, output_shape):
    # The batch axis of the declared shapes is the first input's, as in Keras.
    def symbolic(lib):
        a, b = lib.Input((3,)), lib.Input((3,))
        out = lib.layers.Lambda(function, output_shape=output_shape)([a, b])
        return lib.Model([a, b], out), out

    model, out = symbolic(cornu)
    their_model, their_out = symbolic(keras)
    assert _shapes(out) == _shapes(their_out)
    ours = model.predict([A, B], verbose=0)
    # Keras called directly: Keras-JAX's predict fails on a Lambda returning a list (its jitted
    # predict_step returns Keras's TrackedList, which is not a JAX type).
    theirs = their_model([A, B])
    if isinstance(theirs, (list, tuple)):
        theirs = [keras.ops.convert_to_numpy(t) for t in theirs]
    else:
        theirs = keras.ops.convert_to_numpy(theirs)
    for mine, ref in zip(
        ours if isinstance(ours, list) else [ours], theirs if isinstance(theirs, list) else [theirs]
    ):
        np.testing.assert_allclose(mine, ref)


def test_output_shape_of_a_single_input():
    layer = layers.Lambda(lambda x: ops.sum(x, axis=-1, keepdims=True), output_shape=(1,))
    out = layer(cornu.Input((4, 3), batch_size=5))
    assert tuple(out.shape) == (5, 1)
    assert layer.compute_output_shape((7, 4, 3)) == (7, 1)


def test_a_list_output_shape_works_as_a_tuple():
    # A config read from JSON gives lists; Keras's own `(batch,) + [3]` would fail on one.
    layer = layers.Lambda(lambda t: t[0] - t[1], output_shape=[3])
    assert tuple(layer([cornu.Input((3,)), cornu.Input((3,))]).shape) == (None, 3)


def _absolute(x):
    return ops.abs(x)


def test_config_round_trip_keeps_the_output_shape():
    layer = layers.Lambda(_absolute, output_shape=(3,), name="absolute")
    clone = layers.Lambda.from_config(layer.get_config(), custom_objects={"_absolute": _absolute})
    assert clone.compute_output_shape([(None, 3), (None, 3)]) == (None, 3)
    np.testing.assert_array_equal(ops.convert_to_numpy(clone(-A)), A)
