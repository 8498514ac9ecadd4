"""occlusion: exact for linear models, equal to Captum's Occlusion, and for token inputs."""

import numpy as np
import pytest
import torch

import cornu
from cornu import explain


def test_one_value_windows_of_a_linear_model(rng):
    model = cornu.Sequential([cornu.Input((5,)), cornu.layers.Dense(2)])
    x = rng.standard_normal((3, 5)).astype("float32")
    kernel = cornu.ops.convert_to_numpy(model.layers[0].kernel)
    np.testing.assert_allclose(
        explain.occlusion(model, x, window=1, targets=0), x * kernel[:, 0], rtol=1e-4, atol=1e-6
    )


@pytest.mark.parametrize("window,strides", [((3, 3), (2, 2)), ((2, 4, 1), (2, 2, 1))])
@pytest.mark.backends("torch")  # Captum explains a torch.nn.Module
def test_agrees_with_captum(cnn, rng, window, strides):
    captum = pytest.importorskip("captum.attr")
    x = rng.standard_normal((2, 8, 8, 2)).astype("float32")
    ours = explain.occlusion(cnn, x, window=window, strides=strides, targets=[1, 2])
    full = lambda t: t if len(t) == 3 else t + (2,)  # noqa: E731
    theirs = captum.Occlusion(cnn).attribute(
        torch.from_numpy(x),
        sliding_window_shapes=full(window),
        strides=full(strides),
        target=torch.tensor([1, 2]),
    )
    assert ours.shape == x.shape
    np.testing.assert_allclose(ours, theirs.numpy(), atol=1e-5)


def test_tokens_and_errors(rng):
    model = cornu.Sequential(
        [
            cornu.Input((6,), dtype="int32"),
            cornu.layers.Embedding(8, 3),
            cornu.layers.Flatten(),
            cornu.layers.Dense(2),
        ]
    )
    tokens = rng.integers(1, 8, size=(2, 6)).astype("int32")
    attributions = explain.occlusion(model, tokens, window=(1,), baseline=0)
    assert attributions.shape == (2, 6) and np.abs(attributions).sum() > 0
    with pytest.raises(ValueError, match=r"`window` must give a size .* Received: \(7,\)"):
        explain.occlusion(model, tokens, window=7)
