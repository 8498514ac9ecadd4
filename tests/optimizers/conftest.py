"""Runs the same gradients through a cornu optimizer and the real Keras one."""

import re

import numpy as np
import pytest

SHAPES = {"a": (3,), "b": (2, 4)}


def _problem(steps, seed=0, shapes=None):
    shapes = shapes or SHAPES
    rng = np.random.default_rng(seed)
    weights = {k: rng.normal(size=s).astype("float32") for k, s in shapes.items()}
    grads = []
    for _ in range(steps):
        grads.append({k: rng.normal(size=s).astype("float32") for k, s in shapes.items()})
    return weights, grads


def keras_name(name):
    """A Keras variable name without the global counter Keras appends to unnamed variables
    (Nadam's `variable_3` is `variable`)."""
    return re.sub(r"^variable_\d+$", "variable", name)


@pytest.fixture
def compare_with_keras(keras):
    """``compare(cornu_optimizer, keras_optimizer, steps=3, seed=0, shapes=None, atol=1e-6)``:
    applies the same ``steps`` gradients to the same weights (``shapes``: name -> shape) in
    both, then checks the weights and every optimizer variable (names and values) agree."""

    from cornu import backend

    def compare(ours, theirs, steps=3, seed=0, shapes=None, atol=1e-6):
        weights, grads = _problem(steps, seed, shapes)
        our_vars = [backend.Variable(w, name=k) for k, w in weights.items()]
        their_vars = [keras.Variable(w, name=k) for k, w in weights.items()]
        for step_grads in grads:
            values = list(step_grads.values())
            ours.apply([backend.convert_to_tensor(g) for g in values], our_vars)
            theirs.apply_gradients(
                zip([keras.ops.convert_to_tensor(g) for g in values], their_vars)
            )
        for mine, ref in zip(our_vars, their_vars):
            np.testing.assert_allclose(
                mine.numpy(), ref.numpy(), rtol=atol, atol=atol, err_msg=mine.name
            )
        assert [v.name for v in ours.variables] == [keras_name(v.name) for v in theirs.variables]
        for mine, ref in zip(ours.variables, theirs.variables):
            np.testing.assert_allclose(
                mine.numpy(),
                keras.ops.convert_to_numpy(ref.value),
                rtol=atol,
                atol=atol,
                err_msg=mine.name,
            )
        return our_vars

    return compare
