"""Int8 weight and activation quantizers: the ``Quantizer`` base, ``AbsMaxQuantizer`` and the
abs-max formulas they run, written with ``cornu.ops`` so that they run on every backend."""

import numpy as np

from cornu import core, ops
from cornu.quantizers.host_math import Host

_EPSILON = core.epsilon()


class Quantizer:
    """The base class of quantizers: ``quantizer(x)`` gives a quantized form of ``x``.

    Args:
        output_dtype: the dtype of the quantized values (``"int8"``).
    """

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        """The quantized form of ``x`` (the base class returns ``x`` as it is)."""
        return x

    @classmethod
    def from_config(cls, config):
        """A quantizer made from the dict that ``get_config`` gave."""
        return cls(**config)

    def get_config(self):
        """The quantizer's arguments as a JSON-friendly dict."""
        raise NotImplementedError(f"{self} does not implement get_config()")


def _numpy_axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def abs_max_quantize(
    inputs, axis, value_range=(-127, 127), dtype="int8", epsilon=_EPSILON, to_numpy=False
):
    """Quantizes ``inputs`` by the absolute maximum along ``axis``.

    ``scale = value_range[1] / (max(|inputs|, axis) + epsilon)`` and the quantized values are
    ``clip(round(inputs * scale), *value_range)`` cast to ``dtype``.

    Args:
        inputs: the tensor to quantize.
        axis: the axis (or axes) reduced to find the range; the scale keeps them as size 1.
        value_range: the ``(min, max)`` of the quantized values.
        dtype: the quantized values' dtype.
        epsilon: added to the maximum so that an all-zero slice does not divide by zero.
        to_numpy: compute on the host with NumPy (saves device memory for large weights).

    Returns:
        ``(quantized, scale)``; ``scale`` has ``inputs``'s dtype.
    """
    if to_numpy:
        original_dtype = ops.dtype(inputs)
        values = ops.convert_to_numpy(inputs)
        host = Host(original_dtype)
        largest = np.max(np.abs(values), axis=_numpy_axis(axis), keepdims=True)
        scale = host(np.divide(value_range[1], host(np.add(largest, host(epsilon)))))
        outputs = host(np.multiply(values, scale))
        outputs = np.clip(np.round(outputs), value_range[0], value_range[1])
        return (
            ops.convert_to_tensor(outputs.astype(dtype)),
            ops.convert_to_tensor(scale, dtype=original_dtype),
        )
    inputs = ops.convert_to_tensor(inputs)
    scale = ops.divide(
        value_range[1], ops.add(ops.max(ops.abs(inputs), axis=axis, keepdims=True), epsilon)
    )
    scale = ops.cast(scale, ops.dtype(inputs))
    outputs = ops.clip(ops.round(ops.multiply(inputs, scale)), value_range[0], value_range[1])
    return ops.cast(outputs, dtype), scale


class AbsMaxQuantizer(Quantizer):
    """Quantizes a tensor by its absolute maximum along an axis (``abs_max_quantize``).

    Args:
        axis: deprecated; give the axis to ``__call__`` instead.
        value_range: the ``(min, max)`` of the quantized values; within ``[-128, 127]`` for
            ``output_dtype="int8"``.
        epsilon: added to the maximum so that an all-zero slice does not divide by zero.
        output_dtype: the quantized values' dtype.

    ``quantizer(x, axis=-1)`` returns ``(quantized, scale)``.
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon=_EPSILON, output_dtype="int8"):
        Quantizer.__init__(self, output_dtype=output_dtype)
        if axis is not None:
            axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.axis = axis
        self.value_range = value_range
        self.epsilon = epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError(
                "Quantizer with output_dtype='int8' requires value_range to be within the "
                f"interval [-128, 127]. Received: value_range={value_range}"
            )

    def __call__(self, x, axis=None, to_numpy=False):
        """``(quantized, scale)`` of ``x`` along ``axis`` (the constructor's, else -1)."""
        if axis is None:
            axis = self.axis if self.axis is not None else -1
        return abs_max_quantize(
            x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy
        )

    def get_config(self):
        config = {
            "value_range": self.value_range,
            "epsilon": self.epsilon,
            "output_dtype": self.output_dtype,
        }
        if self.axis is not None:
            config["axis"] = self.axis
        return config
