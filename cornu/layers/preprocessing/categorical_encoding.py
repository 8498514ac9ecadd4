"""Keras's encodings of integer category indices: ``"int"``, ``"one_hot"``, ``"multi_hot"``
and ``"count"``, shared by CategoryEncoding, Discretization, Hashing and HashedCrossing."""

from cornu import ops


def encode_categorical_inputs(inputs, output_mode, depth, dtype, count_weights=None):
    """Encodes integer ``inputs`` (values in ``[0, depth)``) as Keras does.

    ``"one_hot"`` adds an axis of size ``depth`` (replacing a last axis of size 1);
    ``"multi_hot"`` and ``"count"`` reduce the sample axis (axis 1, or 0 for rank 1; a
    scalar counts as one sample) into an axis of size ``depth``.
    """
    inputs = ops.convert_to_tensor(inputs)
    if output_mode == "int":
        return ops.cast(inputs, dtype)
    if len(inputs.shape) == 0:
        inputs = ops.expand_dims(inputs, -1)
    if output_mode == "one_hot":
        if len(inputs.shape) > 1 and inputs.shape[-1] == 1:
            inputs = ops.squeeze(inputs, axis=-1)
        return ops.one_hot(inputs, depth, dtype=dtype)
    axis = 1 if len(inputs.shape) > 1 else 0
    if output_mode == "multi_hot":
        return ops.max(ops.one_hot(inputs, depth, dtype=dtype), axis=axis)
    if count_weights is not None:
        dtype = count_weights.dtype
    encoded = ops.one_hot(inputs, depth, dtype=dtype)
    if count_weights is not None:
        encoded = encoded * ops.expand_dims(count_weights, -1)
    return ops.sum(encoded, axis=axis)


def check_index_range(layer, indices, depth, what):
    """A ValueError naming the layer when an index falls outside ``[0, depth)``."""
    if ops.size(indices) == 0:
        return
    low, high = int(ops.min(indices)), int(ops.max(indices))
    if low < 0 or high >= depth:
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': input values must be in the range "
            f"0 <= values < {what}={depth}. Received values from {low} to {high}."
        )
