"""Runs the same gradients through a cornu optimizer and the real Keras one."""

import numpy as np
import pytest

SHAPES = {"a": (3,), "b": (2, 4)}


def _problem(steps, seed=0):
    rng = np.random.default_rng(seed)
    weights = {k: rng.normal(size=s).astype("float32") for k, s in SHAPES.items()}
    grads = [{k: rng.normal(size=s).astype("float32") for k, s in SHAPES.items()}]
    for _ in range(steps - 1):
        grads.append({k: rng.normal(size=s).astype("float32") for k, s in SHAPES.items()})
    return weights, grads


@pytest.fixture
def compare_with_keras(keras):
    """``compare(cornu_optimizer, keras_optimizer, steps=3)``: applies the same ``steps``
    gradients to the same two weights in both, then checks the weights and every optimizer
    variable (names and values) agree to 1e-6."""

    from cornu import backend

    def compare(ours, theirs, steps=3, seed=0):
        weights, grads = _problem(steps, seed)
        our_vars = [backend.Variable(w, name=k) for k, w in weights.items()]
        their_vars = [keras.Variable(w, name=k) for k, w in weights.items()]
        for step_grads in grads:
            values = list(step_grads.values())
            ours.apply([backend.convert_to_tensor(g) for g in values], our_vars)
            theirs.apply_gradients(
                zip([keras.ops.convert_to_tensor(g) for g in values], their_vars)
            )
        for mine, ref in zip(our_vars, their_vars):
            np.testing.assert_allclose(mine.numpy(), ref.numpy(), rtol=1e-6, atol=1e-6)
        assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
        for mine, ref in zip(ours.variables, theirs.variables):
            np.testing.assert_allclose(
                mine.numpy(),
                keras.ops.convert_to_numpy(ref.value),
                rtol=1e-6,
                atol=1e-6,
                err_msg=mine.name,
            )
        return our_vars

    return compare
