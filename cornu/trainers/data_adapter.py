"""In-memory arrays as batches: converted to backend tensors once, then gathered by index."""

import math

import numpy as np

from cornu import backend, ops
from cornu.backend import tree


def _to_array(x, role):
    if backend.is_tensor(x):
        return x
    if isinstance(x, (list, tuple)) and not x:
        raise ValueError(f"`{role}` is empty.")
    array = np.asarray(x)
    if array.dtype.kind in "OUSV":
        raise TypeError(
            f"`{role}` must hold numbers, but it is an array of dtype {array.dtype}"
            f"{' (strings)' if array.dtype.kind in 'US' else ''}. Convert it to a numeric "
            "array first (e.g. `np.asarray(x, dtype='float32')`)."
        )
    if array.ndim == 0:
        raise ValueError(f"`{role}` must be an array with a batch axis, received a scalar.")
    return array


def _to_tensor(array):
    if backend.is_tensor(array):
        if backend.is_float_dtype(array.dtype) and backend.standardize_dtype(array.dtype) != (
            backend.floatx()
        ):
            return ops.cast(array, backend.floatx())
        return array
    if array.dtype.kind == "f" and array.dtype != np.dtype(backend.floatx()):
        array = array.astype(backend.floatx())
    return ops.convert_to_tensor(array)


def _label_range(array):
    if backend.is_tensor(array) or array.dtype.kind not in "iu" or array.size == 0:
        return None
    return int(array.min()), int(array.max())


def class_weights_to_sample_weights(y, class_weight):
    """Per-sample weights ``class_weight[label]`` for labels ``y`` (integers or one-hot)."""
    y = np.asarray(backend.convert_to_numpy(y))
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = np.round(y.reshape(len(y), -1)[:, 0]).astype("int64")
    weights = np.ones(len(labels), dtype=backend.floatx())
    for cls, w in class_weight.items():
        weights[labels == int(cls)] = w
    return weights


class ArrayDataAdapter:
    """Iterates over in-memory arrays (NumPy arrays, tensors, lists; nested in lists/dicts).

    Args:
        x, y, sample_weight: the data; every leaf has the same number of samples.
        batch_size: samples per batch (the last batch may be smaller).
        shuffle: reshuffle the samples at every epoch.
        class_weight: a dict ``{class_index: weight}``, turned into sample weights.
    """

    def __init__(
        self, x, y=None, sample_weight=None, batch_size=32, shuffle=True, class_weight=None
    ):
        if x is None:
            raise ValueError("`x` is None: pass the input data (e.g. a NumPy array).")
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"`batch_size` must be a positive int. Received: {batch_size!r}")
        if class_weight is not None:
            if y is None:
                raise ValueError("`class_weight` needs targets `y`.")
            if sample_weight is not None:
                raise ValueError(
                    "You cannot pass both `class_weight` and `sample_weight`: combine them "
                    "into `sample_weight`."
                )
            if len(tree.flatten(y)) != 1:
                raise ValueError("`class_weight` is only supported for models with one output.")
            sample_weight = class_weights_to_sample_weights(tree.flatten(y)[0], class_weight)
        arrays = {"x": x, "y": y, "sample_weight": sample_weight}
        flat = {}
        for role, data in arrays.items():
            if data is None:
                continue
            flat[role] = [_to_array(leaf, role) for leaf in tree.flatten(data)]
        sizes = {role: [int(a.shape[0]) for a in leaves] for role, leaves in flat.items()}
        all_sizes = {s for leaves in sizes.values() for s in leaves}
        if len(all_sizes) > 1:
            detail = " ".join(
                f"'{role}' sizes: {', '.join(map(str, s))}" for role, s in sizes.items()
            )
            raise ValueError(
                "Data cardinality is ambiguous: make sure all arrays contain the same number "
                f"of samples. {detail}"
            )
        self.num_samples = all_sizes.pop()
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.label_ranges = [_label_range(a) for a in flat.get("y", [])]
        self._structures = arrays
        self._tensors = {role: [_to_tensor(a) for a in leaves] for role, leaves in flat.items()}

    @property
    def num_batches(self):
        return math.ceil(self.num_samples / self.batch_size)

    def _pack(self, role, leaves):
        if role not in self._tensors:
            return None
        return tree.pack_sequence_as(self._structures[role], leaves)

    def batches(self):
        """One epoch of ``(x, y, sample_weight)`` batches."""
        roles = list(self._tensors)
        n, size = self.num_samples, self.batch_size
        order = None
        if self.shuffle and n > 1:
            order = ops.convert_to_tensor(np.random.permutation(n))
        for start in range(0, n, size):
            stop = min(start + size, n)
            if order is None:
                picked = {r: [t[start:stop] for t in self._tensors[r]] for r in roles}
            else:
                index = order[start:stop]
                picked = {r: [ops.take(t, index, axis=0) for t in self._tensors[r]] for r in roles}
            yield (
                self._pack("x", picked["x"]),
                self._pack("y", picked.get("y")),
                self._pack("sample_weight", picked.get("sample_weight")),
            )


def split_for_validation(x, y, sample_weight, validation_split):
    """Splits off the last ``validation_split`` fraction of the samples, as Keras does."""
    if not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1. Received: {validation_split}"
        )
    leaves = [leaf for leaf in tree.flatten((x, y, sample_weight)) if leaf is not None]
    n = int(leaves[0].shape[0])
    cut = int(math.floor(n * (1.0 - validation_split)))
    if cut == 0 or cut == n:
        raise ValueError(
            f"`validation_split={validation_split}` leaves no samples for "
            f"{'training' if cut == 0 else 'validation'} out of {n}."
        )

    def part(data, lo, hi):
        if data is None:
            return None
        return tree.map_structure(lambda a: _to_array(a, "x")[lo:hi], data)

    train = (part(x, 0, cut), part(y, 0, cut), part(sample_weight, 0, cut))
    val = (part(x, cut, n), part(y, cut, n), part(sample_weight, cut, n))
    return train, val
