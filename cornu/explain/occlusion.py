"""Occlusion (Zeiler & Fergus, 2014): how much the target score drops when a window of the
input is covered, averaged over the windows covering each value. Needs no gradients."""

import itertools

import numpy as np

from cornu.explain._problem import Problem


def occlusion(model, inputs, window, targets=None, strides=None, baseline=0.0, output=None):
    """Occlusion attributions for a single-input model.

    Args:
        model: a model.
        inputs: a batch of inputs `(batch, *dims)`; integer token ids work too (covered
            with `baseline`, e.g. a padding id).
        window: the covered window's shape over the non-batch axes: one size per axis, or
            one fewer (the last axis, e.g. the channels, is then covered whole).
        targets: the class to explain, one index or one per sample (default: predicted).
        strides: the window's step per axis (default: the window itself, no overlap).
        baseline: the value written into the covered window.
        output: the index or name of the output to explain, for a model with several.

    Returns:
        An array shaped like `inputs`: for each value, the mean of `f(x) - f(x covered)` over
        the windows that cover it (as Captum's `Occlusion`).
    """
    if isinstance(inputs, (list, tuple)):
        raise ValueError("occlusion: `inputs` must be one array (a model with one input).")
    problem = Problem(model, inputs, targets, output, None, "occlusion")
    x = problem.xs[0]
    dims = x.shape[1:]
    window = tuple(int(w) for w in np.atleast_1d(window))
    if len(window) == len(dims) - 1:
        window = window + (dims[-1],)
    if len(window) != len(dims) or any(w < 1 or w > d for w, d in zip(window, dims)):
        raise ValueError(
            f"occlusion: `window` must give a size between 1 and the axis' length for each "
            f"non-batch axis of the inputs {dims} (or all but the last). Received: {window}"
        )
    strides = window if strides is None else tuple(int(s) for s in np.atleast_1d(strides))
    if len(strides) == len(dims) - 1:
        strides = strides + (dims[-1],)
    if len(strides) != len(dims) or any(s < 1 for s in strides):
        raise ValueError(
            f"occlusion: `strides` must give a positive step for each non-batch axis {dims}. "
            f"Received: {strides}"
        )
    reference = problem.scores([x])
    total = np.zeros(x.shape, "float32")
    counts = np.zeros(dims, "float32")
    # As Captum: windows step until one reaches the end (the last one may be cut short).
    starts = [range(0, -(-(d - w) // s) * s + 1, s) for d, w, s in zip(dims, window, strides)]
    for start in itertools.product(*starts):
        region = tuple(slice(b, b + w) for b, w in zip(start, window))
        covered = x.copy()
        covered[(slice(None),) + region] = baseline
        drop = reference - problem.scores([covered])
        total[(slice(None),) + region] += drop.reshape((-1,) + (1,) * len(dims))
        counts[region] += 1
    return total / np.maximum(counts, 1)
