"""RandomCrop: crops images at a random place during training."""

from cornu import ops, random
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    image_batch_size,
)
from cornu.layers.preprocessing.image_preprocessing.resizing import (
    check_image_rank,
    check_image_size,
    resized_shape,
)


class RandomCrop(BaseImagePreprocessingLayer):
    """Crops a ``(height, width)`` window at a random place (one place per batch) in training.

    When an image is not larger than the target on both sides, the window starts where the
    centered window of the target aspect ratio would, is clipped to the image, and is resized
    (bilinear) to ``(height, width)``, as in Keras. At inference
    (``training=False``, e.g. in ``predict``) the images pass through unchanged, uncropped:
    Keras 3 does the same, so a model's inference outputs then differ in size from its
    symbolic (``compute_output_shape``) ones.

    Args:
        height: the output height.
        width: the output width.
        seed: an int seed for reproducible crops (one is drawn when None).
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Input shape: ``(batch, h, w, c)`` or ``(h, w, c)`` (channels first when so set).
    Output shape: the same with ``h, w`` replaced by ``height, width`` in training.
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height, self.width = check_image_size("RandomCrop", height, width)
        self.seed = seed if seed is not None else random.make_default_seed()
        self.generator = random.SeedGenerator(seed)
        axes = (1, 2) if self.data_format == "channels_last" else (2, 3)
        self._height_axis, self._width_axis = axes

    def get_random_transformation(self, data, training=True, seed=None):
        seed = seed if seed is not None else self.generator
        _, in_height, in_width = image_batch_size(data, self.data_format)
        if training and in_height > self.height and in_width > self.width:
            top = random.uniform((), 0, float(in_height - self.height + 1), seed=seed)
            left = random.uniform((), 0, float(in_width - self.width + 1), seed=seed)
            # Tensors (symbolic inside a compiled step), truncated as int() truncates.
            return ops.cast(top, "int32"), ops.cast(left, "int32")
        crop_height = max(min(in_height, int(float(in_width * self.height) / self.width)), 1)
        crop_width = max(min(in_width, int(float(in_height * self.width) / self.height)), 1)
        top = int(float(in_height - crop_height) / 2)
        left = int(float(in_width - crop_width) / 2)
        return top, left

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        top, left = transformation
        if isinstance(top, int):
            rows, cols = slice(top, top + self.height), slice(left, left + self.width)
            if self.data_format == "channels_last":
                images = images[:, rows, cols, :]
            else:
                images = images[:, :, rows, cols]
        else:  # a drawn offset: gathered, so that a compiled step needs no Python int
            rows = top + ops.arange(self.height, dtype="int32")
            cols = left + ops.arange(self.width, dtype="int32")
            images = ops.take(images, rows, axis=self._height_axis)
            images = ops.take(images, cols, axis=self._width_axis)
        if (images.shape[self._height_axis], images.shape[self._width_axis]) != (
            self.height,
            self.width,
        ):
            images = ops.image.resize(
                images, (self.height, self.width), data_format=self.data_format
            )
        return images

    def compute_output_shape(self, input_shape):
        check_image_rank(self, input_shape)
        return resized_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "seed": self.seed,
        }
