"""Indexing a folder of files into (paths, labels, class names), validation splits, the
label encodings, and the ``PyDataset`` that reads such files batch by batch."""

import math
import os
import warnings

import numpy as np

from cornu.utils.io_utils import print_msg
from cornu.utils.py_dataset import PyDataset

LABEL_MODES = ("int", "categorical", "binary", None)


def default_workers():
    """Threads that decode files during ``fit``: two, or one on a single-core machine."""
    return max(1, min(2, os.cpu_count() or 1))


def check_labels_arg(labels, class_names, kind):
    """The checks of ``labels``, ``class_names`` shared by the ``*_dataset_from_directory``."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same size "
                f"as the number of {kind} files in the target directory. If you wish to infer "
                "the labels from the subdirectory names in the target directory, pass "
                '`labels="inferred"`. If you wish to get a dataset that only contains '
                f"{kind} samples (no labels), pass `labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                'You can only pass `class_names` if `labels="inferred"`. Received: '
                f"labels={labels}, and class_names={class_names}"
            )


def check_label_mode(label_mode):
    if label_mode not in LABEL_MODES:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", or None. '
            f"Received: label_mode={label_mode}"
        )


def check_binary(label_mode, class_names):
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 class_names. '
            f"Received: class_names={class_names}"
        )


def check_format(format):
    """Keras's ``format`` argument: ``"tf"`` or ``"grain"`` name its pipelines; cornu gives a
    ``PyDataset`` for both (no TensorFlow or Grain needed)."""
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    """Raises a ValueError for an invalid combination of the split arguments."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a `seed` "
            "argument, to make sure that there is no overlap between the training and "
            "validation subset."
        )


def _valid_files(directory, follow_links, formats):
    """(root, file name) of the files under ``directory`` whose names end with ``formats``,
    folders and names in sorted order."""
    walk = os.walk(directory, followlinks=follow_links)
    for root, _, files in sorted(walk, key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
                yield root, name


def index_directory(
    directory,
    labels,
    formats,
    class_names=None,
    shuffle=True,
    seed=None,
    follow_links=False,
    verbose=True,
):
    """Lists the files of ``directory`` with their labels.

    Args:
        directory: the folder; with ``labels="inferred"``, one subfolder per class.
        labels: ``"inferred"`` (the index of the file's class folder), None, or a list of
            integer labels, one per file in the sorted order of the paths.
        formats: the allowed file name endings (lower case, e.g. ``(".txt",)``).
        class_names: with ``labels="inferred"``, the subfolders to read, in this order.
        shuffle: shuffle the files (with ``seed``); otherwise they stay sorted.
        seed: the seed of the shuffle.
        follow_links: also walk into folders that are symbolic links.
        verbose: print how many files and classes were found.

    Returns:
        ``(file_paths, labels, class_names)``: labels an int32 array (or None).
    """
    if not os.path.isdir(directory):
        raise ValueError(
            f"`directory` must be an existing folder. Received: directory={directory!r}, "
            "which does not exist or is not a folder."
        )
    if labels == "inferred":
        subdirs = [
            name
            for name in sorted(os.listdir(directory))
            if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")
        ]
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise ValueError(
                    "The `class_names` passed did not match the names of the subdirectories "
                    f"of the target directory. Expected: {subdirs} (or a subset of it), but "
                    f"received: class_names={class_names}"
                )
            subdirs = list(class_names)
    else:
        if class_names is not None:
            if labels is None:
                raise ValueError(
                    "When `labels=None` (no labels), argument `class_names` cannot be specified."
                )
            raise ValueError(
                "When argument `labels` is specified, argument `class_names` cannot be "
                "specified (the `class_names` will be the sorted list of labels)."
            )
        subdirs = [""]
    filenames, per_class = [], []
    for index, subdir in enumerate(subdirs):
        folder = os.path.join(directory, subdir)
        found = [
            os.path.join(subdir, os.path.relpath(os.path.join(root, name), folder))
            for root, name in _valid_files(folder, follow_links, formats)
        ]
        if labels == "inferred" and not found:
            warnings.warn(
                f"The class folder {folder!r} holds no file of the allowed formats {formats}; "
                f"class {index} ({subdir!r}) will have no samples.",
                stacklevel=3,
            )
        filenames += found
        per_class.append(len(found))
    class_names = list(subdirs)
    if labels == "inferred":
        labels = np.repeat(np.arange(len(subdirs), dtype="int32"), per_class)
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                "Expected the lengths of `labels` to match the number of files in the target "
                f"directory. len(labels) is {len(labels)} while we found {len(filenames)} "
                f"files in directory {directory}."
            )
        class_names = [str(label) for label in sorted(set(labels))]
        labels = np.asarray(labels, dtype="int32")
    if verbose:
        if labels is None:
            print_msg(f"Found {len(filenames)} files.")
        else:
            print_msg(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    file_paths = [os.path.join(directory, name) for name in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def get_training_or_validation_split(samples, labels, validation_split, subset):
    """The last ``int(validation_split * n)`` samples for ``"validation"``, the others for
    ``"training"``; everything when ``validation_split`` is not set."""
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    if subset == "training":
        print_msg(f"Using {len(samples) - num_val} files for training.")
        end = len(samples) - num_val
        return samples[:end], None if labels is None else labels[:end]
    if subset == "validation":
        print_msg(f"Using {num_val} files for validation.")
        start = len(samples) - num_val
        return samples[start:], None if labels is None else labels[start:]
    raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')


def encode_labels(labels, label_mode, num_classes):
    """int32 labels as ``label_mode`` gives them: int32 ``(n,)``, float32 ``(n, 1)`` for
    ``"binary"``, float32 one-hot ``(n, num_classes)`` for ``"categorical"``."""
    labels = np.asarray(labels, dtype="int32")
    if label_mode == "binary":
        return labels.astype("float32")[..., None]
    if label_mode == "categorical":
        # As tf.one_hot: a label outside [0, num_classes) (an explicit label list such as
        # [3, 1, 3] has 2 class names) gives a row of zeros.
        out = np.zeros((len(labels), num_classes), dtype="float32")
        valid = (labels >= 0) & (labels < num_classes)
        out[np.flatnonzero(valid), labels[valid]] = 1.0
        return out
    return labels


class FileDataset(PyDataset):
    """A dataset of files decoded when a batch is read (so ``fit``'s workers decode them).

    Subclasses implement ``load(path)`` (one sample as a NumPy array) and may override
    ``collate(samples)`` (the batch of samples). With ``shuffle``, the order of the samples
    is drawn again (from ``seed``) at the end of every epoch.

    Attributes:
        file_paths: the paths of the files, in the order of the first epoch.
        class_names: the names of the classes (None without labels).
    """

    def __init__(
        self,
        file_paths,
        labels,
        label_mode,
        class_names,
        batch_size,
        shuffle=False,
        seed=None,
        workers=None,
    ):
        super().__init__(workers=default_workers() if workers is None else workers)
        self.file_paths = list(file_paths)
        self.class_names = class_names
        self.label_mode = label_mode
        self.batch_size = batch_size
        self._labels = None
        if label_mode is not None:
            self._labels = encode_labels(labels, label_mode, len(class_names))
        self._order = np.arange(len(self.file_paths))
        self._shuffle = shuffle
        self._rng = np.random.RandomState(seed) if shuffle else None

    def __len__(self):
        if self.batch_size is None:
            return len(self.file_paths)
        return math.ceil(len(self.file_paths) / self.batch_size)

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for {len(self)} batches.")
        index %= len(self)
        if self.batch_size is None:
            rows = self._order[index : index + 1]
        else:
            rows = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        samples = self.collate([self.load(self.file_paths[i]) for i in rows])
        if self.batch_size is None:
            samples = samples[0]
        if self._labels is None:
            return samples
        labels = self._labels[rows]
        return samples, labels[0] if self.batch_size is None else labels

    def load(self, path):
        """One decoded sample."""
        raise NotImplementedError

    def collate(self, samples):
        """The batch of a list of samples (stacked along a new first axis)."""
        return np.stack(samples)

    def on_epoch_end(self):
        if self._shuffle:
            self._order = self._rng.permutation(len(self.file_paths))

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def map(self, function):
        """A dataset of ``function`` applied to each batch (called with the batch's parts:
        ``function(x, y)`` for ``(x, y)`` batches), as ``tf.data.Dataset.map`` on Keras's
        batched datasets; it runs in the workers too."""
        return MappedDataset(self, function)


class MappedDataset(PyDataset):
    """The batches of a dataset passed through a function (see ``FileDataset.map``)."""

    def __init__(self, dataset, function):
        super().__init__(
            workers=dataset.workers,
            use_multiprocessing=dataset.use_multiprocessing,
            max_queue_size=dataset.max_queue_size,
        )
        self.dataset = dataset
        self.function = function
        self.class_names = getattr(dataset, "class_names", None)
        self.file_paths = getattr(dataset, "file_paths", None)

    def __len__(self):
        return len(self.dataset)

    def __getitem__(self, index):
        batch = self.dataset[index]
        if isinstance(batch, tuple):
            return self.function(*batch)
        return self.function(batch)

    def on_epoch_begin(self):
        self.dataset.on_epoch_begin()

    def on_epoch_end(self):
        self.dataset.on_epoch_end()

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def map(self, function):
        return MappedDataset(self, function)


def check_common_args(labels, label_mode, class_names, kind, format="tf"):
    """The argument checks every ``*_dataset_from_directory`` starts with; returns ``labels``
    and ``label_mode``, both None when either is (a dataset of samples only)."""
    check_labels_arg(labels, class_names, kind)
    check_format(format)
    check_label_mode(label_mode)
    if labels is None or label_mode is None:
        return None, None
    return labels, label_mode


def split_seed(validation_split, subset, shuffle, seed):
    """Checks the split arguments; the seed of the shuffle and split (drawn when None)."""
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    return np.random.randint(1e6) if seed is None else seed


def dataset_from_directory(
    dataset_class,
    extra_args,
    directory,
    noun,
    formats,
    *,
    labels,
    label_mode,
    class_names,
    batch_size,
    shuffle,
    seed,
    validation_split,
    subset,
    follow_links,
    verbose,
):
    """The dataset (or the ``[training, validation]`` pair for ``subset="both"``) of the files
    found by ``index_directory``: each is ``dataset_class(paths, labels, label_mode,
    class_names, batch_size, shuffle=..., seed=seed, **extra_args)``; ``noun`` names the files
    in errors (``"images"``)."""
    file_paths, labels, class_names = index_directory(
        directory,
        labels,
        formats=formats,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )

    def make(paths, part_labels, part_shuffle):
        check_binary(label_mode, class_names)
        return dataset_class(
            paths,
            part_labels,
            label_mode,
            class_names,
            batch_size,
            shuffle=part_shuffle,
            seed=seed,
            **extra_args,
        )

    if subset == "both":
        parts = []
        for name in ("training", "validation"):
            paths, part_labels = get_training_or_validation_split(
                file_paths, labels, validation_split, name
            )
            if not paths:
                raise ValueError(
                    f"No {name} {noun} found in directory {directory}. Allowed formats: {formats}"
                )
            parts.append((paths, part_labels, shuffle and name == "training"))
        return [make(*part) for part in parts]
    paths, labels = get_training_or_validation_split(file_paths, labels, validation_split, subset)
    if not paths:
        raise ValueError(f"No {noun} found in directory {directory}. Allowed formats: {formats}")
    return make(paths, labels, shuffle)
