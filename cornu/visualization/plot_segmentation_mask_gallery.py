"""plot_segmentation_mask_gallery: each image next to its true and predicted masks."""

import functools

import numpy as np

from cornu.visualization import _common
from cornu.visualization.draw_segmentation_masks import draw_segmentation_masks
from cornu.visualization.plot_image_gallery import plot_image_gallery


def plot_segmentation_mask_gallery(
    images,
    num_classes,
    value_range=(0, 255),
    y_true=None,
    y_pred=None,
    color_mapping=None,
    blend=True,
    alpha=0.8,
    ignore_index=-1,
    data_format=None,
    **kwargs,
):
    """Shows (or saves) one row per image: the image, then its true and predicted masks.

    Args:
        images: images of shape `(batch, height, width, channels)`.
        num_classes: the number of classes.
        value_range: the range of the images' values.
        y_true, y_pred: integer masks `(batch, height, width, 1)`.
        color_mapping, blend, alpha, ignore_index: as in `draw_segmentation_masks`.
        data_format: `"channels_last"` or `"channels_first"` (default: the config's).
        **kwargs: passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`...).
    """
    data_format = _common.data_format_of(data_format)
    shape = _common.check_batched_images(images)
    images = _common.channels_last(images, data_format)
    draw = functools.partial(
        draw_segmentation_masks,
        num_classes=num_classes,
        color_mapping=color_mapping,
        alpha=alpha,
        ignore_index=ignore_index,
        blend=blend,
        data_format="channels_last",
    )
    drawn = []
    for masks in (y_true, y_pred):
        if masks is not None:
            masks = _common.channels_last(masks, data_format)
            drawn.append(draw(images, masks.astype("int32")))
    gallery = []
    for i in range(shape[0]):
        gallery.append(images[i])
        gallery.extend(d[i] for d in drawn)
    gallery = np.stack(gallery, axis=0)
    return plot_image_gallery(
        gallery,
        value_range=value_range,
        rows=shape[0],
        cols=1 + len(drawn),
        data_format="channels_last",
        **kwargs,
    )
