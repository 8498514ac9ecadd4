"""overlay_attributions: attribution maps (`cornu.explain`) drawn as heatmaps on images."""

import numpy as np

from cornu import ops
from cornu.visualization import _common


def heatmaps(attributions, size, absolute=True, data_format=None):
    """Attribution maps as `(batch, height, width)` values in [0, 1].

    Channels are reduced by their largest magnitude, maps of another size (Grad-CAM's
    feature maps) are resized bilinearly to `size`, and each map is divided by its maximum.
    """
    a = np.asarray(_common.to_numpy(attributions), "float32")
    a = np.abs(a) if absolute else np.maximum(a, 0)
    if a.ndim == 4:
        a = a.max(axis=-1 if _common.data_format_of(data_format) == "channels_last" else 1)
    if a.ndim != 3:
        raise ValueError(
            "overlay_attributions: `attributions` must be maps of shape (batch, height, width) "
            f"or (batch, height, width, channels). Received shape {a.shape}."
        )
    if a.shape[1:] != tuple(size):
        resized = ops.image.resize(a[..., None], tuple(size), interpolation="bilinear")
        a = np.asarray(ops.convert_to_numpy(resized), "float32")[..., 0]
    peak = a.reshape(len(a), -1).max(axis=1).reshape(-1, 1, 1)
    return np.where(peak > 0, a / np.where(peak > 0, peak, 1), 0).astype("float32")


def overlay_attributions(
    images,
    attributions,
    alpha=0.5,
    cmap="jet",
    value_range=(0, 255),
    absolute=True,
    data_format=None,
):
    """Blends attribution heatmaps over images.

    Args:
        images: images `(batch, height, width, channels)` (1 or 3 channels) or
            `(batch, height, width)`.
        attributions: maps from `cornu.explain`: shaped like the images, or `(batch, h, w)`
            (Grad-CAM's, resized to the images).
        alpha: the heatmap's opacity, in [0, 1].
        cmap: the name of a matplotlib colormap.
        value_range: the range of the images' values, e.g. `(0, 1)` or `(0, 255)`.
        absolute: whether to show magnitudes (`True`) or only positive attributions.
        data_format: `"channels_last"` or `"channels_first"` (default: the config's).

    Returns:
        A uint8 NumPy array `(batch, height, width, 3)`.
    """
    if not 0 <= alpha <= 1:
        raise ValueError(f"overlay_attributions: `alpha` must be in [0, 1]. Received: {alpha}")
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            "`overlay_attributions` requires matplotlib. Install it with `pip install "
            'matplotlib` (or `pip install "cornu[viz]"`).'
        ) from error
    data_format = _common.data_format_of(data_format)
    images = np.asarray(_common.to_numpy(images), "float32")
    if images.ndim == 4 and data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            "overlay_attributions: `images` must be (batch, height, width[, 1 or 3 channels])."
            f" Received shape {images.shape}."
        )
    images = _common.transform_value_range(images, value_range, (0, 255))
    images = np.repeat(images, 3, axis=-1) if images.shape[-1] == 1 else images
    maps = heatmaps(attributions, images.shape[1:3], absolute, data_format)
    if len(maps) != len(images):
        raise ValueError(
            f"overlay_attributions: {len(maps)} attribution maps for {len(images)} images."
        )
    colors = matplotlib.colormaps[cmap](maps)[..., :3] * 255
    blended = (1 - alpha) * images + alpha * colors
    return np.clip(blended, 0, 255).astype("uint8")
