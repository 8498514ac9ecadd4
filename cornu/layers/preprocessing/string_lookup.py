"""StringLookup: maps strings to vocabulary indices (or back), on the host."""

import numpy as np

from cornu import ops
from cornu.layers.preprocessing import farmhash
from cornu.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """A preprocessing layer that maps strings to (possibly encoded) indices.

    The vocabulary is given (``vocabulary``) or learned by ``adapt``: the strings by
    decreasing frequency, ties broken by decreasing sort order. Index 0 is the mask token's
    when ``mask_token`` is set (in ``"int"`` mode), then come ``num_oov_indices`` indices
    for strings out of the vocabulary, then the vocabulary. The strings are handled with
    NumPy on the host: pass lists or NumPy arrays of ``str`` (or ``bytes``); the output is an
    int64 tensor (a NumPy array of ``str`` when ``invert=True``).

    Args:
        max_tokens: the largest vocabulary size, special tokens included; None for no limit.
        num_oov_indices: the number of out-of-vocabulary indices; an unknown string is
            hashed (FarmHash64, as TensorFlow) into one of them when there are several, and
            raises an error when there are none.
        mask_token: the string standing for masked inputs, or None.
        oov_token: the string for unknown indices when ``invert=True``.
        vocabulary: a list or array of strings, or the path of a file with one a line.
        idf_weights: for ``"tf_idf"``: one inverse document frequency per vocabulary term.
        invert: map indices back to strings.
        output_mode: ``"int"`` (indices), ``"one_hot"`` (one vector per string),
            ``"multi_hot"``, ``"count"`` or ``"tf_idf"`` (one vector per sample, over the
            last axis).
        pad_to_max_tokens: make the encoded vectors ``max_tokens`` long.
        sparse: only False (sparse outputs need TensorFlow).
        encoding: the text encoding of ``bytes`` inputs.

    Input shape: any (``(batch_size, ...)`` strings). Output: the same shape of indices in
    ``"int"`` mode; with ``(vocabulary_size,)`` added (``one_hot``) or replacing the last axis
    (the other modes).
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        salt=None,
        **kwargs,
    ):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            salt=salt,
            vocabulary_dtype="string",
            **kwargs,
        )

    def _to_python(self, token):
        if isinstance(token, bytes):
            return token.decode(self.encoding)
        return str(token) if isinstance(token, np.str_) else token

    def _as_vocabulary_array(self, vocabulary):
        if ops.is_tensor(vocabulary):
            vocabulary = ops.convert_to_numpy(vocabulary)
        out = np.empty(len(vocabulary), dtype=object)
        out[:] = [self._to_python(t) for t in vocabulary]
        return out

    def _as_input_array(self, data):
        if self.invert:
            if ops.is_tensor(data):
                data = ops.convert_to_numpy(data)
            return np.asarray(data).astype("int64")
        if ops.is_tensor(data):
            raise TypeError(
                f"StringLookup '{self.name}' expects strings (a list or a NumPy array of "
                f"str or bytes). Received a tensor of dtype {ops.dtype(data)}."
            )
        array = np.array(data)
        if array.dtype.kind == "S":
            array = np.char.decode(array, self.encoding)
        elif array.dtype.kind == "O":
            array = np.vectorize(self._to_python, otypes=[object])(array)
        elif array.dtype.kind != "U" and array.size:
            raise TypeError(
                f"StringLookup '{self.name}' expects strings. Received an array of dtype "
                f"{array.dtype}."
            )
        return array.astype(object)

    def _inverted_array(self, terms, shape):
        out = np.empty(len(terms), dtype=object)
        out[:] = terms
        return out.reshape(shape)

    def _oov_buckets(self, terms):
        buckets = [farmhash.fingerprint64(t.encode("utf-8")) % self.num_oov_indices for t in terms]
        return np.array(buckets, dtype="int64")

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        config["encoding"] = self.encoding
        return config
