"""saliency, gradient_x_input and smoothgrad: the gradients autograd gives, and their rules."""

import numpy as np
import pytest
import torch

import cornu
from cornu import explain


def torch_gradient(model, x, targets):
    t = torch.tensor(x, requires_grad=True)
    out = model(t)
    out[torch.arange(len(x)), torch.as_tensor(targets)].sum().backward()
    return t.grad.numpy()


@pytest.mark.parametrize("fixture,shape", [("mlp", (5, 6)), ("cnn", (2, 8, 8, 2))])
@pytest.mark.backends("torch")  # the reference is torch's autograd on the model
def test_saliency_equals_autograd(request, rng, fixture, shape):
    model = request.getfixturevalue(fixture)
    x = rng.standard_normal(shape).astype("float32")
    targets = np.arange(shape[0]) % 3
    ours = explain.saliency(model, x, targets=targets)
    assert ours.shape == x.shape and ours.dtype == np.float32
    np.testing.assert_allclose(ours, torch_gradient(model, x, targets), atol=1e-6)
    np.testing.assert_allclose(
        explain.saliency(model, x, targets=targets, absolute=True), np.abs(ours)
    )


@pytest.mark.backends("torch")  # the reference is torch's autograd on the model
def test_default_target_is_the_predicted_class(mlp, rng):
    x = rng.standard_normal((4, 6)).astype("float32")
    predicted = np.argmax(cornu.ops.convert_to_numpy(mlp(x)), axis=1)
    np.testing.assert_allclose(
        explain.saliency(mlp, x), torch_gradient(mlp, x, predicted), atol=1e-6
    )


def test_gradient_x_input_of_a_linear_model_sums_to_its_output(rng):
    model = cornu.Sequential([cornu.Input((5,)), cornu.layers.Dense(2, use_bias=False)])
    x = rng.standard_normal((3, 5)).astype("float32")
    attributions = explain.gradient_x_input(model, x, targets=1)
    kernel = cornu.ops.convert_to_numpy(model.layers[0].kernel)
    np.testing.assert_allclose(attributions, x * kernel[:, 1], rtol=1e-6)
    np.testing.assert_allclose(attributions.sum(1), x @ kernel[:, 1], rtol=1e-5)


def test_smoothgrad(mlp, rng):
    x = rng.standard_normal((3, 6)).astype("float32")
    plain = explain.saliency(mlp, x, targets=2)
    np.testing.assert_allclose(
        explain.smoothgrad(mlp, x, targets=2, samples=3, noise_level=0.0), plain, atol=1e-6
    )
    noisy = explain.smoothgrad(mlp, x, targets=2, samples=8, seed=1)
    assert noisy.shape == x.shape and not np.allclose(noisy, plain)
    np.testing.assert_array_equal(noisy, explain.smoothgrad(mlp, x, targets=2, samples=8, seed=1))
    # SmoothGrad of a linear model is its (constant) gradient.
    linear = cornu.Sequential([cornu.Input((6,)), cornu.layers.Dense(2)])
    np.testing.assert_allclose(
        explain.smoothgrad(linear, x, targets=0, samples=4, seed=0),
        explain.saliency(linear, x, targets=0),
        atol=1e-6,
    )
    with pytest.raises(ValueError, match="`samples` must be a positive integer"):
        explain.smoothgrad(mlp, x, samples=0)


def test_several_inputs_give_one_map_each(rng):
    a, b = cornu.Input((3,), name="a"), cornu.Input((2,), name="b")
    y = cornu.layers.Dense(2)(cornu.layers.Concatenate()([a, b]))
    model = cornu.Model([a, b], y)
    xa, xb = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    ga, gb = explain.saliency(model, [xa.astype("float32"), xb.astype("float32")], targets=1)
    kernel = cornu.ops.convert_to_numpy(model.layers[-1].kernel)[:, 1]
    np.testing.assert_allclose(ga, np.broadcast_to(kernel[:3], (4, 3)), rtol=1e-6)
    np.testing.assert_allclose(gb, np.broadcast_to(kernel[3:], (4, 2)), rtol=1e-6)


def test_several_outputs_need_output(rng):
    x = cornu.Input((4,))
    model = cornu.Model(
        x, [cornu.layers.Dense(3, name="cls")(x), cornu.layers.Dense(1, name="reg")(x)]
    )
    data = rng.standard_normal((2, 4)).astype("float32")
    with pytest.raises(ValueError, match=r"has 2 outputs \['cls', 'reg'\]; pass `output=`"):
        explain.saliency(model, data)
    by_name = explain.saliency(model, data, output="reg")
    kernel = cornu.ops.convert_to_numpy(model.get_layer("reg").kernel)[:, 0]
    np.testing.assert_allclose(by_name, np.broadcast_to(kernel, (2, 4)), rtol=1e-6)
    np.testing.assert_allclose(explain.saliency(model, data, output=1), by_name)
    with pytest.raises(ValueError, match="`output='box'` is not one of the model's outputs"):
        explain.saliency(model, data, output="box")


def test_targets_out_of_range(mlp, rng):
    x = rng.standard_normal((2, 6)).astype("float32")
    with pytest.raises(ValueError, match=r"`targets` must be class indices in \[0, 3\).*\[3\]"):
        explain.saliency(mlp, x, targets=3)
    with pytest.raises(ValueError, match=r"\[-1\]"):
        explain.integrated_gradients(mlp, x, targets=[0, -1])
    with pytest.raises(ValueError, match="one class index or one per sample"):
        explain.saliency(mlp, x, targets=[0, 1, 2])


def test_integer_tokens_attribute_to_the_embedding(rng):
    model = cornu.Sequential(
        [
            cornu.Input((5,), dtype="int32"),
            cornu.layers.Embedding(10, 4, name="embedding"),
            cornu.layers.GlobalAveragePooling1D(),
            cornu.layers.Dense(2),
        ]
    )
    tokens = rng.integers(0, 10, size=(3, 5)).astype("int32")
    with pytest.raises(TypeError, match="dtype int32 .*Pass `layer=` the name of the layer"):
        explain.saliency(model, tokens)
    grads = explain.saliency(model, tokens, layer="embedding", targets=1)
    assert grads.shape == (3, 5, 4)
    kernel = cornu.ops.convert_to_numpy(model.layers[-1].kernel)[:, 1]
    np.testing.assert_allclose(grads, np.broadcast_to(kernel / 5, (3, 5, 4)), rtol=1e-5)
    with pytest.raises(ValueError, match="no layer named 'embed' .*Pass `layer=` one of"):
        explain.saliency(model, tokens, layer="embed")
