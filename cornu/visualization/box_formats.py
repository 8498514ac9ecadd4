"""convert_to_xyxy: bounding boxes from any Keras box format to absolute `xyxy` corners."""

import numpy as np

SUPPORTED_FORMATS = (
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xywh",
    "rel_center_xywh",
    "xyxy",
    "rel_xyxy",
    "yxyx",
    "rel_yxyx",
)


def convert_to_xyxy(boxes, source, height=None, width=None):
    """Converts `boxes` (`(..., 4)`) from the `source` format to `xyxy` pixels (float32).

    The `rel_*` formats are fractions of the image's `height` and `width`, which they need.
    """
    boxes = np.asarray(boxes, dtype="float32")
    if boxes.shape[-1] != 4:
        raise ValueError(
            f"`boxes` must be a tensor with the last dimension of 4. Received: "
            f"boxes.shape={boxes.shape}"
        )
    source = source.lower()
    if source not in SUPPORTED_FORMATS:
        raise ValueError(f"Invalid source or target format. Supported formats: {SUPPORTED_FORMATS}")
    if source.startswith("rel_"):
        if height is None or width is None:
            raise ValueError(
                "convert_format() must receive `height` and `width` transforming between "
                f"relative and absolute formats. convert_format() received source=`{source}`, "
                f"target=`xyxy, but height={height} and width={width}."
            )
        scale = np.array([width, height, width, height], dtype="float32")
        if source == "rel_yxyx":
            scale = scale[[1, 0, 3, 2]]
        boxes = boxes * scale
        source = source[4:]
    a, b, c, d = (boxes[..., i] for i in range(4))
    if source == "xyxy":
        corners = (a, b, c, d)
    elif source == "yxyx":
        corners = (b, a, d, c)
    elif source == "xywh":
        corners = (a, b, a + c, b + d)
    elif source == "center_xywh":
        corners = (a - c / 2, b - d / 2, a + c / 2, b + d / 2)
    else:  # center_yxhw
        corners = (b - d / 2, a - c / 2, b + d / 2, a + c / 2)
    return np.stack(corners, axis=-1).astype("float32")
