"""IndexLookup: the vocabulary lookup shared by StringLookup, IntegerLookup and
TextVectorization, computed on the host with NumPy and Python dicts (no TensorFlow)."""

import collections
import os

import numpy as np

from cornu import ops
from cornu.core import KerasTensor
from cornu.layers.layer import Layer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(Layer):
    """Maps tokens to indices of a vocabulary (or back, with ``invert=True``).

    The indices are: the mask token's 0 (only when ``mask_token`` is set and ``output_mode``
    is ``"int"``), then ``num_oov_indices`` out-of-vocabulary indices, then the vocabulary.
    This base class is not part of the public API; see ``StringLookup`` and
    ``IntegerLookup`` for the arguments.
    """

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        name=None,
        salt=None,
        **kwargs,
    ):
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        for key in ("trainable", "dtype", "autocast"):
            kwargs.pop(key, None)
        super().__init__(name=name, **kwargs)
        where = f"{type(self).__name__} '{self.name}'"
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"{where}: if set, `max_tokens` must be greater than 1. "
                f"Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                f"{where}: if pad_to_max_tokens is True, must set `max_tokens`. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                f"{where}: `num_oov_indices` must be greater than or equal to 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"{where}: the `oov_method` argument should be one of ('floormod', "
                f"'farmhash'). Received: oov_method={oov_method!r}"
            )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"{where}: the `output_mode` argument should be one of {OUTPUT_MODES}. "
                f"Received: output_mode={output_mode!r}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                f"{where}: `output_mode` must be `'int'` when `invert` is true. "
                f"Received: output_mode={output_mode}"
            )
        if sparse:
            raise ValueError(
                f"{where}: `sparse=True` can only be used with the TensorFlow backend."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                f"{where}: `idf_weights` should only be set if `output_mode` is "
                f"`'tf_idf'`. Received: idf_weights={idf_weights} and "
                f"output_mode={output_mode}"
            )
        if salt is not None:
            raise NotImplementedError(f"{where}: `salt` (SipHash buckets) is not supported.")
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens = []  # the vocabulary without its special tokens, in index order
        self._index = {}
        self.idf_weights = None
        if output_mode == "tf_idf" and has_input_vocabulary and idf_weights is None:
            raise ValueError(
                f"{where}: when specifying the `vocabulary` argument, in TF-IDF output mode, "
                "the `idf_weights` argument must also be provided."
            )
        if output_mode == "tf_idf" and idf_weights is not None:
            self.idf_weights = np.asarray(idf_weights, dtype="float32")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()
        self.built = True

    # ---- the vocabulary ----------------------------------------------------------------

    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, with the mask and OOV indices."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary as a list: each term at its index (with the mask and OOV tokens)
        or, with ``include_special_tokens=False``, the learned terms only."""
        specials = [self.oov_token] * self._token_start_index()
        if self.mask_token is not None and self.output_mode == "int":
            specials[0] = self.mask_token
        vocab = specials + [self._to_python(t) for t in self._tokens]
        return vocab if include_special_tokens else vocab[self._token_start_index() :]

    def _to_python(self, token):
        return token

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and, for ``"tf_idf"``, the inverse document frequencies).

        Args:
            vocabulary: a list, tuple, 1-D array or tensor of terms, or the path of a text
                file with one term a line. It may start with the mask and OOV tokens, in the
                layer's order.
            idf_weights: for ``output_mode="tf_idf"`` only (and required then): one weight
                per term of ``vocabulary``.
        """
        where = f"{type(self).__name__} '{self.name}'"
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError(f"{where}: `idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(
                f"{where}: `idf_weights` should only be set if output_mode is `'tf_idf'`. "
                f"Received: output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, (str, os.PathLike)):
            vocabulary = self._read_vocabulary_file(os.fspath(vocabulary))
        vocabulary = self._as_vocabulary_array(vocabulary)
        if vocabulary.size == 0:
            raise ValueError(
                f"{where}: cannot set an empty vocabulary. Received: vocabulary={vocabulary}"
            )
        token_start = self._token_start_index()
        specials = [self.mask_token] * self._oov_start_index()
        specials += [self.oov_token] * self.num_oov_indices
        found_specials = len(vocabulary) >= token_start and all(
            a == b for a, b in zip(specials, vocabulary[:token_start].tolist())
        )
        tokens = vocabulary[token_start:] if found_specials else vocabulary
        tokens = [self._to_python(t) for t in tokens.tolist()]
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise ValueError(
                f"{where}: the passed vocabulary has at least one repeated term. Please "
                f"uniquify your dataset. The repeated terms are: {repeated}"
            )
        for token, active, kind in (
            (self.mask_token, True, "mask_token"),
            (self.oov_token, self.invert, "oov_token"),
        ):
            if token is not None and active and token in tokens:
                position = len(vocabulary) - 1 - vocabulary.tolist()[::-1].index(token)
                raise ValueError(
                    f"{where}: found reserved {kind.split('_')[0]} token at unexpected "
                    "location in `vocabulary`. Note that passed `vocabulary` does not need "
                    "to include the OOV and mask tokens. Either remove all mask and OOV "
                    "tokens, or include them only at the start of the vocabulary in "
                    f"precisely this order: {specials}. Received: {kind}={token} at "
                    f"vocabulary index {position}"
                )
        size = token_start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                f"{where}: attempted to set a vocabulary larger than the maximum vocab size. "
                f"Received vocabulary size is {size}; `max_tokens` is {self.max_tokens}."
            )
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            weights = np.asarray(idf_weights, dtype="float32")
            if len(weights) != len(vocabulary):
                raise ValueError(
                    f"{where}: `idf_weights` must be the same length as vocabulary. "
                    f"len(idf_weights) is {len(weights)}; len(vocabulary) is "
                    f"{len(vocabulary)}"
                )
            if weights.ndim != 1:
                raise ValueError(f"{where}: TF-IDF data must be a 1-index array.")
            # The special tokens' weight is the mean weight, unless the vocabulary gave it.
            front = 0 if found_specials else token_start
            front_value = 0.0 if found_specials else float(np.average(weights))
            back = 0
            if self.pad_to_max_tokens and self.max_tokens is not None:
                back = self.max_tokens - front - len(weights)
            self.idf_weights = np.pad(
                weights, (front, back), constant_values=(front_value, 0.0)
            ).astype("float32")
        self._record_vocabulary_size()

    def _read_vocabulary_file(self, path):
        from cornu.saving.serialization_lib import in_safe_mode

        if in_safe_mode():
            raise ValueError(
                "Requested the loading of a vocabulary file outside of the model archive. "
                "This carries a potential risk of loading arbitrary and sensitive files and "
                "thus it is disallowed by default. If you trust the source of the artifact, "
                "you can override this error by passing `safe_mode=False` to the loading "
                f"function. Vocabulary file: '{path}'"
            )
        if not os.path.exists(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        if self.output_mode == "tf_idf":
            raise ValueError(
                "output_mode `'tf_idf'` does not support loading a vocabulary from file."
            )
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return lines

    def _as_vocabulary_array(self, vocabulary):
        """The vocabulary as a 1-D NumPy array of the layer's terms."""
        raise NotImplementedError

    def _set_tokens(self, tokens):
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._index = {token: start + i for i, token in enumerate(self._tokens)}

    def _record_vocabulary_size(self):
        size = self.vocabulary_size()
        if (
            self.output_mode != "int"
            and not self.pad_to_max_tokens
            and self._frozen_vocab_size is not None
            and size != self._frozen_vocab_size
        ):
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "the vocabulary size cannot be changed after the layer is called. Old vocab "
                f"size is {self._frozen_vocab_size}, new vocab size is {size}"
            )
        self._frozen_vocab_size = size

    # ---- adapt -------------------------------------------------------------------------

    def adapt(self, data, steps=None):
        """Learns the vocabulary from ``data``: the terms by decreasing count, ties broken by
        decreasing term (as Keras), cut to ``max_tokens``; and for ``"tf_idf"`` each term's
        ``log(1 + num_documents / (1 + documents_with_term))``.

        Args:
            data: an array or list of terms (each row a document), or an iterable of batches.
            steps: the number of batches to read from an iterable.
        """
        adapt_in_batches(self, data, steps, self._as_input_array)

    def update_state(self, data):
        """Counts the terms of a batch (a 1-D batch is one document)."""
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                "`vocabulary` argument or `set_vocabulary()` method."
            )
        rows = self._as_rows(data)
        for row in rows:
            self._counts.update(row)
        if self.output_mode == "tf_idf":
            for row in rows:
                self._document_counts.update(set(row))
            self._num_documents += len(rows)

    def _as_rows(self, data):
        """A batch as a list of documents (lists of terms); ragged lists are kept."""
        if isinstance(data, list) and data and all(isinstance(r, list) for r in data):
            return [[self._to_python(t) for t in r] for r in data]
        data = self._as_input_array(data)
        if data.ndim == 0:
            data = data[None]
        if data.ndim == 1:
            data = data[None]
        return [[self._to_python(t) for t in row.reshape(-1).tolist()] for row in data]

    def finalize_state(self):
        """Turns the counts of ``update_state`` into the vocabulary."""
        if self._has_input_vocabulary or not self._counts:
            self._record_vocabulary_size()
            return
        for special in (self.mask_token, self.oov_token):
            self._counts.pop(special, None)
        # Decreasing count, ties by decreasing term (NumPy's lexsort, reversed, as Keras).
        terms = sorted(self._counts, key=lambda t: (self._counts[t], t), reverse=True)
        if self.max_tokens:
            terms = terms[: self.max_tokens - self._token_start_index()]
        self._set_tokens(terms)
        if self.output_mode == "tf_idf":
            documents = np.array([self._document_counts[t] for t in terms], dtype="float64")
            idf = np.log(1.0 + self._num_documents / (1.0 + documents)).astype("float32")
            front = np.full(self._token_start_index(), np.mean(idf), dtype="float32")
            idf = np.concatenate([front, idf])
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - len(idf)))
            self.idf_weights = idf.astype("float32")
        self.reset_state()
        self._record_vocabulary_size()

    def reset_state(self):
        """Forgets the counts of ``update_state``."""
        self._counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    # ---- calling -----------------------------------------------------------------------

    def _convert_input(self, x):
        return x  # terms stay on the host, as NumPy arrays or lists

    def _as_input_array(self, data):
        """Input data as a NumPy array of terms (or of indices when inverting)."""
        raise NotImplementedError

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def call(self, inputs):
        if self.output_mode != "int" and not self.pad_to_max_tokens:
            if self._frozen_vocab_size is None:
                raise RuntimeError(
                    f"When using `output_mode={self.output_mode}` and "
                    "`pad_to_max_tokens=False`, you must set the layer's vocabulary before "
                    "calling it. Either pass a `vocabulary` argument to the layer, or call "
                    "`adapt` with some sample data."
                )
        if isinstance(inputs, list) and inputs and all(isinstance(r, list) for r in inputs):
            lengths = [len(r) for r in inputs]
            if len(set(lengths)) > 1:  # ragged rows: one lookup of all their terms
                flat = self._as_input_array([t for row in inputs for t in row])
                return self._encode_rows(self._lookup(flat), lengths)
        inputs = self._as_input_array(inputs)
        scalar = inputs.ndim == 0
        indices = self._lookup(inputs.reshape(1) if scalar else inputs)
        if self.output_mode == "int":
            return self._int_output(indices[0] if scalar else indices)
        return self._encode(indices)

    def _lookup(self, terms):
        """The indices of an array of terms (or, inverting, the terms of indices); -1 marks
        a mask token outside ``"int"`` mode, to be dropped."""
        flat = terms.reshape(-1).tolist()
        keys = list(dict.fromkeys(flat))  # the distinct terms, found by hashing
        terms_of_keys = [self._to_python(k) for k in keys]
        if self.invert:
            start = self._token_start_index()
            found = [self._tokens[i - start] if self._is_known(i) else self.oov_token for i in keys]
            if self.mask_token is not None:
                found = [self.mask_token if i == 0 else t for i, t in zip(keys, found)]
            mapping = dict(zip(keys, found))
            return self._inverted_array([mapping[i] for i in flat], terms.shape)
        missing = -1 if self.num_oov_indices != 1 else self._oov_start_index()
        indices = np.array([self._index.get(t, missing) for t in terms_of_keys], dtype="int64")
        if self.num_oov_indices > 1:
            oov = np.array([t not in self._index for t in terms_of_keys], dtype=bool)
            if oov.any():
                buckets = self._oov_buckets([t for t, o in zip(terms_of_keys, oov) if o])
                indices[oov] = buckets + self._oov_start_index()
        if self.mask_token is not None:
            masked = np.array([t == self.mask_token for t in terms_of_keys], dtype=bool)
            indices[masked] = 0 if self.output_mode == "int" else -1
        if self.num_oov_indices == 0:
            unknown = [
                t for t, i in zip(terms_of_keys, indices.tolist()) if i < 0 and t != self.mask_token
            ]
            if unknown:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': when `num_oov_indices=0` all "
                    f"inputs should be in vocabulary, found OOV values {unknown}, consider "
                    "setting `num_oov_indices=1`."
                )
        mapping = dict(zip(keys, indices.tolist()))
        out = np.fromiter((mapping[t] for t in flat), dtype="int64", count=len(flat))
        return out.reshape(terms.shape)

    def _is_known(self, index):
        return self._token_start_index() <= index < self.vocabulary_size()

    def _inverted_array(self, terms, shape):
        return np.array(terms, dtype="int64").reshape(shape)

    def _oov_buckets(self, terms):
        raise NotImplementedError

    def _int_output(self, indices):
        if indices.dtype == object or indices.dtype.kind in "US":
            return indices  # inverted strings stay on the host
        return ops.convert_to_tensor(indices, dtype="int64")

    def _encode(self, indices):
        """One-hot, multi-hot, count or tf-idf encoding of an array of indices."""
        depth = self._depth()
        if self.output_mode == "one_hot":
            if indices.ndim > 1 and indices.shape[-1] == 1:
                indices = indices[..., 0]
            out = np.zeros(indices.shape + (depth,), "int64")
            keep = (indices >= 0) & (indices < depth)
            out[keep, indices[keep]] = 1
            return ops.convert_to_tensor(out)
        if indices.ndim == 0:
            indices = indices[None]
        rows = indices.reshape(int(np.prod(indices.shape[:-1])), indices.shape[-1])
        out = self._encode_rows(rows.reshape(-1), [rows.shape[1]] * rows.shape[0])
        return ops.reshape(out, tuple(indices.shape[:-1]) + (depth,))

    def _encode_rows(self, indices, lengths):
        """Multi-hot, count or tf-idf of rows of indices (``indices`` holds the rows one
        after the other, ``lengths`` their lengths; negative indices are dropped)."""
        if self.output_mode == "int":
            raise ValueError(
                f"{type(self).__name__} '{self.name}': with `output_mode='int'` the rows of "
                "the input must have one length; pad them first (e.g. with "
                "`cornu.utils.pad_sequences`)."
            )
        depth = self._depth()
        rows = np.repeat(np.arange(len(lengths)), lengths)
        keep = (indices >= 0) & (indices < depth)
        cells = rows[keep] * depth + indices[keep]
        out = np.bincount(cells, minlength=len(lengths) * depth).reshape(len(lengths), depth)
        if self.output_mode == "multi_hot":
            np.minimum(out, 1, out=out)
        elif self.output_mode == "tf_idf":
            out = out.astype("float32")
            out *= self.idf_weights
        return ops.convert_to_tensor(out)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self._depth()
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs, **kwargs):
        dtype = "float32" if self.output_mode == "tf_idf" else "int64"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # ---- config and files --------------------------------------------------------------

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token,
                "mask_token": self.mask_token,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": _listify(self.input_idf_weights),
                "vocabulary": _listify(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size,
                "oov_method": self.oov_method,
                "salt": self.salt,
            }
        )
        return config

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = np.asarray(self.idf_weights)  # Keras's key

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"], dtype="float32")

    def _saved_variable_specs(self):
        """``{key: (shape, dtype)}`` of what ``load_own_variables`` takes (for the weights
        file's checks): ``idf_weights`` in ``"tf_idf"`` mode, one weight per index; its
        length is free while the vocabulary is not known yet."""
        if self.output_mode != "tf_idf":
            return {}
        if self.idf_weights is not None:
            size = len(self.idf_weights)
        else:
            size = self._depth()
        return {"idf_weights": (None if size is None else (size,), "float32")}

    def save_assets(self, dir_path):
        """Writes an adapted vocabulary to ``dir_path/vocabulary.txt``: every term at its
        index, the special tokens included, one a line (Keras's file)."""
        if self.input_vocabulary is not None:
            return  # in the config
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(t) for t in self.get_vocabulary()))

    def load_assets(self, dir_path):
        """Reads the vocabulary that ``save_assets`` wrote (the inverse document
        frequencies, for ``"tf_idf"``, come from the weights file first)."""
        if self.input_vocabulary is not None:
            return
        path = os.path.join(dir_path, "vocabulary.txt")
        if not os.path.exists(path):
            return  # nothing was adapted when the layer was saved
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if not lines:
            return
        idf = None
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': in 'tf_idf' mode the vocabulary "
                    "needs its `idf_weights`, which the weights file did not provide."
                )
            # Padded to `max_tokens` when saved; the vocabulary pads them again.
            idf = self.idf_weights[: len(lines)]
        self.set_vocabulary(lines, idf_weights=idf)


def adapt_in_batches(layer, data, steps, as_array):
    """Keras's ``adapt`` loop for a layer with ``reset_state`` / ``update_state`` /
    ``finalize_state``: each batch of an iterable (at most ``steps``), or the whole of an array
    (``as_array(data)``; a 1-D array is a column of documents)."""
    layer.reset_state()
    if _is_batch_iterable(data):
        for i, batch in enumerate(data):
            if steps is not None and i >= steps:
                break
            layer.update_state(batch)
    else:
        data = as_array(data)
        layer.update_state(data[:, None] if data.ndim == 1 else data)
    layer.finalize_state()


def _is_batch_iterable(data):
    """Whether ``data`` is a dataset-like iterable of batches (not an array or a list)."""
    if isinstance(data, (list, tuple, np.ndarray, str, bytes)) or ops.is_tensor(data):
        return False
    return hasattr(data, "__iter__")


def _listify(value):
    if value is None:
        return None
    if ops.is_tensor(value):
        value = ops.convert_to_numpy(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return list(value)
