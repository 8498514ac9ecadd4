"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., 2016), with Keras's layer names and
weight files."""

from cornu import layers
from cornu.applications import app_utils, imagenet_utils, weight_files
from cornu.core import config

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# blocks per dense stage -> (file prefix, hash with the top, hash without it)
WEIGHT_FILES = {
    (6, 12, 24, 16): (
        "densenet121",
        "9d60b8095a5708f2dcce2bca79d332c7",
        "30ee3e1110167f948a6b9946edeeb738",
    ),
    (6, 12, 32, 32): (
        "densenet169",
        "d699b8f76981ab1b30698df4c175e90b",
        "b8c4d4c20dd625c148057b9ff1c1176b",
    ),
    (6, 12, 48, 32): (
        "densenet201",
        "1ceb130c1ea1b78c3bf6114dbdfd8807",
        "c13680b51ded0fb44dff2d8f86ac8bb1",
    ),
}


def _bn(name):
    axis = 3 if config.image_data_format() == "channels_last" else 1
    return layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=name)


def dense_block(x, blocks, name):
    """`blocks` convolution blocks, each concatenating 32 new channels."""
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    """Batch norm, ReLU, a 1x1 convolution keeping `reduction` of the channels, and 2x2
    average pooling."""
    axis = 3 if config.image_data_format() == "channels_last" else 1
    x = _bn(f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[axis] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def conv_block(x, growth_rate, name):
    """A bottleneck (1x1 then 3x3 convolution) whose `growth_rate` channels are concatenated
    to its input."""
    axis = 3 if config.image_data_format() == "channels_last" else 1
    x1 = _bn(f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = _bn(f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=axis, name=f"{name}_concat")([x, x1])


def DenseNet(
    blocks,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet",
):
    """A DenseNet with ``blocks[i]`` convolution blocks in dense stage i; the other arguments
    are those of `DenseNet121`."""
    if config.image_data_format() == "channels_first":
        raise ValueError(
            "DenseNet does not support the `channels_first` image data format. Switch to "
            "`channels_last` with `cornu.config.set_image_data_format('channels_last')`."
        )
    if not (weights in {"imagenet", None} or weight_files.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded. Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should '
            f"be 1000. Received: classes={classes}"
        )
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=config.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = app_utils.image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn("conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage in range(3):
        x = dense_block(x, blocks[stage], name=f"conv{stage + 2}")
        x = transition_block(x, 0.5, name=f"pool{stage + 2}")
    x = dense_block(x, blocks[3], name="conv5")
    x = _bn("bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = app_utils.classifier_or_pooling(
        x, include_top, pooling, classes, classifier_activation, weights
    )
    model = app_utils.build_model(app_utils.model_inputs(input_tensor, img_input), x, name)
    file_name = origin = file_hash = None
    if weights == "imagenet":
        if tuple(blocks) not in WEIGHT_FILES:
            raise ValueError("weights_path undefined")
        prefix, top_hash, notop_hash = WEIGHT_FILES[tuple(blocks)]
        suffix = "" if include_top else "_notop"
        file_name = f"{prefix}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        origin = BASE_WEIGHTS_PATH + file_name
        file_hash = top_hash if include_top else notop_hash
    app_utils.load_weights(model, weights, file_name, origin, file_hash)
    return model


def _variant(blocks, default_name):
    def constructor(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=default_name,
    ):
        return DenseNet(
            list(blocks),
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            name=name,
        )

    title = default_name.replace("densenet", "DenseNet")
    constructor.__name__ = constructor.__qualname__ = title
    constructor.__doc__ = f"""Instantiates the {title} architecture (inputs preprocessed with
    `densenet.preprocess_input`; 224x224 by default, at least 32x32; channels_last only).

    Args:
        include_top: whether to include the classifier ("avg_pool" and "predictions").
        weights: None (random), "imagenet", or the path of a weight file.
        input_tensor: an optional symbolic tensor to use as the image input.
        input_shape: the image shape without the batch axis, when `include_top` is False.
        pooling: without a top, None (4D output), "avg" or "max" global pooling.
        classes: the number of classes, with a top and no pretrained weights.
        classifier_activation: the activation of "predictions" (None gives logits).
        name: the model's name.

    Returns:
        A Functional model.
    """
    return constructor


DenseNet121 = _variant((6, 12, 24, 16), "densenet121")
DenseNet169 = _variant((6, 12, 32, 32), "densenet169")
DenseNet201 = _variant((6, 12, 48, 32), "densenet201")


def preprocess_input(x, data_format=None):
    """Preprocesses images for DenseNet: scaled to [0, 1], then normalized per channel with
    ImageNet's mean and standard deviation ("torch" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions (see `imagenet_utils.decode_predictions`)."""
    return imagenet_utils.decode_predictions(preds, top=top)
