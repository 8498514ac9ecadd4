"""Functional models list their layers, and so their weights, in Keras's order."""

import numpy as np

import cornu


def _branched(lib):
    a = lib.Input((3,), name="a")
    b = lib.Input((2,), name="b")
    left = lib.layers.Dense(4, name="left_1")(a)
    left = lib.layers.Dense(4, name="left_2")(left)
    left = lib.layers.Dense(2, name="left_3")(left)
    right = lib.layers.Dense(2, name="right_1")(b)
    shared = lib.layers.Dense(2, name="shared")
    out_1 = shared(left)
    out_2 = lib.layers.Dense(1, name="head")(shared(right))
    return lib.Model([a, b], [out_1, out_2])


def test_layer_and_weight_order_match_keras(keras):
    ours, theirs = _branched(cornu), _branched(keras)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    ours.set_weights(theirs.get_weights())
    x = [np.ones((2, 3), "float32"), np.ones((2, 2), "float32")]
    for mine, reference in zip(ours.predict(x, verbose=0), theirs.predict(x, verbose=0)):
        np.testing.assert_allclose(mine, reference, rtol=1e-6)


def test_integer_inputs_are_cast_to_the_input_dtype():
    inputs = cornu.Input((2,))
    model = cornu.Model(inputs, cornu.layers.Dense(1, kernel_initializer="ones")(inputs))
    np.testing.assert_allclose(model.predict(np.array([[1, 2]]), verbose=0), [[3.0]])
    np.testing.assert_allclose(cornu.ops.convert_to_numpy(model(np.array([[1, 2]]))), [[3.0]])
