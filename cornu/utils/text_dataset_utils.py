"""``text_dataset_from_directory``: a folder of ``.txt`` files (one subfolder per class) as a
``PyDataset`` of batches of strings."""

import numpy as np

from cornu.utils import dataset_utils


class TextFolderDataset(dataset_utils.FileDataset):
    """Batches of texts read from files (see ``text_dataset_from_directory``)."""

    def __init__(self, *args, max_length=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def load(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if self.max_length is not None:
            data = data[: self.max_length]  # bytes, as TensorFlow's substr
        return data.decode("utf-8", errors="ignore")

    def collate(self, samples):
        out = np.empty(len(samples), dtype=object)
        out[:] = samples
        return out


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    format="tf",
    verbose=True,
):
    """Generates a dataset of texts (and labels) from the ``.txt`` files in a directory.

    With ``labels="inferred"``, each subfolder of ``directory`` is a class (in sorted order,
    or the order of ``class_names``). Files are read (as UTF-8) when a batch is read.

    Args:
        directory: the folder of the text files.
        labels: ``"inferred"``, None (no labels), or a list of integer labels, one per
            file in the sorted order of their paths.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None, as in
            ``image_dataset_from_directory``.
        class_names: with ``labels="inferred"``, the subfolders to use, in this order.
        batch_size: the batch size; None yields single texts.
        max_length: keep at most this many bytes of each file.
        shuffle: shuffle the files (again at each epoch); otherwise in sorted order.
        seed: the seed of the shuffle (and of the split).
        validation_split: fraction of the files kept for validation (the last ones).
        subset: ``"training"``, ``"validation"`` or ``"both"``; only with
            ``validation_split``.
        follow_links: also walk into subfolders that are symbolic links.
        format: ``"tf"`` or ``"grain"`` (Keras's pipelines); both give a ``PyDataset``.
        verbose: print how many files and classes were found.

    Returns:
        A ``cornu.utils.PyDataset`` whose batches are NumPy object arrays of strings
        ``(batch,)`` (and labels), with ``class_names`` and ``file_paths``; for
        ``subset="both"``, a list ``[train_dataset, validation_dataset]``.
    """
    labels, label_mode = dataset_utils.check_common_args(
        labels, label_mode, class_names, "text", format
    )
    seed = dataset_utils.split_seed(validation_split, subset, shuffle, seed)
    return dataset_utils.dataset_from_directory(
        TextFolderDataset,
        dict(max_length=max_length),
        directory,
        "text files",
        (".txt",),
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
