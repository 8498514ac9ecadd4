"""Initializers with no randomness: Zeros, Ones, Constant, Identity and STFT."""

import math

import numpy as np

from cornu import ops
from cornu.core import standardize_dtype
from cornu.initializers.initializer import Initializer
from cornu.ops import convert_to_numpy, convert_to_tensor, is_tensor


class Zeros(Initializer):
    """Fills the tensor with 0.

    Example: ``cornu.layers.Dense(3, bias_initializer=Zeros())``.
    """

    def __call__(self, shape, dtype=None):
        """A tensor of zeros of ``shape`` and ``dtype`` (``floatx()`` when None)."""
        return ops.zeros(shape, dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Fills the tensor with 1.

    Example: ``cornu.layers.BatchNormalization(gamma_initializer=Ones())``.
    """

    def __call__(self, shape, dtype=None):
        """A tensor of ones of ``shape`` and ``dtype`` (``floatx()`` when None)."""
        return ops.ones(shape, dtype=standardize_dtype(dtype))


class Constant(Initializer):
    """Fills the tensor with ``value``.

    Args:
        value: a Python scalar (an array broadcastable to the shape also works).
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        return convert_to_tensor(self.value, dtype=dtype) * ops.ones(shape, dtype=dtype)

    def get_config(self):
        return {"value": _value_config(self.value)}

    @classmethod
    def from_config(cls, config):
        return cls(_value_from_config(config.get("value", 0.0)))


def _value_config(value):
    """``value`` as Keras writes it in a config: plain numbers, or an array block."""
    if isinstance(value, np.generic):
        return value.item()
    if is_tensor(value) or isinstance(value, np.ndarray):
        array = convert_to_numpy(value)
        if array.ndim == 0:
            return array.item()
        kind = "__tensor__" if is_tensor(value) else "__numpy__"
        return {
            "class_name": kind,
            "config": {"value": array.tolist(), "dtype": standardize_dtype(array.dtype)},
        }
    return value


def _value_from_config(value):
    if isinstance(value, dict) and value.get("class_name") in ("__numpy__", "__tensor__"):
        inner = value["config"]
        array = np.array(inner["value"], dtype=inner["dtype"])
        return array if value["class_name"] == "__numpy__" else convert_to_tensor(array)
    if isinstance(value, list):
        return np.array(value)
    return value


class Identity(Initializer):
    """The identity matrix times ``gain`` (ones on the main diagonal of a 2-D tensor).

    Args:
        gain: the value on the diagonal.

    Keras 3 leaves ``gain`` out of the config (so a saved model forgets it); cornu writes it,
    and Keras reads such a config back with the right gain.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "The Identity initializer only makes 2-D matrices. "
                f"Received: shape={tuple(shape)} of rank {len(shape)}."
            )
        return self.gain * ops.eye(shape[0], shape[1], dtype=standardize_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


class STFT(Initializer):
    """Conv kernels computing a short-time Fourier transform (the real or imaginary part).

    Used by the ``STFTSpectrogram`` layer. The kernel shape is ``(frame_length, 1, fft_bins)``
    with ``fft_bins = fft_length // 2 + 1``.

    Args:
        side: ``"real"`` (cosine kernels) or ``"imag"`` (sine kernels).
        window: a window name (``"hann"``, ``"hamming"``; others need SciPy), an array of
            ``frame_length`` values, or None for no window.
        scaling: ``"density"`` (divide by the window's L2 norm), ``"spectrum"`` (by its L1
            norm) or None.
        periodic: use the periodic (DFT-even) form of a named window.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"`side` must be 'real' or 'imag'. Received: side={side!r}")
        if isinstance(window, str):
            _window_values(window, 1, periodic)
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                f"`scaling` must be None, 'density' or 'spectrum'. Received: scaling={scaling!r}"
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        frame_length, _, fft_bins = shape
        window = None
        scale = 1
        if self.window is not None:
            window = self.window
            if isinstance(window, str):
                window = _window_values(window, frame_length, self.periodic)
            window = convert_to_tensor(window, dtype=dtype)
            if tuple(window.shape) != (frame_length,):
                raise ValueError(
                    f"The window must have shape ({frame_length},) (the frame length). "
                    f"Received: window shape={tuple(window.shape)}"
                )
            window = ops.reshape(window, (frame_length, 1, 1))
            if self.scaling == "density":
                scale = ops.sqrt(ops.sum(ops.square(window)))
            elif self.scaling == "spectrum":
                scale = ops.sum(ops.abs(window))
        freq = ops.reshape(ops.arange(fft_bins, dtype=dtype), (1, 1, fft_bins))
        freq = freq / ((fft_bins - 1) * 2)
        time = ops.reshape(ops.arange(frame_length, dtype=dtype), (frame_length, 1, 1))
        pi = convert_to_tensor(math.pi, dtype=dtype)
        angle = -2 * time * freq * pi
        kernel = ops.cos(angle) if self.side == "real" else ops.sin(angle)
        if window is not None:
            kernel = kernel * window / scale
        return kernel

    def get_config(self):
        return {
            "side": self.side,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }


def _window_values(name, length, periodic):
    """A named window as NumPy, as ``scipy.signal.get_window(name, length, periodic)``."""
    alphas = {"hann": 0.5, "hamming": 0.54}
    if name in alphas:
        size = length + 1 if periodic else length
        if size == 1:
            return np.ones(length)
        n = np.arange(size)
        values = alphas[name] - (1 - alphas[name]) * np.cos(2 * np.pi * n / (size - 1))
        return values[:length]
    try:
        from scipy import signal
    except ImportError as e:
        raise ImportError(
            f"The window {name!r} needs SciPy (`pip install scipy`); 'hann' and 'hamming' "
            "work without it."
        ) from e
    return signal.get_window(name, length, periodic)
