"""integrated_gradients: completeness, the quadratures, and agreement with Captum."""

import numpy as np
import pytest
import torch

import cornu
from cornu import explain

METHODS = ["gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid"]


def scores(model, x, targets):
    out = cornu.ops.convert_to_numpy(model(x))
    return out[np.arange(len(x)), targets]


@pytest.mark.parametrize("fixture,shape", [("mlp", (4, 6)), ("cnn", (2, 8, 8, 2))])
def test_completeness(request, rng, fixture, shape):
    """Attributions sum to f(x) - f(baseline) within 1e-4 (50 Gauss-Legendre steps)."""
    model = request.getfixturevalue(fixture)
    x = rng.standard_normal(shape).astype("float32")
    baseline = np.full(shape[1:], 0.25, "float32")
    targets = np.arange(shape[0]) % 3
    attributions, delta = explain.integrated_gradients(
        model, x, targets=targets, baseline=baseline, return_delta=True
    )
    assert attributions.shape == x.shape
    expected = scores(model, x, targets) - scores(
        model, np.broadcast_to(baseline, x.shape), targets
    )
    summed = attributions.reshape(len(x), -1).sum(axis=1)
    np.testing.assert_allclose(summed, expected, atol=1e-4)
    np.testing.assert_allclose(delta, summed - expected, atol=1e-5)


@pytest.mark.parametrize("method", METHODS)
def test_quadratures_converge(mlp, rng, method):
    """The left, right and (Captum's) trapezoid rules are first order: 4x the steps gives
    about a quarter of the error, whose size depends on the model's random weights (which
    differ by backend). Gauss-Legendre and the midpoint rule are exact to float32 noise."""
    x = rng.standard_normal((3, 6)).astype("float32")
    errors = [
        np.abs(
            explain.integrated_gradients(
                mlp, x, targets=0, steps=steps, method=method, return_delta=True
            )[1]
        ).max()
        for steps in (50, 200)
    ]
    if method in ("riemann_left", "riemann_right", "riemann_trapezoid"):
        assert errors[1] < 1e-2
        assert errors[1] < errors[0] / 3
    else:
        assert max(errors) < 1e-4


def test_linear_model_attributions_are_exact(rng):
    model = cornu.Sequential([cornu.Input((5,)), cornu.layers.Dense(2)])
    x = rng.standard_normal((3, 5)).astype("float32")
    kernel = cornu.ops.convert_to_numpy(model.layers[0].kernel)
    attributions = explain.integrated_gradients(model, x, targets=1, steps=4, baseline=1.0)
    np.testing.assert_allclose(attributions, (x - 1.0) * kernel[:, 1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("method", ["gausslegendre", "riemann_trapezoid", "riemann_middle"])
@pytest.mark.parametrize("fixture,shape", [("mlp", (4, 6)), ("cnn", (2, 8, 8, 2))])
@pytest.mark.backends("torch")  # Captum explains a torch.nn.Module
def test_agrees_with_captum(request, rng, method, fixture, shape):
    """A cornu model is a torch.nn.Module, so Captum explains it directly."""
    captum = pytest.importorskip("captum.attr")
    model = request.getfixturevalue(fixture)
    x = rng.standard_normal(shape).astype("float32")
    baseline = rng.standard_normal(shape).astype("float32") * 0.1
    targets = np.arange(shape[0]) % 3
    theirs = captum.IntegratedGradients(model).attribute(
        torch.from_numpy(x),
        baselines=torch.from_numpy(baseline),
        target=torch.from_numpy(targets),
        n_steps=16,
        method=method,
    )
    ours = explain.integrated_gradients(
        model, x, targets=targets, baseline=baseline, steps=16, method=method
    )
    np.testing.assert_allclose(ours, theirs.detach().numpy(), atol=2e-6, rtol=1e-4)


def test_embedding_output_completeness(rng):
    model = cornu.Sequential(
        [
            cornu.Input((5,), dtype="int32"),
            cornu.layers.Embedding(10, 4, name="embedding"),
            cornu.layers.LSTM(3),
            cornu.layers.Dense(2),
        ]
    )
    tokens = rng.integers(0, 10, size=(2, 5)).astype("int32")
    attributions, delta = explain.integrated_gradients(
        model, tokens, layer="embedding", return_delta=True
    )
    assert attributions.shape == (2, 5, 4)
    assert np.abs(delta).max() < 1e-4


def test_bad_arguments(mlp, rng):
    x = rng.standard_normal((2, 6)).astype("float32")
    with pytest.raises(ValueError, match="`method` must be one of"):
        explain.integrated_gradients(mlp, x, method="simpson")
    with pytest.raises(ValueError, match="`steps` must be at least 2"):
        explain.integrated_gradients(mlp, x, steps=1, method="riemann_left")
    with pytest.raises(ValueError, match=r"`baseline` of shape \(3,\) does not broadcast"):
        explain.integrated_gradients(mlp, x, baseline=np.zeros(3))
