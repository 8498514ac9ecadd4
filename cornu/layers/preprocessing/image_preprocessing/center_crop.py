"""CenterCrop: crops the central window of images."""

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from cornu.layers.preprocessing.image_preprocessing.resizing import (
    check_image_rank,
    check_image_size,
    resized_shape,
)


class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central ``(height, width)`` window of images, in training and at inference.

    An image smaller than the target on either side is instead cropped to the target aspect
    ratio and resized (bilinear) to ``(height, width)``, as Keras's ``smart_resize`` does.

    Args:
        height: the output height.
        width: the output width.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, h, w, c)`` or ``(h, w, c)`` (channels first when so set).
    Output shape: the same with ``h, w`` replaced by ``height, width``, of the layer's
    compute dtype.
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = check_image_size("CenterCrop", height, width)

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if self.data_format == "channels_last":
            in_height, in_width = images.shape[1], images.shape[2]
        else:
            in_height, in_width = images.shape[2], images.shape[3]
        if in_height < self.height or in_width < self.width:
            return ops.image.resize(
                images,
                (self.height, self.width),
                crop_to_aspect_ratio=True,
                data_format=self.data_format,
            )
        top = (in_height - self.height) // 2
        left = (in_width - self.width) // 2
        rows, cols = slice(top, top + self.height), slice(left, left + self.width)
        if self.data_format == "channels_last":
            return images[:, rows, cols, :]
        return images[:, :, rows, cols]

    def compute_output_shape(self, input_shape):
        check_image_rank(self, input_shape)
        return resized_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
