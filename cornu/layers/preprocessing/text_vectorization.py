"""TextVectorization: strings to sequences of vocabulary indices (or to encoded vectors), on
the host with Python and NumPy (no TensorFlow)."""

import re

import numpy as np

from cornu import ops
from cornu.core import KerasTensor
from cornu.layers.layer import Layer
from cornu.layers.preprocessing.index_lookup import adapt_in_batches
from cornu.layers.preprocessing.string_lookup import StringLookup

# TensorFlow's punctuation class in Keras's standardization (',-.' is the range , - .).
_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")


class TextVectorization(Layer):
    """A preprocessing layer that maps text to integer sequences (or encoded vectors).

    Each string is standardized (by default lowercased and stripped of punctuation), split
    into tokens (by default on whitespace), optionally joined into n-grams, and looked up in
    a vocabulary (given, or learned by ``adapt``: tokens by decreasing frequency, ties by
    decreasing sort order). In ``"int"`` mode index 0 is padding (the mask token ``""``) and
    1 the out-of-vocabulary token ``"[UNK]"``. Strings are handled in Python and NumPy on
    the host, as Keras does on its non-TensorFlow backends; outputs are int64 tensors
    (float32 for ``"tf_idf"``).

    Args:
        max_tokens: the largest vocabulary size, padding and OOV tokens included.
        standardize: None, ``"lower_and_strip_punctuation"``, ``"lower"``,
            ``"strip_punctuation"`` (lowercasing is ASCII-only, and the punctuation is
            ASCII's, as in TensorFlow), or a callable taking a NumPy array of ``str``.
        split: None, ``"whitespace"``, ``"character"``, or a callable taking the 1-D array
            of standardized strings and returning one list of tokens per string.
        ngrams: None, an int ``n`` (n-grams of 1 to ``n`` tokens) or a tuple of sizes.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        output_sequence_length: ``"int"`` mode only: pad or cut the sequences to this
            length; by default they are padded to the batch's longest.
        pad_to_max_tokens: make the encoded vectors ``max_tokens`` long.
        vocabulary: a list of strings or the path of a file with one a line.
        idf_weights: for ``"tf_idf"``: one weight per vocabulary term.
        sparse, ragged: only False (they need TensorFlow).
        encoding: the text encoding of ``bytes`` inputs.

    Input shape: ``(batch_size,)`` or ``(batch_size, 1)`` strings. Output shape:
    ``(batch_size, sequence_length)`` in ``"int"`` mode, else ``(batch_size, vocab_size)``.
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        for key in ("dtype", "autocast"):
            kwargs.pop(key, None)
        super().__init__(name=name, **kwargs)
        where = f"TextVectorization '{self.name}'"
        if sparse or ragged:
            raise ValueError(
                f"{where}: `{'sparse' if sparse else 'ragged'}=True` can only be used with "
                "the TensorFlow backend."
            )
        if not (
            standardize is None
            or callable(standardize)
            or standardize in ("lower_and_strip_punctuation", "lower", "strip_punctuation")
        ):
            raise ValueError(
                f"{where}: the `standardize` argument should be None, a callable or one of "
                "('lower_and_strip_punctuation', 'lower', 'strip_punctuation'). "
                f"Received: standardize={standardize!r}"
            )
        if not (split is None or callable(split) or split in ("whitespace", "character")):
            raise ValueError(
                f"{where}: the `split` argument should be None, a callable or one of "
                f"('whitespace', 'character'). Received: split={split!r}"
            )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in ("int", "one_hot", "multi_hot", "count", "tf_idf"):
            raise ValueError(
                f"{where}: the `output_mode` argument should be one of ('int', 'one_hot', "
                f"'multi_hot', 'count', 'tf_idf'). Received: output_mode={output_mode!r}"
            )
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)
        if not (
            ngrams is None
            or (isinstance(ngrams, int) and not isinstance(ngrams, bool))
            or (isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))
        ):
            raise ValueError(
                f"{where}: `ngrams` must be None, an integer, or a tuple of integers. "
                f"Received: ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None or isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                f"{where}: `output_sequence_length` must be either None or an integer when "
                f"`output_mode` is 'int'. Received: "
                f"output_sequence_length={output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                f"{where}: `output_sequence_length` must not be set if `output_mode` is not "
                f"'int'. Received output_sequence_length={output_sequence_length}."
            )
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
            name=f"{self.name}_lookup",
        )
        self.built = True

    # ---- text to tokens ----------------------------------------------------------------

    def _convert_input(self, x):
        return x

    def _as_strings(self, inputs):
        if ops.is_tensor(inputs):
            raise TypeError(
                f"TextVectorization '{self.name}' expects strings (a list or a NumPy array of "
                f"str or bytes). Received a tensor of dtype {ops.dtype(inputs)}."
            )
        array = np.array(inputs, dtype=object) if not isinstance(inputs, np.ndarray) else inputs
        if array.dtype.kind == "S":
            array = np.char.decode(array, self._encoding)
        if array.size:
            array = np.vectorize(self._lookup_layer._to_python, otypes=[object])(array)
        return array.astype(object)

    def _standardize_strings(self, strings):
        mode = self._standardize
        if callable(mode):
            return np.asarray(mode(strings.astype(str)), dtype=object)
        out = strings
        if mode in ("lower", "lower_and_strip_punctuation"):
            out = np.vectorize(lambda s: s.translate(_ASCII_UPPER), otypes=[object])(out)
        if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
            out = np.vectorize(lambda s: _PUNCTUATION.sub("", s), otypes=[object])(out)
        return out

    def _preprocess(self, inputs):
        """The tokens of each input: a list of lists when splitting, else an array."""
        strings = self._as_strings(inputs)
        if self._standardize is not None and strings.size:
            strings = self._standardize_strings(strings)
        if self._split is None:
            tokens = strings
        else:
            if strings.ndim > 1:
                if strings.shape[-1] != 1:
                    raise ValueError(
                        f"TextVectorization '{self.name}': when using `TextVectorization` to "
                        "tokenize strings, the input rank must be 1 or the last shape "
                        f"dimension must be 1. Received: inputs.shape={strings.shape} with "
                        f"rank={strings.ndim}"
                    )
                strings = strings[..., 0]
            strings = strings.reshape(-1) if strings.ndim == 0 else strings
            if self._split == "whitespace":
                stripped = [s.strip(" \t\n\v\f\r") for s in strings]
                tokens = [_WHITESPACE.split(s) if s else [] for s in stripped]
            elif self._split == "character":
                tokens = [list(s) for s in strings]
            else:
                tokens = [[str(t) for t in row] for row in self._split(strings.astype(str))]
        if self._ngrams is not None:
            rows = tokens if isinstance(tokens, list) else tokens.reshape(-1, tokens.shape[-1])
            tokens = [_ngrams(list(row), self._ngrams) for row in rows]
        return tokens

    # ---- vocabulary --------------------------------------------------------------------

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary from ``data`` (strings, or an iterable of batches of them):
        tokens by decreasing count, ties by decreasing sort order, cut to ``max_tokens``."""
        adapt_in_batches(self, data, steps, self._as_strings)

    def update_state(self, data):
        tokens = self._preprocess(data)
        if not isinstance(tokens, list):
            tokens = tokens.reshape(len(tokens), -1).tolist() if tokens.ndim else [[tokens]]
        self._lookup_layer.update_state(tokens)

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary (``""`` and ``"[UNK]"`` first, unless ``include_special_tokens`` is
        False)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The vocabulary's size, padding and OOV tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and the IDF weights for ``"tf_idf"``); see
        ``StringLookup.set_vocabulary``."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ---- calling -----------------------------------------------------------------------

    def call(self, inputs):
        tokens = self._preprocess(inputs)
        lookup = self._lookup_layer
        if self._output_mode != "int":
            if isinstance(tokens, list):
                return lookup(tokens)
            return lookup(tokens[..., None] if tokens.ndim <= 1 else tokens)
        if not isinstance(tokens, list):  # no split: one index per string
            indices = ops.convert_to_numpy(lookup(tokens))
            return self._fit_length(indices)
        # Ragged rows of tokens: one lookup of them all, then padded (or cut) with 0.
        length = self._output_sequence_length
        if length is None:
            length = max((len(row) for row in tokens), default=0)
        tokens = [row[:length] for row in tokens]
        flat = np.empty(sum(len(row) for row in tokens), dtype=object)
        flat[:] = [t for row in tokens for t in row]
        indices = lookup._lookup(flat) if len(flat) else np.zeros(0, "int64")
        out = np.zeros((len(tokens), length), dtype="int64")
        rows = np.repeat(np.arange(len(tokens)), [len(row) for row in tokens])
        cols = np.concatenate([np.arange(len(row)) for row in tokens] + [np.zeros(0, int)])
        out[rows, cols.astype(int)] = indices
        return ops.convert_to_tensor(out)

    def _fit_length(self, indices):
        length = self._output_sequence_length
        if length is not None:
            indices = indices[..., :length]
            pad = [(0, 0)] * (indices.ndim - 1) + [(0, length - indices.shape[-1])]
            indices = np.pad(indices, pad)
        return ops.convert_to_tensor(indices.astype("int64"))

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = tuple(input_shape) + (1,)
        else:
            input_shape = tuple(input_shape) + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs, **kwargs):
        dtype = "float32" if self._output_mode == "tf_idf" else "int64"
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # ---- config and files --------------------------------------------------------------

    def get_config(self):
        from cornu.saving.serialization_lib import serialize_keras_object

        lookup = self._lookup_layer
        config = super().get_config()
        config.update(
            {
                "max_tokens": lookup.max_tokens,
                "standardize": self._standardize
                if not callable(self._standardize)
                else serialize_keras_object(self._standardize),
                "split": self._split
                if not callable(self._split)
                else serialize_keras_object(self._split),
                "ngrams": self._ngrams_arg,
                "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens,
                "sparse": False,
                "ragged": False,
                "vocabulary": lookup.get_config()["vocabulary"],
                "idf_weights": lookup.get_config()["idf_weights"],
                "encoding": self._encoding,
                "vocabulary_size": self.vocabulary_size(),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        from cornu.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def _saved_variable_specs(self):
        return self._lookup_layer._saved_variable_specs()

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)


def _ngrams(tokens, widths):
    """The n-grams of each width in ``widths``, in that order, joined by spaces."""
    out = []
    for width in widths:
        out.extend(" ".join(tokens[i : i + width]) for i in range(len(tokens) - width + 1))
    return out
