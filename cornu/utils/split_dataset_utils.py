"""``split_dataset``: a dataset of samples cut into a left and a right part."""

import numpy as np


class Subset:
    """The samples of ``dataset`` at ``indices`` (an indexable dataset with a length)."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[int(self.indices[index])]


def _rescale_sizes(left_size, right_size, total):
    """The integer sizes of the two parts, checked as Keras does."""
    for name, value in (("left_size", left_size), ("right_size", right_size)):
        if value is not None and type(value) not in (int, float):
            raise TypeError(
                f"Invalid `{name}` Type. Expected: int or float or None, Received: "
                f"type({name})={type(value)}."
            )
    if left_size is None and right_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. Received: "
            "left_size=None and right_size=None"
        )
    if left_size == 0 and right_size == 0:
        raise ValueError(
            "Both `left_size` and `right_size` are zero. At least one of the split sizes "
            "must be non-zero."
        )
    for name, value in (("left_size", left_size), ("right_size", right_size)):
        if (type(value) is int and (value <= 0 or value >= total)) or (
            type(value) is float and (value <= 0 or value >= 1)
        ):
            raise ValueError(
                f"`{name}` should be either a positive integer smaller than {total}, or a "
                f"float within the range `[0, 1]`. Received: {name}={value}"
            )
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError(
            "The sum of `left_size` and `right_size` is greater than 1. It must be less than "
            "or equal to 1."
        )
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    if left is None:
        left = total - right
    elif right is None:
        right = total - left
    if left + right > total:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should be smaller than the {total}. "
            f"Received: left_size + right_size = {left + right} and total_length = {total}"
        )
    for split, side in ((left, "left"), (right, "right")):
        if split == 0:
            raise ValueError(
                f"With `dataset` of length={total}, `left_size`={left} and "
                f"`right_size`={right}. Resulting {side} side dataset split will be empty. "
                "Adjust any of the aforementioned parameters"
            )
    return int(left), int(right)


def _length(dataset):
    if isinstance(dataset, dict):
        lengths = {len(v) for v in dataset.values()}
    elif isinstance(dataset, tuple) or (
        isinstance(dataset, list) and dataset and all(hasattr(v, "shape") for v in dataset)
    ):
        lengths = {len(v) for v in dataset}
    else:
        return len(dataset)
    if len(lengths) != 1:
        raise ValueError(
            "split_dataset: the arrays of `dataset` must all have the same length. Received "
            f"lengths {sorted(lengths)}."
        )
    return lengths.pop()


def _take(dataset, indices):
    if isinstance(dataset, np.ndarray):
        return dataset[indices]
    if isinstance(dataset, dict):
        return {k: np.asarray(v)[indices] for k, v in dataset.items()}
    if isinstance(dataset, tuple) or (
        isinstance(dataset, list) and dataset and all(hasattr(v, "shape") for v in dataset)
    ):
        return type(dataset)(np.asarray(v)[indices] for v in dataset)
    return Subset(dataset, indices)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset into a left part and a right part (e.g. train / test).

    Args:
        dataset: a NumPy array, a tuple (or list) or dict of arrays of one length, or any
            dataset with ``__len__`` and ``__getitem__`` (e.g. a ``torch.utils.data.Dataset``).
        left_size: a float in ``(0, 1)`` (the fraction of the samples, rounded) or an int
            (the number of samples) for the left part; None for the complement of
            ``right_size``.
        right_size: likewise for the right part.
        shuffle: shuffle the samples before splitting; otherwise the left part holds the
            first samples.
        seed: the seed of the shuffle.

    Returns:
        ``(left, right)``: arrays or structures of arrays for array inputs, else two
        index-subset views of ``dataset``.
    """
    if not (isinstance(dataset, (np.ndarray, tuple, list, dict)) or hasattr(dataset, "__len__")):
        raise TypeError(
            "The `dataset` argument must be a NumPy array, a tuple/list/dict of arrays, or a "
            f"dataset with `__len__` and `__getitem__`. Received: dataset={dataset!r} of "
            f"type {type(dataset)}"
        )
    total = _length(dataset)
    left, right = _rescale_sizes(left_size, right_size, total)
    order = np.arange(total)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(order)
    return _take(dataset, order[:left]), _take(dataset, order[left : left + right])
