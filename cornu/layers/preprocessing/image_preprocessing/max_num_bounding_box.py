"""MaxNumBoundingBoxes: pads or truncates the bounding boxes of each image to a fixed count."""

from cornu import ops
from cornu.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


def _pad_ragged(rows, max_number, width, fill_value):
    """A ``(batch, max_number[, width])`` nested list from per-image lists of any length."""
    filler = [fill_value] * width if width else fill_value
    return [list(row[:max_number]) + [filler] * max(max_number - len(row), 0) for row in rows]


class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Gives every image exactly ``max_number`` bounding boxes: extra boxes are dropped, and
    missing ones are filled with ``fill_value`` (boxes and labels alike). The images pass
    through unchanged.

    Args:
        max_number: the number of boxes per image.
        fill_value: the value of padded boxes and labels (-1 by default).
        bounding_box_format: the format of the boxes (kept in the config; the count does not
            depend on it).

    Unlike Keras, whose config drops ``fill_value`` (a reloaded layer pads with -1), the
    config keeps it; Keras reads such a config unchanged.

    Input: a dict ``{"images": ..., "bounding_boxes": {"boxes": (batch, n, 4), "labels":
    (batch, n)}}`` (arrays, or per-image lists of different lengths), optionally with
    ``"labels"``; the output has ``boxes`` of ``(batch, max_number, 4)`` and ``labels`` of
    ``(batch, max_number)``.
    """

    _USE_BASE_FACTOR = False

    def __init__(self, max_number, fill_value=-1, **kwargs):
        # The base refuses a box format (its layers do not move boxes); counting needs none.
        bounding_box_format = kwargs.pop("bounding_box_format", None)
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)
        if self.max_number < 0:
            raise ValueError(
                "MaxNumBoundingBoxes: `max_number` must be a non-negative int. "
                f"Received: max_number={max_number}"
            )

    def transform_images(self, images, transformation=None, training=True):
        return images

    def transform_bounding_boxes(self, bounding_boxes, transformation=None, training=True):
        """``bounding_boxes`` with exactly ``max_number`` boxes and labels per image."""
        if not isinstance(bounding_boxes, dict) or set(bounding_boxes) - {"boxes", "labels"}:
            raise KeyError(
                "MaxNumBoundingBoxes: `bounding_boxes` must be a dict with the keys 'boxes' "
                "and 'labels' only. Received keys: "
                f"{sorted(bounding_boxes) if isinstance(bounding_boxes, dict) else None}"
            )
        boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
        if isinstance(boxes, list):
            boxes = _pad_ragged(boxes, self.max_number, 4, self.fill_value)
            labels = _pad_ragged(labels, self.max_number, 0, self.fill_value)
        boxes, labels = ops.convert_to_tensor(boxes), ops.convert_to_tensor(labels)
        single = len(boxes.shape) == 2
        if single:
            boxes, labels = ops.expand_dims(boxes, 0), ops.expand_dims(labels, 0)
        if len(boxes.shape) != 3 or boxes.shape[-1] != 4 or tuple(labels.shape) != boxes.shape[:2]:
            raise ValueError(
                "MaxNumBoundingBoxes expects boxes of shape (batch, num_boxes, 4) and labels "
                f"of shape (batch, num_boxes). Received: boxes.shape={tuple(boxes.shape)}, "
                f"labels.shape={tuple(labels.shape)}"
            )
        missing = max(self.max_number - boxes.shape[1], 0)
        boxes = ops.pad(
            boxes[:, : self.max_number],
            [[0, 0], [0, missing], [0, 0]],
            constant_values=self.fill_value,
        )
        labels = ops.pad(
            labels[:, : self.max_number], [[0, 0], [0, missing]], constant_values=self.fill_value
        )
        if single:
            boxes, labels = boxes[0], labels[0]
        return {"boxes": boxes, "labels": labels}

    def call(self, data, training=True):
        if not isinstance(data, dict):
            return data
        result = dict(data)
        if "bounding_boxes" in data:
            result["bounding_boxes"] = self.transform_bounding_boxes(data["bounding_boxes"])
        return result

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            shapes = input_shape["bounding_boxes"]
            extra = set(shapes) - {"boxes", "labels"}
            if extra:
                raise KeyError(
                    f"There are unsupported keys in `bounding_boxes`: {sorted(extra)}. "
                    "Only `boxes` and `labels` are supported."
                )
            boxes, labels = list(shapes["boxes"]), list(shapes["labels"])
            boxes[1] = labels[1] = self.max_number
            return {
                **input_shape,
                "bounding_boxes": {"boxes": tuple(boxes), "labels": tuple(labels)},
            }
        return input_shape

    def get_config(self):
        config = {
            **super().get_config(),
            "max_number": self.max_number,
            "fill_value": self.fill_value,
        }
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config
