"""Engine-free arithmetic of the convolution and pooling ops that every backend shares: argument
tuples, the padding check, TensorFlow's 'same' padding and the padding of a transposed
convolution."""

import numpy as np


def ntuple(value, n, name):
    """``value`` (an int, or ``n`` ints) as a tuple of ``n`` ints."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints. Received: {value}")
    return value


def check_padding(padding):
    """``padding`` lower-cased; a ValueError unless it is 'valid' or 'same'."""
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    return padding


def same_pads(size, window, stride, dilation=1):
    """TensorFlow's 'same' padding of one axis: ``(before, after)``, the odd cell after."""
    extent = (window - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + extent - size, 0)
    return total // 2, total - total // 2


def transpose_pads(window, stride, dilation, padding, output_padding):
    """The ``(before, after)`` padding of the stride-dilated input in TensorFlow's transposed
    convolution, for Keras's ``padding``/``output_padding``."""
    extent = (window - 1) * dilation + 1
    if padding == "valid":
        extra = max(extent, stride) - extent if output_padding is None else output_padding
        return extent - 1, extent - 1 + extra
    if output_padding is None:
        total = stride + extent - 2
    else:
        total = extent + extent % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, extent - 1)
    return before, total - before


def pair(v):
    """An int or a pair of ints as a pair of ints (``unfold``/``fold``'s arguments)."""
    return (int(v), int(v)) if isinstance(v, (int, np.integer)) else tuple(int(i) for i in v)


def blocks(size, kernel, dilation, padding, stride):
    """How many ``kernel`` blocks fit along an axis of ``size`` (``unfold``/``fold``)."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
