"""draw_segmentation_masks: class masks painted (and blended) onto a batch of images."""

import numpy as np

from cornu.core import dtypes
from cornu.visualization import _common


def draw_segmentation_masks(
    images,
    segmentation_masks,
    num_classes=None,
    color_mapping=None,
    alpha=0.8,
    blend=True,
    ignore_index=-1,
    data_format=None,
):
    """Overlays segmentation masks on a batch of images, one colour per class.

    Args:
        images: images of shape `(batch, height, width, channels)`.
        segmentation_masks: integer class indices of shape `(batch, height, width, 1)`.
        num_classes: the number of classes (default: the largest index in the masks); the
            classes drawn are `0 .. num_classes - 1`.
        color_mapping: dict of class index to RGB colour (default: Keras's palette).
        alpha: the masks' opacity when blending, in `[0, 1]`.
        blend: whether to blend the colours with the image (`alpha`) or paint them over it.
        ignore_index: a class index left undrawn.
        data_format: `"channels_last"` or `"channels_first"` (default: the config's).

    Returns:
        A NumPy array: uint8 when blended, else float32, channels last.
    """
    data_format = _common.data_format_of(data_format)
    _common.check_batched_images(images)
    images = _common.channels_last(images, data_format)
    masks = _common.channels_last(segmentation_masks, data_format)
    images = images.astype("float32")
    if not dtypes.is_int_dtype(dtypes.standardize_dtype(masks.dtype)):
        raise TypeError(
            "`segmentation_masks` must be in integer dtype. Received: "
            f"segmentation_masks.dtype={dtypes.standardize_dtype(masks.dtype)}"
        )
    if num_classes is None:
        num_classes = int(masks.max())
    if color_mapping is None:
        colors = _palette(num_classes)
    else:
        colors = [color_mapping[i] for i in range(num_classes)]
    if masks.shape[-1] != 1:
        raise ValueError(
            "`segmentation_masks` must have a last axis of size 1: (batch, height, width, 1). "
            f"Received: segmentation_masks.shape={masks.shape}"
        )
    valid = masks[..., 0] != ignore_index
    painted = images.copy()
    for index, color in enumerate(colors):
        painted[masks[..., 0] == index] = np.asarray(color, dtype="float32")
    if not blend:
        return painted
    blended = images * (1 - alpha) + painted * alpha
    blended = np.where(valid[..., None], blended, images)
    return blended.astype("uint8")


def _palette(num_classes):
    steps = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [((i * steps) % 255).tolist() for i in range(num_classes)]
