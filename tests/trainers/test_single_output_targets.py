"""A model of one output takes its targets as an array or as a list of one, whether it was
built with ``outputs=out`` or ``outputs=[out]``, with Keras's numbers."""

import numpy as np
import pytest

import cornu

rng = np.random.RandomState(0)
X = rng.rand(16, 4).astype("float32")
Y = rng.rand(16, 2).astype("float32")


def build(lib, output_as_list):
    inputs = lib.Input((4,))
    out = lib.layers.Dense(2, kernel_initializer="ones")(inputs)
    model = lib.Model(inputs, [out] if output_as_list else out)
    model.compile(lib.optimizers.SGD(0.1), "mse", metrics=["mae"])
    return model


@pytest.mark.parametrize(
    "output_as_list, targets",
    [(True, [Y]), (True, Y), (False, [Y]), (False, (Y,))],
    ids=["list-output-list-y", "list-output-array-y", "tensor-output-list-y", "tuple-y"],
)
def test_targets_of_a_single_output_model_match_keras(keras, output_as_list, targets):
    ours, theirs = build(cornu, output_as_list), build(keras, output_as_list)
    kwargs = dict(epochs=2, batch_size=8, shuffle=False, verbose=0)
    history = ours.fit(X, targets, **kwargs).history
    expected = theirs.fit(X, targets, **kwargs).history
    for key in ("loss", "mae"):
        np.testing.assert_allclose(history[key], expected[key], rtol=1e-5)
    np.testing.assert_allclose(
        ours.evaluate(X, targets, verbose=0), theirs.evaluate(X, targets, verbose=0), rtol=1e-5
    )
