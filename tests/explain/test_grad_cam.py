"""grad_cam: the class's evidence found where it was planted, and clear errors."""

import numpy as np
import pytest

import cornu
from cornu import explain

L = cornu.layers


def planted_detector():
    """A CNN whose filter 0 finds 3x3 bright squares (class 1) and filter 1 finds short
    horizontal lines (class 0)."""
    model = cornu.Sequential(
        [
            cornu.Input((12, 12, 1)),
            L.Conv2D(2, 3, padding="same", activation="relu", name="conv"),
            L.GlobalAveragePooling2D(),
            L.Dense(2, name="classes"),
        ]
    )
    kernel = np.zeros((3, 3, 1, 2), "float32")
    kernel[..., 0, 0] = 1.0
    kernel[..., 0, 1] = -1.0
    kernel[1, :, 0, 1] = 1.0
    model.get_layer("conv").set_weights([kernel, np.array([-8.0, -2.0], "float32")])
    dense = np.array([[-1.0, 1.0], [1.0, -1.0]], "float32")
    model.get_layer("classes").set_weights([dense, np.zeros(2, "float32")])
    return model


def image():
    x = np.zeros((1, 12, 12, 1), "float32")
    x[0, 2:5, 7:10] = 1.0  # a square, centred at (3, 8)
    x[0, 9, 1:4] = 1.0  # a line, centred at (9, 2)
    return x


def test_grad_cam_finds_the_planted_pattern():
    model, x = planted_detector(), image()
    square = explain.grad_cam(model, x, "conv", targets=1)
    line = explain.grad_cam(model, x, "conv", targets=0)
    assert square.shape == line.shape == (1, 12, 12) and square.dtype == np.float32
    assert np.unravel_index(square[0].argmax(), (12, 12)) == (3, 8)
    assert np.unravel_index(line[0].argmax(), (12, 12)) == (9, 2)
    assert square[0, 9, 2] == 0 and line[0, 3, 8] == 0


def test_grad_cam_in_a_functional_model_with_a_skip():
    x = cornu.Input((6, 6, 1))
    features = L.Conv2D(3, 3, name="conv")(x)
    pooled = L.GlobalAveragePooling2D()(features)
    y = L.Dense(2)(L.Concatenate()([pooled, L.Flatten()(x)]))
    model = cornu.Model(x, y)
    data = np.random.default_rng(0).random((2, 6, 6, 1)).astype("float32")
    cam = explain.grad_cam(model, data, "conv", targets=[0, 1])
    assert cam.shape == (2, 4, 4) and (cam >= 0).all()
    # By hand: weights are the mean gradient of each feature map.
    kernel = cornu.ops.convert_to_numpy(model.layers[-1].kernel)
    feature_model = cornu.Model(x, features)
    maps = cornu.ops.convert_to_numpy(feature_model(data))
    for i, target in enumerate([0, 1]):
        weights = kernel[:3, target] / 16  # d mean / d A, averaged over the 4x4 map
        expected = np.maximum((maps[i] * weights).sum(-1), 0)
        np.testing.assert_allclose(cam[i], expected, rtol=1e-5, atol=1e-7)


def test_grad_cam_errors():
    model, x = planted_detector(), image()
    with pytest.raises(ValueError, match="no layer named 'conv9'.*Pass `layer_name=` one of"):
        explain.grad_cam(model, x, "conv9")
    with pytest.raises(ValueError, match="layer 'classes' is not convolutional"):
        explain.grad_cam(model, x, "classes")
    with pytest.raises(ValueError, match=r"`targets` must be class indices in \[0, 2\)"):
        explain.grad_cam(model, x, "conv", targets=2)

    class Net(cornu.Model):
        def __init__(self):
            super().__init__()
            self.conv = L.Conv2D(2, 3)

        def call(self, x):
            return cornu.ops.mean(self.conv(x), axis=(1, 2))

    net = Net()
    net(x)
    with pytest.raises(ValueError, match="needs a Functional or Sequential model"):
        explain.grad_cam(net, x, "conv")
