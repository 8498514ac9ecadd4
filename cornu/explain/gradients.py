"""Gradient attributions: saliency (vanilla gradients), gradient × input and SmoothGrad."""

import numpy as np

from cornu.explain._problem import Problem


def saliency(model, inputs, targets=None, output=None, layer=None, absolute=False):
    """Vanilla gradients: the gradient of the target class's score with respect to the input.

    Args:
        model: a model (any cornu model; `layer=` needs a Functional or Sequential one).
        inputs: a batch of inputs (an array, or a list of arrays for several inputs).
        targets: the class to explain, one index or one per sample (default: the predicted
            class; a model with one output unit explains that unit).
        output: the index or name of the output to explain, for a model with several.
        layer: the name of a layer whose output the attributions are for, instead of the
            inputs (e.g. the Embedding of a model of integer tokens).
        absolute: whether to return the gradients' absolute values.

    Returns:
        Arrays shaped like `inputs` (or the layer's output): d score / d input.
    """
    problem = Problem(model, inputs, targets, output, layer, "saliency")
    problem.check_differentiable()
    grads = problem.gradients(problem.points())
    if absolute:
        grads = [np.abs(g) for g in grads]
    return problem.result(grads)


def gradient_x_input(model, inputs, targets=None, output=None, layer=None):
    """Gradient × input: each input value times the target score's gradient with respect
    to it (arguments as in `saliency`). Returns arrays shaped like `inputs`."""
    problem = Problem(model, inputs, targets, output, layer, "gradient_x_input")
    problem.check_differentiable()
    points = problem.points()
    grads = problem.gradients(points)
    return problem.result([g * np.asarray(p, g.dtype) for g, p in zip(grads, points)])


def smoothgrad(
    model,
    inputs,
    targets=None,
    output=None,
    layer=None,
    samples=25,
    noise_level=0.15,
    squared=False,
    seed=None,
):
    """SmoothGrad: the saliency averaged over noisy copies of the input (Smilkov et al.).

    Args:
        model, inputs, targets, output, layer: as in `saliency`.
        samples: the number of noisy copies.
        noise_level: the noise's standard deviation, as a fraction of each sample's value
            range (`max - min`).
        squared: whether to average the squared gradients (SmoothGrad-Squared).
        seed: seed of the noise (NumPy), for repeatable maps.

    Returns:
        Arrays shaped like `inputs` (or the layer's output).
    """
    if int(samples) < 1:
        raise ValueError(f"smoothgrad: `samples` must be a positive integer. Received: {samples}")
    problem = Problem(model, inputs, targets, output, layer, "smoothgrad")
    problem.check_differentiable()
    points = [np.asarray(p, "float32") for p in problem.points()]
    rng = np.random.default_rng(seed)
    sigmas = []
    for p in points:
        flat = p.reshape(len(p), -1)
        spread = (flat.max(axis=1) - flat.min(axis=1)) * noise_level
        sigmas.append(spread.reshape((-1,) + (1,) * (p.ndim - 1)).astype("float32"))
    totals = [np.zeros_like(p) for p in points]
    for _ in range(int(samples)):
        noisy = [
            p + rng.standard_normal(p.shape).astype("float32") * s for p, s in zip(points, sigmas)
        ]
        for total, g in zip(totals, problem.gradients(noisy)):
            total += g * g if squared else g
    return problem.result([t / int(samples) for t in totals])
