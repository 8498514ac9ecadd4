"""plot_bounding_box_gallery: a grid of images with true and predicted boxes drawn."""

import functools

import numpy as np

from cornu.visualization import _common
from cornu.visualization.draw_bounding_boxes import draw_bounding_boxes
from cornu.visualization.plot_image_gallery import plot_image_gallery


def plot_bounding_box_gallery(
    images,
    bounding_box_format,
    y_true=None,
    y_pred=None,
    value_range=(0, 255),
    true_color=(0, 188, 212),
    pred_color=(255, 235, 59),
    line_thickness=2,
    font_scale=1.0,
    text_thickness=None,
    class_mapping=None,
    ground_truth_mapping=None,
    prediction_mapping=None,
    legend=False,
    legend_handles=None,
    rows=None,
    cols=None,
    data_format=None,
    **kwargs,
):
    """Shows (or saves) a grid of images with ground-truth and predicted boxes.

    Args:
        images: images of shape `(batch, height, width, channels)`.
        bounding_box_format: the boxes' format (see `draw_bounding_boxes`).
        y_true, y_pred: dicts of `"boxes"` and `"labels"` (and `"confidences"`), drawn in
            `true_color` and `pred_color`.
        value_range: the range of the images' values.
        line_thickness, font_scale, text_thickness: as in `draw_bounding_boxes`.
        class_mapping: dict of class id to name for both; `ground_truth_mapping` and
            `prediction_mapping` override it for one side.
        legend: whether to add a "Ground Truth"/"Prediction" legend (not with
            `legend_handles`).
        legend_handles: matplotlib patches for a legend of your own.
        rows, cols: the grid.
        data_format: `"channels_last"` or `"channels_first"` (default: the config's).
        **kwargs: passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`...).
    """
    _common.pyplot("plot_bounding_box_gallery")
    from matplotlib import patches

    prediction_mapping = prediction_mapping or class_mapping
    ground_truth_mapping = ground_truth_mapping or class_mapping
    data_format = _common.data_format_of(data_format)
    _common.check_batched_images(images)
    images = _common.channels_last(images, data_format)
    draw = functools.partial(
        draw_bounding_boxes,
        bounding_box_format=bounding_box_format,
        line_thickness=line_thickness,
        text_thickness=text_thickness,
        font_scale=font_scale,
        data_format="channels_last",
    )
    if y_true is not None:
        images = draw(images, y_true, color=true_color, class_mapping=ground_truth_mapping)
    if y_pred is not None:
        images = draw(images, y_pred, color=pred_color, class_mapping=prediction_mapping)
    if legend:
        if legend_handles:
            raise ValueError(
                "Only pass `legend` OR `legend_handles` to "
                "`keras.visualization.plot_bounding_box_gallery()`."
            )
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction"),
        ]
    return plot_image_gallery(
        images,
        value_range=value_range,
        legend_handles=legend_handles,
        rows=rows,
        cols=cols,
        data_format="channels_last",
        **kwargs,
    )
