"""``image_dataset_from_directory``: a folder of images (one subfolder per class) as a
``PyDataset`` of batches, decoded with Pillow and resized with ``cornu.ops.image.resize``."""

import numpy as np

from cornu import backend, ops
from cornu.utils import dataset_utils
from cornu.utils.image_utils import convert_color, pil_image

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")
# Keras also names these; TensorFlow's resize has them, cornu.ops.image.resize does not.
_TF_ONLY_INTERPOLATIONS = ("gaussian", "mitchellcubic")
_COLOR_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


class ImageFolderDataset(dataset_utils.FileDataset):
    """Batches of images read from files (see ``image_dataset_from_directory``)."""

    def __init__(
        self,
        *args,
        image_size,
        color_mode,
        interpolation,
        crop_to_aspect_ratio,
        pad_to_aspect_ratio,
        data_format,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.image_size = tuple(image_size)
        self.color_mode = color_mode
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.data_format = data_format

    def load(self, path):
        """The decoded image ``(height, width, channels)`` (uint8 for 8-bit images), before
        resizing."""
        image_module = pil_image("image_dataset_from_directory")
        try:
            with image_module.open(path) as img:
                img.seek(0)  # the first frame of an animated GIF, as Keras
                array = np.asarray(convert_color(img, self.color_mode))
        except (OSError, SyntaxError, ValueError) as error:
            raise ValueError(
                f"image_dataset_from_directory could not decode the image file {path!r} "
                f"({type(error).__name__}: {error}). Remove or replace the file."
            ) from error
        if array.ndim == 2:
            array = array[:, :, None]
        return array

    def collate(self, samples):
        """The float32 batch: images resized together when they share a shape."""
        if all(s.shape == samples[0].shape for s in samples):
            return self._resize(np.stack(samples).astype("float32"))
        return np.concatenate([self._resize(s[None].astype("float32")) for s in samples])

    def _resize(self, images):
        if self.data_format == "channels_first":
            images = images.transpose(0, 3, 1, 2)
        if images.shape[1:3] == self.image_size and self.data_format == "channels_last":
            return images  # resizing to its own size gives the image back, exactly
        if images.shape[2:4] == self.image_size and self.data_format == "channels_first":
            return np.ascontiguousarray(images)
        out = ops.image.resize(
            ops.convert_to_tensor(images),
            size=self.image_size,
            interpolation=self.interpolation,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            data_format=self.data_format,
        )
        return ops.convert_to_numpy(out)


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    format="tf",
    verbose=True,
):
    """Generates a dataset of images (and labels) from the image files in a directory.

    With ``labels="inferred"``, each subfolder of ``directory`` is a class (in sorted order,
    or the order of ``class_names``), and the images of its whole subtree are its samples.
    Files ending in ``.bmp``, ``.gif``, ``.jpeg``, ``.jpg`` or ``.png`` are read (the first
    frame of an animated GIF). Images are decoded with Pillow when a batch is read, so the
    ``workers`` of the returned ``PyDataset`` (2 by default) decode while ``fit`` trains.

    Args:
        directory: the folder of the images.
        labels: ``"inferred"``, None (no labels), or a list of integer labels, one per
            image file in the sorted order of their paths.
        label_mode: ``"int"`` (int32 ``(batch,)``), ``"categorical"`` (float32 one-hot
            ``(batch, num_classes)``), ``"binary"`` (float32 ``(batch, 1)``, two classes only)
            or None (images only).
        class_names: with ``labels="inferred"``, the subfolders to use, in this order.
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"`` (3, 4 or 1 channels).
        batch_size: the batch size; None yields single images.
        image_size: ``(height, width)`` the images are resized to.
        shuffle: shuffle the images (again at each epoch); otherwise they are in sorted order.
        seed: the seed of the shuffle (and of the split).
        validation_split: fraction of the images kept for validation (the last ones).
        subset: ``"training"``, ``"validation"`` or ``"both"`` (a list of the two datasets);
            only with ``validation_split``.
        interpolation: as ``cornu.ops.image.resize``: ``"bilinear"``, ``"nearest"``,
            ``"bicubic"``, ``"area"``, ``"lanczos3"`` or ``"lanczos5"``.
        follow_links: also walk into subfolders that are symbolic links.
        crop_to_aspect_ratio: crop the center to the target aspect ratio before resizing.
        pad_to_aspect_ratio: pad with zeros to the target aspect ratio before resizing.
        data_format: layout of the images; defaults to ``cornu.config.image_data_format()``.
        format: ``"tf"`` or ``"grain"`` (Keras's pipelines); both give a ``PyDataset``.
        verbose: print how many files and classes were found.

    Returns:
        A ``cornu.utils.PyDataset`` of float32 image batches ``(batch, height, width,
        channels)`` (and labels), with attributes ``class_names`` and ``file_paths``; for
        ``subset="both"``, a list ``[train_dataset, validation_dataset]``.
    """
    labels, label_mode = dataset_utils.check_common_args(
        labels, label_mode, class_names, "image", format
    )
    if color_mode not in _COLOR_CHANNELS:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
            f"Received: color_mode={color_mode}"
        )
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(
            f"Invalid `image_size` value. Expected a tuple of 2 integers. "
            f"Received: image_size={image_size}"
        )
    interpolation = interpolation.lower()
    if interpolation not in INTERPOLATIONS:
        hint = ""
        if interpolation in _TF_ONLY_INTERPOLATIONS:
            hint = " (it needs TensorFlow's image resizing, which cornu does not use)"
        raise ValueError(
            f"Argument `interpolation` should be one of {INTERPOLATIONS}{hint}. "
            f"Received: interpolation={interpolation}"
        )
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`."
        )
    seed = dataset_utils.split_seed(validation_split, subset, shuffle, seed)
    pil_image("image_dataset_from_directory")  # fail now, not in the first batch
    data_format = backend.standardize_data_format(data_format)
    return dataset_utils.dataset_from_directory(
        ImageFolderDataset,
        dict(
            image_size=image_size,
            color_mode=color_mode,
            interpolation=interpolation,
            crop_to_aspect_ratio=crop_to_aspect_ratio,
            pad_to_aspect_ratio=pad_to_aspect_ratio,
            data_format=data_format,
        ),
        directory,
        "images",
        ALLOWLIST_FORMATS,
        labels=labels,
        label_mode=label_mode,
        class_names=class_names,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        validation_split=validation_split,
        subset=subset,
        follow_links=follow_links,
        verbose=verbose,
    )
