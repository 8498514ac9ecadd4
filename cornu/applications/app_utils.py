"""The steps every application constructor shares: checking `weights` and `classes`, making
the image input, the classifier or pooling head, and loading the weights."""

from cornu import backend, layers
from cornu.applications import imagenet_utils, weight_files
from cornu.core import config
from cornu.layers.core.input_layer import InputLayer
from cornu.models import Functional


def channel_axis():
    """The channel axis of a 4D image batch in the current data format."""
    return 1 if config.image_data_format() == "channels_first" else -1


def check_weights(weights, include_top, classes):
    """Keras's checks of `weights` (None, "imagenet" or an existing file) and of `classes`."""
    if not (weights in {"imagenet", None} or weight_files.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "'imagenet' (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            "If using `weights='imagenet'` with `include_top=True`, `classes` should be "
            f"1000.  Received classes={classes}"
        )


def image_input(input_tensor, input_shape):
    """The model's image input: a new `Input`, or `input_tensor` (wrapped when it is not a
    symbolic tensor)."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        return layers.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def get_source_inputs(tensor):
    """The `Input` tensors that `tensor` was computed from."""
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return [tensor]
    operation, node_index, _ = history
    if isinstance(operation, InputLayer) or not operation._inbound_nodes:
        return [tensor]
    node = operation._inbound_nodes[node_index]
    if not node.input_tensors:
        return [tensor]
    sources = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not seen for seen in sources):
                sources.append(source)
    return sources


def model_inputs(input_tensor, img_input):
    """The inputs of the model: the sources of `input_tensor` when one was given."""
    if input_tensor is not None:
        return get_source_inputs(input_tensor)
    return img_input


def classifier_or_pooling(
    x, include_top, pooling, classes, classifier_activation, weights, pool_name="avg_pool"
):
    """Keras's usual head: global average pooling and a Dense "predictions" layer with a top;
    without one, the optional "avg" or "max" global pooling."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name=pool_name)(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return pooling_only(x, pooling)


def pooling_only(x, pooling):
    """The optional global pooling of a model without its top."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x


def build_model(inputs, outputs, name):
    """The Functional model of an application."""
    return Functional(inputs, outputs, name=name)


def load_weights(model, weights, file_name=None, origin=None, file_hash=None):
    """Loads "imagenet" weights (Keras's `file_name`, found by `weight_files.find`) or the
    weight file at the path `weights`; does nothing for None."""
    if weights == "imagenet":
        if file_name is None:
            return
        model.load_weights(weight_files.find(file_name, origin, file_hash))
    elif weights is not None:
        model.load_weights(weights)
