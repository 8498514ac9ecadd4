"""pad_sequences: a list of variable-length sequences as one padded NumPy array."""

import numpy as np


def pad_sequences(
    sequences,
    maxlen=None,
    dtype="int32",
    padding="pre",
    truncating="pre",
    value=0.0,
):
    """Pads sequences to the same length.

    Turns a list of ``num_samples`` sequences (lists of ints, or of equally shaped items)
    into an array of shape ``(num_samples, num_timesteps)`` (plus the items' shape), where
    ``num_timesteps`` is ``maxlen`` or, when None, the longest sequence's length. Shorter
    sequences are filled with ``value``, longer ones cut; ``padding`` and ``truncating``
    say at which end.

    >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)
    >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2)
    array([[0, 1],
           [2, 3],
           [5, 6]], dtype=int32)

    Args:
        sequences: a list of sequences.
        maxlen: the length of the output's second axis; None for the longest sequence's.
        dtype: the output's dtype (``object`` or a string dtype for string items).
        padding: ``"pre"`` or ``"post"``: fill before or after each sequence.
        truncating: ``"pre"`` or ``"post"``: drop the first or the last steps of a sequence
            longer than ``maxlen``.
        value: the fill value (a float, or a string with a string or object dtype).

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen) + item_shape``.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths = []
    item_shape = None
    for sequence in sequences:
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {sequence}"
            ) from error
        if item_shape is None and len(sequence):  # the first non-empty sequence decides
            item_shape = np.asarray(sequence).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = np.max(lengths)

    string_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not string_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )

    out = np.full((len(sequences), maxlen) + item_shape, value, dtype=dtype)
    for row, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        if truncating == "pre":
            kept = sequence[-maxlen:]
        elif truncating == "post":
            kept = sequence[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != item_shape:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {row} is "
                f"different from expected shape {item_shape}"
            )
        if padding == "post":
            out[row, : len(kept)] = kept
        elif padding == "pre":
            out[row, -len(kept) :] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return out
