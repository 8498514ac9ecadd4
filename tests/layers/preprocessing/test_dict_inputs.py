"""The image layers on dict inputs and direct ``get_random_transformation`` calls: entries
they cannot transform raise rather than pass through misaligned; a dict or a single image
gives the transformation of its batch."""

import numpy as np
import pytest

from cornu import layers

IMAGES = np.random.RandomState(0).rand(4, 6, 8, 3).astype("float32")


@pytest.mark.parametrize("key", ["segmentation_masks", "bounding_boxes"])
@pytest.mark.parametrize("layer", [layers.RandomFlip, layers.CenterCrop])
def test_entries_that_cannot_be_transformed_are_refused(layer, key):
    instance = layer(4, 4) if layer is layers.CenterCrop else layer()
    with pytest.raises(NotImplementedError, match=f"received a '{key}' entry"):
        instance({"images": IMAGES, key: np.zeros((4, 6, 8, 1), "float32")})


def test_labels_pass_through_a_dict_with_the_images_transformed():
    labels = np.arange(4)
    out = layers.CenterCrop(4, 4)({"images": IMAGES, "labels": labels})
    assert tuple(out["images"].shape) == (4, 4, 4, 3)
    np.testing.assert_array_equal(out["labels"], labels)


@pytest.mark.parametrize(
    "layer, batch_shape",
    [
        (layers.RandomRotation(0.2, seed=1), lambda t: tuple(t["angle"].shape)),
        (layers.RandomZoom(0.2, seed=1), lambda t: tuple(t["height_zoom"].shape)),
        (layers.RandomTranslation(0.2, 0.2, seed=1), lambda t: tuple(t["translations"].shape)),
    ],
)
def test_random_transformation_of_a_dict_and_of_a_single_image(layer, batch_shape):
    of_dict = layer.get_random_transformation({"images": IMAGES})
    of_single = layer.get_random_transformation(IMAGES[0])
    assert batch_shape(of_dict)[0] == 4
    assert batch_shape(of_single)[0] == 1


def test_random_crop_offsets_of_a_single_image_read_its_height_and_width():
    layer = layers.RandomCrop(4, 5, seed=1)
    for _ in range(5):
        top, left = layer.get_random_transformation(IMAGES[0])
        assert 0 <= top <= 2 and 0 <= left <= 3
