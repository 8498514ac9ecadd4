"""STFTSpectrogram: the short-time Fourier transform of signals, computed by convolutions."""

import math
import warnings

from cornu import backend, initializers, ops
from cornu.layers.convolutional.conv_utils import conv_output_length
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _angle(imag, real):
    """``arctan2(imag, real)`` from ``arctan``: the phase in ``[-pi, pi]``."""
    safe_real = ops.where(ops.equal(real, 0), ops.ones_like(real), real)
    base = ops.arctan(imag / safe_real)
    half_turn = ops.where(ops.greater_equal(imag, 0), math.pi, -math.pi)
    angle = ops.where(ops.less(real, 0), base + half_turn, base)
    on_axis = ops.where(
        ops.greater(imag, 0), math.pi / 2, ops.where(ops.less(imag, 0), -math.pi / 2, 0.0)
    )
    return ops.where(ops.equal(real, 0), ops.cast(on_axis, real.dtype), angle)


class STFTSpectrogram(Layer):
    """Spectrograms of signals from their short-time Fourier transform, computed as 1-D
    convolutions whose kernels (``real_kernel``, ``imag_kernel``, made by the ``STFT``
    initializer) are the windowed Fourier bases; they may be trained.

    Args:
        mode: ``"log"`` (log magnitude), ``"magnitude"``, ``"psd"`` (power spectral density),
            ``"real"``, ``"imag"``, ``"angle"`` (phase) or ``"stft"`` (real and imaginary parts
            concatenated along the frequency axis).
        frame_length: the samples of each frame (256).
        frame_step: the samples between frames (``frame_length // 2`` when None).
        fft_length: the FFT size (the power of two at least ``frame_length`` when None).
        window: a window name (``"hann"``), an array of ``frame_length`` values, or None.
        periodic: use the periodic form of a named window.
        scaling: ``"density"``, ``"spectrum"`` or None: how the window is normalized.
        padding: ``"valid"`` or ``"same"``.
        expand_dims: keep the input channels as their own axis instead of stacking them with
            the frequencies.
        data_format: ``"channels_last"`` or ``"channels_first"`` (``image_data_format()``).

    Input shape: ``(batch, time, channels)`` (channels_last) or ``(batch, channels, time)``.
    Output shape: ``(batch, frames, channels * freqs)`` (channels_last) or
    ``(batch, channels * freqs, frames)``; with ``expand_dims``,
    ``(batch, frames, freqs, channels)`` or ``(batch, channels, frames, freqs)``, where
    ``freqs = fft_length // 2 + 1`` (twice that in ``"stft"`` mode).
    """

    def __init__(
        self,
        mode="log",
        frame_length=256,
        frame_step=None,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        expand_dims=False,
        data_format=None,
        **kwargs,
    ):
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(
                "STFTSpectrogram: `frame_step` should be a positive integer not greater than "
                f"`frame_length`. Received frame_step={frame_step}, frame_length={frame_length}"
            )
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                "STFTSpectrogram: `fft_length` should be not less than `frame_length`. "
                f"Received fft_length={fft_length}, frame_length={frame_length}"
            )
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(
                "`fft_length` is recommended to be a power of two. "
                f"Received fft_length={fft_length}",
                stacklevel=2,
            )
        if mode not in _MODES:
            raise ValueError(
                f"STFTSpectrogram: output mode is invalid, it must be one of "
                f"{', '.join(_MODES)}. Received: mode={mode!r}"
            )
        if padding not in ("valid", "same"):
            raise ValueError(
                "STFTSpectrogram: padding is invalid, it should be 'valid', 'same'. "
                f"Received: padding={padding!r}"
            )
        # The initializer checks `scaling` and the window's name.
        initializers.STFT("real", window, scaling, periodic)
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        args = (self.window, self.scaling, self.periodic)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel", shape=shape, initializer=initializers.STFT("real", *args)
            )
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel", shape=shape, initializer=initializers.STFT("imag", *args)
            )
        self.built = True

    def _apply_conv(self, inputs, kernel):
        """Each channel convolved alone: ``(batch, channels, freqs, frames)``."""
        channels_last = self.data_format == "channels_last"
        if channels_last:
            _, time, channels = inputs.shape
            signals = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, time, 1))
        else:
            _, channels, time = inputs.shape
            signals = ops.reshape(inputs, (-1, 1, time))
        kernel = ops.cast(kernel, backend.standardize_dtype(inputs.dtype))
        outputs = ops.conv(
            signals,
            kernel,
            strides=self._frame_step,
            padding=self.padding,
            data_format=self.data_format,
        )
        if channels_last:
            outputs = ops.transpose(outputs, (0, 2, 1))
        return ops.reshape(outputs, (-1, channels, outputs.shape[1], outputs.shape[2]))

    def _adjust_shapes(self, outputs):
        _, channels, freqs, frames = outputs.shape
        if self.expand_dims:
            order = (0, 3, 2, 1) if self.data_format == "channels_last" else (0, 1, 3, 2)
            return ops.transpose(outputs, order)
        outputs = ops.reshape(outputs, (-1, channels * freqs, frames))
        return ops.transpose(outputs, (0, 2, 1)) if self.data_format == "channels_last" else outputs

    def call(self, inputs):
        dtype = backend.standardize_dtype(inputs.dtype)
        if dtype not in ("float16", "float32", "float64"):
            raise TypeError(
                f"STFTSpectrogram '{self.name}': invalid input type. Expected `float16`, "
                f"`float32` or `float64`. Received: input type={dtype}"
            )
        real = self._apply_conv(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._apply_conv(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._adjust_shapes(real)
        if self.mode == "imag":
            return self._adjust_shapes(imag)
        if self.mode == "angle":
            return self._adjust_shapes(_angle(imag, real))
        if self.mode == "stft":
            return self._adjust_shapes(ops.concatenate([real, imag], axis=2))
        power = ops.square(real) + ops.square(imag)
        if self.mode == "psd":
            # The one-sided density: every bin but the first and last counts twice.
            inner = ops.pad(power[:, :, 1:-1, :], [[0, 0], [0, 0], [1, 1], [0, 0]])
            return self._adjust_shapes(power + inner)
        magnitude = self._adjust_shapes(ops.sqrt(ops.maximum(power, backend.epsilon())))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, backend.epsilon()))

    def compute_output_shape(self, input_shape):
        channels_last = self.data_format == "channels_last"
        batch = input_shape[0]
        channels = input_shape[-1] if channels_last else input_shape[1]
        time = input_shape[1] if channels_last else input_shape[-1]
        freqs = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        frames = conv_output_length(time, self.frame_length, self.padding, self._frame_step)
        if self.expand_dims:
            if channels_last:
                return (batch, frames, freqs, channels)
            return (batch, channels, frames, freqs)
        stacked = None if channels is None else channels * freqs
        return (batch, frames, stacked) if channels_last else (batch, stacked, frames)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "mode": self.mode,
                "frame_length": self.frame_length,
                "frame_step": self.frame_step,
                "fft_length": self.fft_length,
                "window": self.window,
                "periodic": self.periodic,
                "scaling": self.scaling,
                "padding": self.padding,
                "data_format": self.data_format,
                "expand_dims": self.expand_dims,
            }
        )
        return config
