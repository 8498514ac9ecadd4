"""HashedCrossing: the cross of categorical features hashed into bins, as TensorFlow's
``sparse.cross_hashed`` computes it (so bins match Keras's)."""

import numpy as np

from cornu import backend, ops
from cornu.core import KerasTensor
from cornu.layers.layer import Layer
from cornu.layers.preprocessing.categorical_encoding import encode_categorical_inputs
from cornu.layers.preprocessing.farmhash import fingerprint64
from cornu.layers.preprocessing.hashing import as_host_array

_MASK = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
_HASH_KEY = 0xDECAFCAFFE  # TensorFlow's default key of cross_hashed


def _shift_mix(value):
    return value ^ (value >> 47)


def fingerprint_cat64(first, second):
    """TensorFlow's ``FingerprintCat64``: two 64-bit fingerprints combined into one."""
    result = first ^ _MUL
    result ^= (_shift_mix((second * _MUL) & _MASK) * _MUL) & _MASK
    result = (result * _MUL) & _MASK
    result = (_shift_mix(result) * _MUL) & _MASK
    return _shift_mix(result)


def _feature_hash(value):
    """A string's Fingerprint64; an integer's own value (as an unsigned 64-bit word)."""
    if isinstance(value, bytes):
        return fingerprint64(value)
    if isinstance(value, str):
        return fingerprint64(value.encode("utf-8"))
    return int(value) & _MASK


class HashedCrossing(Layer):
    """Crosses categorical features and hashes the crosses into ``num_bins`` bins.

    The bin of the values ``(a, b, ...)`` is TensorFlow's ``cross_hashed``: starting from
    its key, each feature's hash (a string's Fingerprint64, an integer's value) is folded
    in with ``FingerprintCat64``, and the result taken modulo ``num_bins``.

    Args:
        num_bins: the number of bins.
        output_mode: ``"int"`` (bin indices, int64 by default) or ``"one_hot"``.
        sparse: must be False (the torch backend has no sparse tensors).

    Call arguments:
        inputs: a list or tuple of at least two features of one shape, ``()``,
            ``(batch,)`` or ``(batch, 1)``, each of strings or integers.
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse and backend.backend() != "tensorflow":
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Unknown value for `output_mode`. Allowed values are: ('int', 'one_hot'). "
                f"Received: output_mode={output_mode}"
            )
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True  # no weights; inputs may be lists of strings

    def _convert_input(self, x):
        return x  # strings stay on the host

    def _check_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                "`HashedCrossing` should be called on a list or tuple of inputs. "
                f"Received: inputs={inputs}"
            )
        if len(inputs) < 2:
            raise ValueError(
                "`HashedCrossing` should be called on at least two inputs. "
                f"Received: inputs={inputs}"
            )
        arrays = [as_host_array(self, x) for x in inputs]
        shape = arrays[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(
                "All `HashedCrossing` inputs should have shape `()`, `(batch_size)` or "
                f"`(batch_size, 1)`. Received: inputs={inputs}"
            )
        if not all(a.shape == shape for a in arrays[1:]):
            raise ValueError(
                f"All `HashedCrossing` inputs should have equal shape. Received: inputs={inputs}"
            )
        for a in arrays:
            if a.dtype.kind == "f" or a.dtype.kind == "b":
                raise ValueError(
                    "All `HashedCrossing` inputs should have an integer or string dtype. "
                    f"Received: inputs={inputs}"
                )
        return arrays

    def call(self, inputs):
        arrays = self._check_inputs(inputs)
        shape = arrays[0].shape
        columns = [a.reshape(-1).tolist() for a in arrays]
        out = np.empty(len(columns[0]), dtype="int64")
        for i, row in enumerate(zip(*columns)):
            value = _HASH_KEY
            for feature in row:
                value = fingerprint_cat64(value, _feature_hash(feature))
            out[i] = value % self.num_bins
        indices = ops.convert_to_tensor(out.reshape(shape))
        return encode_categorical_inputs(
            indices, self.output_mode, self.num_bins, self.compute_dtype
        )

    def compute_output_shape(self, input_shape):
        if (
            len(input_shape) != 2
            or not isinstance(input_shape[0], tuple)
            or not isinstance(input_shape[1], tuple)
        ):
            raise ValueError(
                f"Expected as input a list/tuple of 2 tensors. Received input_shape={input_shape}"
            )
        if input_shape[0][-1] != input_shape[1][-1]:
            raise ValueError(
                "Expected the two input tensors to have identical shapes. "
                f"Received input_shape={input_shape}"
            )
        if self.output_mode == "int":
            return tuple(input_shape[0])
        if input_shape[0][-1] != 1:
            return tuple(input_shape[0]) + (self.num_bins,)
        return tuple(input_shape[0])[:-1] + (self.num_bins,)

    def compute_output_spec(self, inputs):
        shapes = tuple(tuple(x.shape) for x in inputs)
        return KerasTensor(self.compute_output_shape(shapes), dtype=self.compute_dtype)

    def get_config(self):
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }
