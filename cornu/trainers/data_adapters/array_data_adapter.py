"""In-memory arrays as batches: converted to backend tensors once, then gathered by index."""

import math
import warnings

import numpy as np

from cornu import backend, core, ops
from cornu.core import config, tree
from cornu.distribution import distribution_lib
from cornu.trainers.data_adapters import data_adapter_utils


def is_array_like(x):
    """True for what this adapter takes: NumPy arrays, tensors, pandas objects, lists of
    numbers, and lists/tuples/dicts of those."""
    flat = tree.flatten(x)
    return bool(flat) and all(
        leaf is None
        or ops.is_tensor(leaf)
        or _is_foreign_tensor(leaf)
        or isinstance(leaf, (np.ndarray, np.generic, int, float, bool))
        or _is_pandas(leaf)
        for leaf in flat
    )


def _is_pandas(x):
    module = type(x).__module__
    return (module == "pandas" or module.startswith("pandas.")) and hasattr(x, "to_numpy")


def _is_foreign_tensor(x):
    """True for a torch tensor or a jax array that the active backend does not take as its
    own: read through NumPy, as Keras reads another framework's tensors."""
    return any(
        (cls.__name__ == "Tensor" and cls.__module__.startswith("torch"))
        or (cls.__name__ == "Array" and cls.__module__.startswith("jax"))
        for cls in type(x).__mro__
    )


def _to_array(x, role):
    if ops.is_tensor(x):
        return x
    if _is_foreign_tensor(x) and hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    if _is_pandas(x):
        x = x.to_numpy()
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
    if ops.is_tensor(array):
        array = backend.core.to_device(array)
        if core.is_float_dtype(array.dtype) and core.standardize_dtype(array.dtype) != (
            core.floatx()
        ):
            return ops.cast(array, core.floatx())
        return array
    if array.dtype.kind == "f" and array.dtype != np.dtype(core.floatx()):
        array = array.astype(core.floatx())
    return ops.convert_to_tensor(array)


def _warn_non_finite(flat):
    """One warning when the float arrays hold NaN or infinity (they train to a NaN loss).
    Runs once per adapter, on the NumPy arrays, before they become tensors."""
    for role, leaves in flat.items():
        for index, array in enumerate(leaves):
            if ops.is_tensor(array) or array.dtype.kind != "f":
                continue
            # A sum is NaN or infinite whenever an element is (and seldom otherwise): the
            # elements are counted only then, so clean data costs one pass of additions.
            with np.errstate(all="ignore"):
                total = np.add.reduce(array, axis=None) if array.size else 0.0
            if np.isfinite(total):
                continue
            bad = array.size - int(np.count_nonzero(np.isfinite(array)))
            if bad:
                where = role if len(leaves) == 1 else f"{role}[{index}]"
                warnings.warn(
                    f"`{where}` holds {bad} NaN or infinite value(s) (of {array.size}): the loss "
                    "will become NaN. Clean or impute the data first (e.g. `np.nan_to_num`).",
                    stacklevel=5,
                )


def tensor_from_array(x, role="x"):
    """One array-like (NumPy, tensor, pandas, list) as a backend tensor, checked and cast as
    ``fit`` casts its inputs; for single batches that need no adapter."""
    return _to_tensor(_to_array(x, role))


def _label_range(array):
    if ops.is_tensor(array) or array.dtype.kind not in "iu" or array.size == 0:
        return None
    return int(array.min()), int(array.max())


def _gathers_on_host():
    """Whether batches are gathered from NumPy arrays on the host and handed out as NumPy.

    On JAX and TensorFlow each eager op is a dispatch of its own, so gathering a batch from a
    device tensor costs more than the step, and so does sending a batch on its own: the
    compiled step takes the NumPy batch and converts it within its call, as Keras's JAX and
    TensorFlow backends do on CPU. On torch a batch is one index gather from the tensor made
    once.
    """
    return config.backend() in ("jax", "tensorflow")


def _host_array(array):
    """A leaf as the host array its batches are gathered from: floats cast to ``floatx()``
    once (as ``_to_tensor`` casts them), tensors read back to NumPy."""
    if ops.is_tensor(array):
        array = np.asarray(ops.convert_to_numpy(array))
    if array.dtype.kind == "f" and array.dtype != np.dtype(core.floatx()):
        array = array.astype(core.floatx())
    return array


def _flatten_data(data):
    # Pandas objects are leaves, not containers to walk into.
    return [data] if _is_pandas(data) else tree.flatten(data)


class ArrayDataAdapter:
    """Iterates over in-memory arrays (NumPy arrays, tensors, pandas objects, lists; nested in
    lists, tuples or dicts).

    Args:
        x, y, sample_weight: the data; every leaf has the same number of samples.
        batch_size: samples per batch (the last batch may be smaller). When None: 32, or
            ``ceil(num_samples / steps)`` when ``steps`` is given.
        shuffle: ``True`` reshuffles the samples at every epoch; ``"batch"`` shuffles the order
            of batch-sized chunks (and samples within each chunk).
        class_weight: a dict ``{class_index: weight}``, turned into sample weights.
        shard: for data parallelism, ``(process, count, mode)``: with mode ``"batch"`` each
            global batch of ``batch_size`` is split over the processes (this one takes its
            part); with ``"contiguous"`` this process takes one contiguous part of the data.
        steps: the steps of an epoch, used to size the batches when ``batch_size`` is None.
    """

    reusable = True

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=32,
        shuffle=True,
        class_weight=None,
        shard=None,
        steps=None,
    ):
        if x is None:
            raise ValueError("`x` is None: pass the input data (e.g. a NumPy array).")
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError(f"`batch_size` must be a positive int. Received: {batch_size!r}")
        if shuffle not in (True, False, "batch"):
            raise ValueError(f"`shuffle` must be True, False or 'batch'. Received: {shuffle!r}")
        if sample_weight is not None and tree.is_nested(y) and not _is_pandas(y):
            _check_single_sample_weight(sample_weight)
        if class_weight is not None:
            data_adapter_utils.check_class_weight(y, class_weight, sample_weight)
            sample_weight = data_adapter_utils.class_weights_to_sample_weights(
                _to_array(_flatten_data(y)[0], "y"), class_weight
            )
        arrays = {"x": x, "y": y, "sample_weight": sample_weight}
        flat = {}
        for role, data in arrays.items():
            if data is None:
                continue
            flat[role] = [_to_array(leaf, role) for leaf in _flatten_data(data)]
            if _is_pandas(data):
                arrays[role] = flat[role][0]
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
        if batch_size is None:
            batch_size = math.ceil(self.num_samples / steps) if steps else 32
        self.batch_size = max(1, batch_size)
        self.shuffle = shuffle
        self.label_ranges = [_label_range(a) for a in flat.get("y", [])]
        self._structures = arrays
        if shard is not None and shard[2] == "contiguous":
            start, stop = distribution_lib.contiguous_shard(self.num_samples, shard[0], shard[1])
            flat = {role: [a[start:stop] for a in leaves] for role, leaves in flat.items()}
            self.num_samples = stop - start
            shard = None
        self.shard = shard
        self.current_scale = 1.0
        _warn_non_finite(flat)
        self._on_host = _gathers_on_host()
        convert = _host_array if self._on_host else _to_tensor
        self._tensors = {role: [convert(a) for a in leaves] for role, leaves in flat.items()}

    @property
    def num_batches(self):
        return math.ceil(self.num_samples / self.batch_size)

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass

    def _pack(self, role, leaves):
        if role not in self._tensors:
            return None
        return tree.pack_sequence_as(self._structures[role], leaves)

    def first_batch(self):
        """The first ``batch_size`` samples in their stored order (no shuffling, no random
        draw), packed as ``batches()`` packs a batch."""
        if self.num_samples == 0:
            return None
        stop = min(self.batch_size, self.num_samples)
        return self._batch(slice(0, stop))

    def _batch_indices(self):
        """The epoch's batches as slices (no shuffling) or index arrays."""
        n, size = self.num_samples, self.batch_size
        starts = range(0, n, size)
        if not self.shuffle or n < 2:
            return [slice(s, min(s + size, n)) for s in starts]
        if self.shuffle == "batch":
            # Keras's torch behaviour: the batches keep their samples; their order changes.
            order = np.random.permutation(len(starts))
            return [slice(starts[i], min(starts[i] + size, n)) for i in order]
        order = distribution_lib.shared_permutation(n) if self.shard else np.random.permutation(n)
        if not self._on_host:
            order = ops.convert_to_tensor(order)
        return [order[s : min(s + size, n)] for s in starts]

    def _local_part(self, index):
        """This process's part of a global batch, and the factor that makes the average of the
        processes' mean losses equal the global batch's mean loss."""
        process, count = self.shard[0], self.shard[1]
        if isinstance(index, slice):
            arange = np.arange if self._on_host else ops.arange
            index = arange(index.start, index.stop)
        size = int(index.shape[0])
        start, stop = distribution_lib.split_batch(size, process, count)
        if start == stop:
            # Fewer samples than processes: every process must still take a step, so this one
            # repeats a sample whose loss counts for nothing.
            return index[:1], 0.0
        return index[start:stop], (stop - start) * count / size

    def _batch(self, index):
        """The samples at ``index`` (a slice or an index array), packed."""
        if isinstance(index, slice):
            picked = {r: [t[index] for t in leaves] for r, leaves in self._tensors.items()}
        elif self._on_host:
            picked = {
                r: [np.take(t, index, axis=0) for t in leaves]
                for r, leaves in self._tensors.items()
            }
        else:
            picked = {
                r: [ops.take(t, index, axis=0) for t in leaves]
                for r, leaves in self._tensors.items()
            }
        return data_adapter_utils.pack_x_y_sample_weight(
            self._pack("x", picked["x"]),
            self._pack("y", picked.get("y")),
            self._pack("sample_weight", picked.get("sample_weight")),
        )

    def _scaled_batches(self):
        for index in self._batch_indices():
            scale = 1.0
            if self.shard is not None:
                index, scale = self._local_part(index)
            yield self._batch(index), scale

    def batches(self):
        """One epoch of batches: ``x``, ``(x, y)`` or ``(x, y, sample_weight)``; NumPy arrays
        where the batches are gathered on the host (the step sends them), else tensors."""
        for batch, scale in self._scaled_batches():
            self.current_scale = scale
            yield batch


def _check_single_sample_weight(sample_weight):
    """Keras's rule for one ``sample_weight`` array given to a model with several outputs:
    one scalar per sample, shared by all the outputs."""
    if isinstance(sample_weight, (list, tuple, dict)):
        return
    shape = tuple(sample_weight.shape) if hasattr(sample_weight, "shape") else None
    if shape is None:
        shape = np.shape(sample_weight)
    if len(shape) == 1 or (len(shape) == 2 and shape[1] == 1):
        return
    raise ValueError(
        "For a model with multiple outputs, when providing a single `sample_weight` array, it "
        "should only have one scalar score per sample (i.e. shape `(num_samples,)`). If you "
        "want to use non-scalar sample weights, pass a `sample_weight` argument with one array "
        f"per model output. Received: sample_weight of shape {shape}"
    )


def split_for_validation(x, y, sample_weight, validation_split):
    """Splits off the last ``validation_split`` fraction of the samples, as Keras does."""
    if not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1. Received: {validation_split}"
        )
    if not is_array_like((x, y, sample_weight)):
        kinds = sorted(
            {
                type(leaf).__name__
                for leaf in tree.flatten((x, y, sample_weight))
                if leaf is not None and not is_array_like(leaf)
            }
        )
        raise ValueError(
            "Argument `validation_split` is only supported for tensors or NumPy arrays. "
            f"Found incompatible type in the input: {kinds}. Pass `validation_data` instead."
        )
    leaves = [leaf for leaf in _flatten_data((x, y, sample_weight)) if leaf is not None]
    n = int(_to_array(leaves[0], "x").shape[0])
    cut = int(math.floor(n * (1.0 - validation_split)))
    if cut == 0 or cut == n:
        raise ValueError(
            f"`validation_split={validation_split}` leaves no samples for "
            f"{'training' if cut == 0 else 'validation'} out of {n}."
        )

    def part(data, lo, hi):
        if data is None:
            return None
        if _is_pandas(data):
            return _to_array(data, "x")[lo:hi]
        return tree.map_structure(lambda a: _to_array(a, "x")[lo:hi], data)

    train = (part(x, 0, cut), part(y, 0, cut), part(sample_weight, 0, cut))
    val = (part(x, cut, n), part(y, cut, n), part(sample_weight, cut, n))
    return train, val
