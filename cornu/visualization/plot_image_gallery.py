"""plot_image_gallery: a grid of images with their true and predicted labels (matplotlib)."""

import math

import numpy as np

from cornu.visualization import _common


def plot_image_gallery(
    images,
    y_true=None,
    y_pred=None,
    label_map=None,
    rows=None,
    cols=None,
    value_range=(0, 255),
    scale=2,
    path=None,
    show=None,
    transparent=True,
    dpi=60,
    legend_handles=None,
    data_format=None,
):
    """Shows (or saves) a grid of images, titled with their labels and predictions.

    Args:
        images: images of shape `(batch, height, width, channels)`.
        y_true, y_pred: class indices `(batch,)` to show as "Label:" and "Pred:" titles;
            they need `label_map`.
        label_map: dict of class index to name.
        rows, cols: the grid (default: `ceil(sqrt(batch))` rows and `batch // rows` columns,
            as Keras).
        value_range: the range of the images' values, e.g. `(0, 255)` or `(0, 1)`.
        scale: inches per image.
        path: where to save the picture; when None it is shown (`plt.show()`).
        show: whether to show it (default: when `path` is None); not with `path`.
        transparent: whether the saved picture has a transparent background.
        dpi: resolution of the saved picture.
        legend_handles: matplotlib patches for a legend.
        data_format: `"channels_last"` or `"channels_first"` (default: the config's).
    """
    plt = _common.pyplot("plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_gallery() expects either `path` to be set, or `show` to be true.")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError(
            "If `y_true` or `y_pred` are provided, a `label_map` must also be provided."
        )
    show = show if show is not None else path is None
    data_format = _common.data_format_of(data_format)
    images = _common.to_numpy(images)
    if images.ndim != 4:
        raise ValueError(
            "`plot_images_gallery()` requires you to batch your `np.array` samples together."
        )
    batch_size = images.shape[0]
    rows = rows or int(math.ceil(math.sqrt(batch_size)))
    cols = cols or int(math.ceil(batch_size // rows))
    images = images[: min(rows * cols, batch_size)]
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    fig, axes = plt.subplots(
        nrows=rows,
        ncols=cols,
        figsize=(cols * scale, rows * scale),
        frameon=False,
        layout="tight",
        squeeze=True,
        sharex="row",
        sharey="col",
    )
    fig.subplots_adjust(wspace=0, hspace=0)
    if isinstance(axes, np.ndarray) and axes.ndim == 1:
        axes = np.expand_dims(axes, 0 if rows == 1 else -1)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    images = _common.transform_value_range(images, value_range, (0, 255))
    y_true = None if y_true is None else _common.to_numpy(y_true)
    y_pred = None if y_pred is None else _common.to_numpy(y_pred)
    for row in range(rows):
        for col in range(cols):
            index = row * cols + col
            axis = axes[row, col] if isinstance(axes, np.ndarray) else axes
            axis.imshow(np.asarray(images[index]).astype("uint8"))
            axis.margins(x=0, y=0)
            axis.axis("off")
            title = []
            if y_true is not None and index < len(y_true):
                title.append(f"Label: {label_map.get(y_true[index], 'Unknown')}")
            if y_pred is not None and index < len(y_pred):
                title.append(f"Pred: {label_map.get(y_pred[index], 'Unknown')}")
            if title:
                axis.set_title("  ".join(title), fontsize=8)
    if path is not None:
        plt.savefig(fname=path, pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
        plt.close()
    elif show:
        plt.show()
        plt.close()
