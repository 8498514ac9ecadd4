"""Hashing: categorical values (strings or integers) into a fixed number of bins, with
TensorFlow's hashes (FarmHash64 fingerprint, or SipHash-2-4 keyed by a salt) as Keras."""

import numpy as np

from cornu import backend, ops
from cornu.core import KerasTensor
from cornu.layers.layer import Layer
from cornu.layers.preprocessing.categorical_encoding import encode_categorical_inputs
from cornu.layers.preprocessing.farmhash import fingerprint64
from cornu.layers.preprocessing.siphash import siphash64

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def as_host_array(layer, inputs):
    """Inputs (a list, NumPy array or tensor) as a NumPy array on the host."""
    if backend.is_tensor(inputs):
        return ops.convert_to_numpy(inputs)
    if isinstance(inputs, (str, bytes)):
        return np.array(inputs, dtype=object)
    array = np.asarray(inputs)
    if array.dtype.kind not in "biufUSO":
        raise TypeError(
            f"{type(layer).__name__} '{layer.name}' expects strings or integers (a list, a "
            f"NumPy array or a tensor). Received values of dtype {array.dtype}."
        )
    return array


def value_bytes(value):
    """The bytes TensorFlow hashes for a value: a string's UTF-8, an integer's decimal
    digits (floats are first truncated to integers, as Keras casts them to int64)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bool, np.bool_)):
        return b"true" if value else b"false"
    if isinstance(value, (float, np.floating)):
        value = int(value)
    return str(int(value)).encode("ascii")


class Hashing(Layer):
    """Hashes categorical features into ``num_bins`` bins.

    Without ``salt``, a value's bin is ``Fingerprint64(value) % num_bins`` (FarmHash, the
    hash of TensorFlow's ``to_hash_bucket_fast``); with ``salt``, it is
    ``SipHash64(salt, value) % num_bins`` (``to_hash_bucket_strong``). Integers (and floats,
    truncated) are hashed as their decimal strings, so bins match Keras's.

    Args:
        num_bins: the number of bins, including the mask bin 0 when ``mask_value`` is set.
        mask_value: a value that always goes to bin 0 (the others then use bins
            ``1 .. num_bins - 1``).
        salt: an int or a pair of ints keying SipHash (an int ``s`` means ``[s, s]``).
        output_mode: ``"int"`` (bin indices, int64 by default), ``"one_hot"``,
            ``"multi_hot"`` or ``"count"`` (float vectors of size ``num_bins``).
        sparse: must be False (the torch backend has no sparse tensors).

    Input shape: any; strings (lists or NumPy arrays) or integers. Output shape: the
    input's for ``"int"``, else the encoding's (see ``CategoryEncoding``).
    """

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or "
                f"'in64'. Received: dtype={kwargs['dtype']}"
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"Invalid value for argument `output_mode`. Expected one of {OUTPUT_MODES}. "
                f"Received: output_mode={output_mode}"
            )
        if sparse:
            if output_mode == "int":
                raise ValueError(
                    '`sparse` may only be true if `output_mode` is `"one_hot"`, '
                    f'`"multi_hot"`, or `"count"`. Received: sparse={sparse} and '
                    f"output_mode={output_mode}"
                )
            raise ValueError(f"`sparse=True` cannot be used with backend {backend.backend()}")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `Hashing` can only be a tuple of size 2 "
                    f"integers, or a single integer. Received: salt={salt}."
                )
        self.built = True  # no weights; inputs may be lists of strings

    def _convert_input(self, x):
        return x  # strings stay on the host

    def _hash(self, data, bins):
        if self.strong_hash:
            return siphash64(self.salt, data) % bins
        return fingerprint64(data) % bins

    def hash_values(self, values):
        """The bins of a NumPy array of values, as an int64 array of its shape."""
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
            if values.dtype.kind in "US" and isinstance(self.mask_value, str):
                mask = values.astype(str) == self.mask_value
            elif values.dtype == object:
                mask = np.vectorize(lambda v: v == self.mask_value, otypes=[bool])(values)
        flat = values.reshape(-1).tolist()
        cache = {}
        out = np.empty(len(flat), dtype="int64")
        for i, value in enumerate(flat):
            key = value_bytes(value)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self._hash(key, bins)
            out[i] = found
        out = out.reshape(values.shape)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        values = as_host_array(self, inputs)
        if self.output_mode == "one_hot" and values.ndim > 0 and values.shape[-1] == 1:
            values = values[..., 0]
        indices = ops.convert_to_tensor(self.hash_values(values))
        return encode_categorical_inputs(indices, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if len(input_shape) == 0:
            return (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
