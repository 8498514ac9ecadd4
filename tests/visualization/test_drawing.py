"""cornu.visualization's drawing functions: the same arrays as keras.visualization's."""

import numpy as np
import pytest

from cornu import visualization

BOX_FORMATS = [
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
]


def boxes_in(fmt, h=32, w=40):
    xyxy = np.array([[[4, 6, 20, 18], [10, 12, 35, 30]], [[1, 1, 8, 9], [0, 0, 0, 0]]], "float32")
    x1, y1, x2, y2 = np.moveaxis(xyxy, -1, 0)
    scale = "rel_" in fmt
    if scale:
        x1, x2, y1, y2 = x1 / w, x2 / w, y1 / h, y2 / h
    base = fmt.replace("rel_", "")
    parts = {
        "xyxy": (x1, y1, x2, y2),
        "yxyx": (y1, x1, y2, x2),
        "xywh": (x1, y1, x2 - x1, y2 - y1),
        "center_xywh": ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1),
        "center_yxhw": ((y1 + y2) / 2, (x1 + x2) / 2, y2 - y1, x2 - x1),
    }[base]
    return np.stack(parts, axis=-1)


@pytest.mark.parametrize("fmt", BOX_FORMATS)
def test_draw_bounding_boxes_equals_keras(keras, fmt):
    pytest.importorskip("cv2")
    images = np.random.RandomState(0).rand(2, 32, 40, 3).astype("float32")
    boxes = {
        "boxes": boxes_in(fmt),
        "labels": np.array([[0, 1], [1, -1]]),
        "confidences": np.array([[0.9, 0.5], [0.7, 0.1]], "float32"),
    }
    kwargs = dict(class_mapping={0: "cat", 1: "dog"}, color=(255, 0, 0), font_scale=0.3)
    ours = visualization.draw_bounding_boxes(images, dict(boxes), fmt, **kwargs)
    theirs = keras.visualization.draw_bounding_boxes(images, dict(boxes), fmt, **kwargs)
    assert ours.dtype == np.uint8 and ours.shape == images.shape
    np.testing.assert_array_equal(ours, theirs)
    assert (ours[0, 6, 4:21] == [255, 0, 0]).all()  # the top edge of the first box


def test_draw_bounding_boxes_bad_input():
    pytest.importorskip("cv2")
    images = np.zeros((1, 8, 8, 3), "uint8")
    with pytest.raises(ValueError, match="batched 4D tensor"):
        visualization.draw_bounding_boxes(images[0], {"boxes": [], "labels": []}, "xyxy")
    with pytest.raises(TypeError, match="should be a dict"):
        visualization.draw_bounding_boxes(images, [[0, 0, 1, 1]], "xyxy")
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        visualization.draw_bounding_boxes(images, {"boxes": np.zeros((1, 1, 4))}, "xyxy")
    with pytest.raises(ValueError, match="Supported formats"):
        visualization.draw_bounding_boxes(
            images, {"boxes": np.zeros((1, 1, 4)), "labels": np.zeros((1, 1))}, "xyzw"
        )


@pytest.mark.parametrize("blend", [True, False])
@pytest.mark.parametrize("color_mapping", [None, {0: (0, 0, 0), 1: (255, 0, 0), 2: (0, 255, 0)}])
def test_draw_segmentation_masks_equals_keras(keras, blend, color_mapping):
    rng = np.random.RandomState(1)
    images = (rng.rand(2, 6, 5, 3) * 255).astype("float32")
    masks = rng.randint(-1, 3, size=(2, 6, 5, 1)).astype("int32")
    kwargs = dict(num_classes=3, color_mapping=color_mapping, blend=blend, alpha=0.6)
    ours = visualization.draw_segmentation_masks(images, masks, **kwargs)
    theirs = keras.ops.convert_to_numpy(
        keras.visualization.draw_segmentation_masks(images, masks, **kwargs)
    )
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_draw_segmentation_masks_bad_input():
    images = np.zeros((1, 4, 4, 3), "float32")
    with pytest.raises(TypeError, match="must be in integer dtype"):
        visualization.draw_segmentation_masks(images, np.zeros((1, 4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="batched 4D tensor"):
        visualization.draw_segmentation_masks(images[0], np.zeros((1, 4, 4, 1), "int32"))


def _is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_galleries_write_images(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("cv2")
    rng = np.random.RandomState(2)
    images = rng.rand(4, 16, 16, 3).astype("float32")
    visualization.plot_image_gallery(
        images,
        y_true=np.array([0, 1, 0, 1]),
        label_map={0: "a", 1: "b"},
        value_range=(0, 1),
        path=tmp_path / "gallery.png",
    )
    boxes = {"boxes": np.tile([[[2, 2, 10, 10]]], (4, 1, 1)), "labels": np.zeros((4, 1), "int32")}
    visualization.plot_bounding_box_gallery(
        images * 255,
        "xyxy",
        y_true=boxes,
        y_pred=boxes,
        class_mapping={0: "x"},
        legend=True,
        path=tmp_path / "boxes.png",
    )
    masks = rng.randint(0, 3, size=(4, 16, 16, 1))
    visualization.plot_segmentation_mask_gallery(
        images * 255, 3, y_true=masks, y_pred=masks, path=tmp_path / "masks.png"
    )
    for name in ("gallery.png", "boxes.png", "masks.png"):
        assert _is_png(tmp_path / name), name


def test_gallery_bad_input(tmp_path):
    pytest.importorskip("matplotlib")
    images = np.zeros((2, 4, 4, 3))
    with pytest.raises(ValueError, match="either `path` to be set, or `show`"):
        visualization.plot_image_gallery(images, path=tmp_path / "x.png", show=True)
    with pytest.raises(ValueError, match="a `label_map` must also be"):
        visualization.plot_image_gallery(images, y_true=[0, 1])
