"""CategoryEncoding: integer category indices as one-hot, multi-hot or count vectors."""

from cornu import ops
from cornu.core import KerasTensor
from cornu.layers.layer import Layer
from cornu.layers.preprocessing.categorical_encoding import (
    check_index_range,
    encode_categorical_inputs,
)

OUTPUT_MODES = ("count", "one_hot", "multi_hot")


class CategoryEncoding(Layer):
    """Encodes integer features (category indices) as dense vectors.

    Args:
        num_tokens: the number of categories; inputs must lie in ``[0, num_tokens)``.
        output_mode: ``"multi_hot"`` (1 for each index present in a sample, the default),
            ``"one_hot"`` (one vector per input value; a last axis of size 1 is replaced)
            or ``"count"`` (how many times each index occurs in a sample).
            ``"binary"`` is an old name of ``"multi_hot"``.
        sparse: kept for Keras compatibility; must be False (dense outputs only).

    Call arguments:
        inputs: integer indices ``(batch,)`` or ``(batch, samples)`` (a rank-1 input is one
            sample for ``"multi_hot"`` and ``"count"``).
        count_weights: with ``"count"``, a weight per input value, summed instead of 1.

    Output shape: ``(batch, num_tokens)`` (``(batch, ..., num_tokens)`` for ``"one_hot"``),
    of the layer's compute dtype (float32).
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not "
                "known beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError(
                "CategoryEncoding: `sparse=True` needs sparse tensors, which the torch backend "
                "does not have. Received: sparse=True; use sparse=False."
            )
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True  # no weights; inputs may be lists of strings

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. "
                    f"Received `count_weights={count_weights}`."
                )
            count_weights = ops.convert_to_tensor(count_weights, dtype=self.compute_dtype)
        inputs = ops.convert_to_tensor(inputs)
        check_index_range(self, inputs, self.num_tokens, "num_tokens")
        return encode_categorical_inputs(
            inputs, self.output_mode, self.num_tokens, self.compute_dtype, count_weights
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_tokens,)
        if self.output_mode == "one_hot":
            if input_shape[-1] != 1 or len(input_shape) == 1:
                return input_shape + (self.num_tokens,)
            return input_shape[:-1] + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
        }
