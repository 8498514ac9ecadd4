"""IntegerLookup: maps integers to vocabulary indices (or back), on the host."""

import numpy as np

from cornu import ops
from cornu.layers.preprocessing import farmhash
from cornu.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """A preprocessing layer that maps integers to (possibly encoded) indices.

    The vocabulary is given (``vocabulary``) or learned by ``adapt``: the integers by
    decreasing frequency, ties broken by decreasing value. Index 0 is the mask token's when
    ``mask_token`` is set (in ``"int"`` mode), then come ``num_oov_indices`` indices for
    integers out of the vocabulary, then the vocabulary. The lookup runs with NumPy on the
    host; the output is an int64 tensor (float32 for ``"tf_idf"``).

    Args:
        max_tokens: the largest vocabulary size, special tokens included; None for no limit.
        num_oov_indices: the number of out-of-vocabulary indices; with several, an unknown
            integer goes to ``value % num_oov_indices`` (``oov_method="floormod"``) or to its
            FarmHash64 bucket (``"farmhash"``); with none it raises an error.
        mask_token: the integer standing for masked inputs, or None.
        oov_token: the integer for unknown indices when ``invert=True`` (-1).
        vocabulary: a list, array or tensor of integers, or the path of a file with one a line.
        vocabulary_dtype: only ``"int64"``.
        idf_weights: for ``"tf_idf"``: one inverse document frequency per vocabulary term.
        invert: map indices back to integers.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        sparse: only False (sparse outputs need TensorFlow).
        pad_to_max_tokens: make the encoded vectors ``max_tokens`` long.
        oov_method: ``"floormod"`` or ``"farmhash"`` (see ``num_oov_indices``).

    Input shape: any. Output: the same shape of indices in ``"int"`` mode; with
    ``(vocabulary_size,)`` added (``one_hot``) or replacing the last axis (the other modes).
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ):
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def _to_python(self, token):
        return int(token)

    def _as_vocabulary_array(self, vocabulary):
        if ops.is_tensor(vocabulary):
            vocabulary = ops.convert_to_numpy(vocabulary)
        return np.asarray(vocabulary).astype("int64").reshape(-1)

    def _as_input_array(self, data):
        if ops.is_tensor(data):
            data = ops.convert_to_numpy(data)
        array = np.asarray(data)
        if array.dtype.kind not in "iub" and array.size:
            if array.dtype.kind == "f" and np.all(array == np.round(array)):
                return array.astype("int64")
            raise TypeError(
                f"IntegerLookup '{self.name}' expects integers. Received an array of dtype "
                f"{array.dtype}."
            )
        return array.astype("int64")

    def _oov_buckets(self, terms):
        terms = np.asarray(terms, dtype="int64")
        if self.oov_method == "floormod":
            return np.mod(terms, self.num_oov_indices)
        buckets = [farmhash.fingerprint64(str(t).encode()) % self.num_oov_indices for t in terms]
        return np.array(buckets, dtype="int64")

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
