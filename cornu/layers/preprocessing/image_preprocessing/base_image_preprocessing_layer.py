"""The shared base of the image preprocessing and augmentation layers."""

from cornu import core, ops, random
from cornu.layers.layer import Layer
from cornu.layers.preprocessing.image_preprocessing.value_ranges import validate_value_range


def image_batch_size(data, data_format):
    """``(batch, height, width)`` of ``data``: a batch of images, a single image (a batch of
    one), or a dict whose ``"images"`` entry is either."""
    images = data["images"] if isinstance(data, dict) else data
    shape = tuple(images.shape)
    if len(shape) == 3:
        shape = (1,) + shape
    if data_format == "channels_last":
        return shape[0], shape[1], shape[2]
    return shape[0], shape[2], shape[3]


class BaseImagePreprocessingLayer(Layer):
    """An image layer that draws a random transformation and applies it to a batch.

    Subclasses implement ``get_random_transformation(images, training, seed)`` (None when the
    layer should leave the images alone) and ``transform_images(images, transformation,
    training)``, and ``transform_labels`` when the labels of a dict input change too. ``call``
    accepts a batch ``(batch, height, width, channels)`` or a single image ``(height, width,
    channels)`` (channels first when ``data_format`` says so), or a dict whose ``"images"``
    entry is one (and whose ``"labels"`` follow the images), as Keras's layers do.

    Args:
        factor: the layer's strength: a number ``f`` (the range ``[-f, f]``, clipped to the
            class's ``_FACTOR_BOUNDS``) or a pair ``(lower, upper)``. Only for layers with
            ``_USE_BASE_FACTOR``.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, factor=None, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if bounding_box_format is not None:
            raise ValueError(
                f"Layer {type(self).__name__} does not transform bounding boxes yet. "
                f"Received: bounding_box_format={bounding_box_format!r}"
            )
        self.data_format = core.standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(
                f"Layer {type(self).__name__} does not take a `factor` argument. "
                f"Received: factor={factor}"
            )
        self.built = True

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        message = (
            f"The `factor` argument of {type(self).__name__} should be a number (or a list of "
            f"two numbers) in the range [{low}, {high}]. Received: factor={factor}"
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high or factor[1] < low:
                raise ValueError(message)
            lower, upper = sorted(factor)
        elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if not low <= factor <= high:
                raise ValueError(message)
            factor = abs(factor)
            lower, upper = max(-factor, low), factor
        else:
            raise ValueError(message)
        self.factor = (lower, upper)

    def _set_value_range_and_seed(self, value_range, seed, sort=True):
        """Sets ``value_range`` (checked; sorted unless ``sort=False``), ``seed`` and the seed
        generator."""
        value_range = validate_value_range(value_range, type(self).__name__)
        self.value_range = sorted(value_range) if sort else value_range
        self.seed = seed
        self.generator = random.SeedGenerator(seed)

    def _draw_factors(self, data, seed=None, shape=()):
        """One value per image of ``data`` (a batch or a dict of one), uniform in
        ``self.factor``, shaped ``(batch, *shape)``; drawn from ``seed`` or the generator."""
        images = data["images"] if isinstance(data, dict) else data
        return random.uniform(
            (images.shape[0], *shape),
            minval=self.factor[0],
            maxval=self.factor[1],
            seed=self.generator if seed is None else seed,
        )

    def _draw_apply_mask(self, batch_size, seed):
        """Which images of the batch the layer changes: a probability drawn per image from
        ``self.factor``, then a uniform threshold per image below it."""
        probability = random.uniform((batch_size,), self.factor[0], self.factor[1], seed=seed)
        threshold = random.uniform((batch_size,), 0.0, 1.0, seed=seed)
        return threshold < probability

    def get_random_transformation(self, data, training=True, seed=None):
        """The random parameters for one call on ``data`` (a batch), or None."""
        return None

    def transform_images(self, images, transformation, training=True):
        """Applies ``transformation`` to a batch of images."""
        raise NotImplementedError(f"{type(self).__name__} does not define `transform_images`.")

    def transform_labels(self, labels, transformation, training=True):
        """Applies ``transformation`` to a batch of labels; most layers leave them alone."""
        return labels

    def _is_batched(self, images):
        rank = len(images.shape)
        if rank == 4:
            return True
        if rank == 3:
            return False
        raise ValueError(
            f"Layer {self.name} ({type(self).__name__}) expected an image tensor of rank 3 (a "
            f"single image) or 4 (a batch of images). Received: shape={tuple(images.shape)}"
        )

    def _apply(self, data, training):
        images = ops.convert_to_tensor(data["images"] if isinstance(data, dict) else data)
        batched = self._is_batched(images)
        if not batched:
            images = ops.expand_dims(images, 0)
        transformation = self.get_random_transformation(images, training=training)
        outputs = self.transform_images(images, transformation, training=training)
        outputs = outputs if batched else ops.squeeze(outputs, 0)
        if not isinstance(data, dict):
            return outputs
        result = {**data, "images": outputs}
        if "labels" in data:
            labels = ops.convert_to_tensor(data["labels"])
            if not batched:
                labels = ops.expand_dims(labels, 0)
            labels = self.transform_labels(labels, transformation, training=training)
            result["labels"] = labels if batched else ops.squeeze(labels, 0)
        return result

    def call(self, data, training=True):
        if isinstance(data, dict):
            for key in ("bounding_boxes", "segmentation_masks"):
                if key in data:
                    raise NotImplementedError(
                        f"Layer {self.name} ({type(self).__name__}) received a {key!r} entry: "
                        f"cornu's image layers do not transform {key.replace('_', ' ')} yet, "
                        "and passing them through unchanged would misalign them with the "
                        "images. Transform them separately, or pass only 'images' (and "
                        "'labels')."
                    )
        return self._apply(data, training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        if self._USE_BASE_FACTOR:
            config["factor"] = self.factor
        return config

    def _transform_value_range(self, images, original_range, target_range, dtype="float32"):
        """Maps values linearly from ``original_range`` to ``target_range``."""
        if tuple(original_range) == tuple(target_range):
            return images
        images = ops.cast(images, dtype)
        (low, high), (new_low, new_high) = original_range, target_range
        return (images - low) / (high - low) * (new_high - new_low) + new_low
