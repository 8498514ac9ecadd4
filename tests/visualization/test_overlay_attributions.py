"""overlay_attributions: heatmaps scaled, resized and blended onto the images."""

import numpy as np
import pytest

from cornu.visualization import overlay_attributions
from cornu.visualization.overlay_attributions import heatmaps

pytest.importorskip("matplotlib")


def test_heatmaps_reduce_resize_and_normalize():
    maps = np.zeros((2, 8, 8, 3), "float32")
    maps[0, 2, 3, 1] = -4.0
    maps[1, 5, 5, 0] = 2.0
    heat = heatmaps(maps, (8, 8))
    assert heat.shape == (2, 8, 8) and heat.max() == 1.0
    assert heat[0, 2, 3] == 1.0 and heat[1, 5, 5] == 1.0
    assert heatmaps(maps, (8, 8), absolute=False)[0].max() == 0.0
    small = heatmaps(np.ones((2, 2, 2), "float32"), (8, 8))
    assert small.shape == (2, 8, 8)
    np.testing.assert_allclose(small, 1.0)


def test_overlay_blends_colours():
    images = np.full((2, 6, 6), 0.5, "float32")
    cam = np.zeros((2, 3, 3), "float32")
    cam[:, 0, 0] = 1.0
    out = overlay_attributions(images, cam, alpha=0.5, value_range=(0, 1), cmap="gray")
    assert out.shape == (2, 6, 6, 3) and out.dtype == np.uint8
    assert out[0, 0, 0, 0] > out[0, 5, 5, 0]  # hot corner brighter than the cold one
    np.testing.assert_array_equal(out[0, 5, 5], [63, 63, 63])  # 0.5 * 127.5 + 0.5 * 0
    with pytest.raises(ValueError, match="`alpha` must be in"):
        overlay_attributions(images, cam, alpha=2)
    with pytest.raises(ValueError, match="3 attribution maps for 2 images"):
        overlay_attributions(images, np.zeros((3, 6, 6)))
