"""draw_bounding_boxes: boxes and class labels drawn onto a batch of images (OpenCV)."""

import numpy as np

from cornu.visualization import _common
from cornu.visualization.box_formats import convert_to_xyxy


def draw_bounding_boxes(
    images,
    bounding_boxes,
    bounding_box_format,
    class_mapping=None,
    color=(128, 128, 128),
    line_thickness=2,
    text_thickness=1,
    font_scale=1.0,
    data_format=None,
):
    """Draws bounding boxes (and their class names) on a batch of images.

    Args:
        images: images of shape `(batch, height, width, channels)` (channels first with
            `data_format="channels_first"`); floats at most 1 are read as `[0, 1]`, other
            floats as `[0, 255]`.
        bounding_boxes: a dict with `"boxes"` `(batch, num_boxes, 4)`, `"labels"`
            `(batch, num_boxes)` (a label of -1 is padding and is skipped) and optionally
            `"confidences"` `(batch, num_boxes)`.
        bounding_box_format: the format of the boxes (`"xyxy"`, `"yxyx"`, `"xywh"`,
            `"center_xywh"`, `"center_yxhw"` and the `"rel_"` ones).
        class_mapping: dict of class id to name; boxes of those classes get their name
            (and confidence) written above them.
        color: the RGB colour of boxes and text.
        line_thickness: thickness of the box lines, in pixels.
        text_thickness: thickness of the text strokes (`line_thickness` when 0 or None).
        font_scale: scale of the text.
        data_format: `"channels_last"` or `"channels_first"` (default: the config's).

    Returns:
        A uint8 NumPy array of the annotated images, shaped as `images`.
    """
    cv2 = _common.cv2("draw_bounding_boxes")
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    data_format = _common.data_format_of(data_format)
    shape = _common.check_batched_images(images)
    if not isinstance(bounding_boxes, dict):
        raise TypeError(
            f"`bounding_boxes` should be a dict. Received: bounding_boxes={bounding_boxes} of "
            f"type {type(bounding_boxes)}"
        )
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(
            "`bounding_boxes` should be a dict containing 'boxes' and 'labels' keys. "
            f"Received: bounding_boxes={bounding_boxes}"
        )
    height, width = shape[-3:-1] if data_format == "channels_last" else shape[-2:]
    boxes = convert_to_xyxy(
        _common.to_numpy(bounding_boxes["boxes"]), bounding_box_format, height, width
    )
    images = _common.to_numpy(images)
    if images.dtype.kind == "f" and images.size > 0:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    images = images.astype("uint8")
    labels = _common.to_numpy(bounding_boxes["labels"])
    confidences = bounding_boxes.get("confidences")
    if confidences is not None:
        confidences = _common.to_numpy(confidences)
    result = []
    for i in range(images.shape[0]):
        image = images[i]
        for j in range(boxes[i].shape[0]):
            x1, y1, x2, y2 = (int(v) for v in boxes[i][j].astype("int32"))
            label = int(labels[i][j].astype("int32"))
            if label == -1:
                continue
            cv2.rectangle(image, (x1, y1), (x2, y2), color, line_thickness)
            if label in class_mapping:
                text = class_mapping[label]
                if confidences is not None:
                    text = f"{text} | {confidences[i][j]:.2f}"
                cv2.putText(
                    img=image,
                    text=text,
                    org=_text_origin(x1, y1, font_scale, text_thickness),
                    fontFace=cv2.FONT_HERSHEY_SIMPLEX,
                    fontScale=font_scale,
                    color=color,
                    thickness=text_thickness,
                )
        result.append(image)
    return np.stack(result, axis=0)


def _text_origin(x, y, font_scale, thickness):
    # Above the box when there is room, else just inside its top-left corner.
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8
    return x + 3, y + 2 * font_height + thickness + 3
