"""Grad-CAM (Selvaraju et al., 2017): where a convolutional layer's features speak for a
class, as the ReLU of the feature maps weighted by their mean gradients."""

import numpy as np

from cornu.core import config
from cornu.explain._problem import Problem, layer_output


def grad_cam(model, inputs, layer_name, targets=None, output=None, data_format=None):
    """Grad-CAM heatmaps for one convolutional layer.

    Args:
        model: a Functional or Sequential model.
        inputs: a batch of inputs.
        layer_name: the name of a convolutional layer of `model` (its output has spatial
            axes: `(batch, *spatial, channels)`), usually the last one.
        targets: the class to explain, one index or one per sample (default: predicted).
        output: the index or name of the output to explain, for a model with several.
        data_format: the layer's data format (default: the layer's own, else the config's).

    Returns:
        A float32 array `(batch, *spatial)` shaped like the layer's feature map without its
        channel axis: `relu(sum_c mean(d score / d A_c) * A_c)`, not normalized (see
        `cornu.visualization.overlay_attributions`, which scales and resizes it).
    """
    tensor = layer_output(model, layer_name, "grad_cam", "layer_name")
    if len(tensor.shape) < 3:
        raise ValueError(
            f"grad_cam: layer {layer_name!r} is not convolutional: its output has shape "
            f"{tuple(tensor.shape)}, without spatial axes. Pass `layer_name=` a convolutional "
            "layer (e.g. the last Conv2D)."
        )
    layer = tensor._keras_history[0]
    data_format = data_format or getattr(layer, "data_format", None) or config.image_data_format()
    problem = Problem(model, inputs, targets, output, layer_name, "grad_cam")
    (features,) = problem.points()
    (grads,) = problem.gradients([features])
    if data_format == "channels_last":
        channel_axis, spatial = -1, tuple(range(1, features.ndim - 1))
    else:
        channel_axis, spatial = 1, tuple(range(2, features.ndim))
    weights = grads.mean(axis=spatial, keepdims=True)
    cam = (weights * features).sum(axis=channel_axis)
    return np.maximum(cam, 0).astype("float32")
