"""Signal processing on jax arrays: FFTs, short-time Fourier transforms, framing. Complex
values travel as ``(real, imag)`` pairs of float arrays, as in Keras."""

import jax.numpy as jnp
import numpy as np
from jax import lax

from cornu.backend.jax.core import convert_to_tensor


def _complex(x, op):
    """A complex array from a ``(real, imag)`` pair, and the pair's float dtype."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"`{op}`: input `x` should be a tuple of two tensors - real and imaginary. "
            f"Received: x={x!r}"
        )
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            f"`{op}`: input `x` should be a tuple of two tensors - real and imaginary. Both "
            "the real and imaginary parts should have the same shape. Received: "
            f"x[0].shape = {tuple(real.shape)}, x[1].shape = {tuple(imag.shape)}"
        )
    if not (jnp.issubdtype(real.dtype, jnp.floating) and jnp.issubdtype(imag.dtype, jnp.floating)):
        raise ValueError(
            f"`{op}`: both tensors of input `x` must be of a float type. Received dtypes: "
            f"{real.dtype}, {imag.dtype}"
        )
    dtype = jnp.result_type(real.dtype, imag.dtype)
    return lax.complex(real.astype(dtype), imag.astype(dtype)), dtype


def _check_rank(shape, rank, op):
    if len(shape) < rank:
        raise ValueError(
            f"`{op}`: input should have rank >= {rank}. Received: input.shape = {tuple(shape)}"
        )


def _pair(z, dtype):
    return jnp.real(z).astype(dtype), jnp.imag(z).astype(dtype)


def fft(x):
    """The 1-D discrete Fourier transform of ``(real, imag)`` along the last axis."""
    z, dtype = _complex(x, "fft")
    _check_rank(z.shape, 1, "fft")
    return _pair(jnp.fft.fft(z), dtype)


def fft2(x):
    """The 2-D discrete Fourier transform of ``(real, imag)`` over the last two axes."""
    z, dtype = _complex(x, "fft2")
    _check_rank(z.shape, 2, "fft2")
    return _pair(jnp.fft.fft2(z), dtype)


def ifft2(x):
    """The inverse 2-D discrete Fourier transform of ``(real, imag)``."""
    z, dtype = _complex(x, "ifft2")
    _check_rank(z.shape, 2, "ifft2")
    return _pair(jnp.fft.ifft2(z), dtype)


def rfft(x, fft_length=None):
    """The DFT of a real signal along its last axis: ``fft_length // 2 + 1`` frequencies."""
    x = convert_to_tensor(x)
    _check_rank(x.shape, 1, "rfft")
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.float32)
    return _pair(jnp.fft.rfft(x, n=fft_length, axis=-1), x.dtype)


def irfft(x, fft_length=None):
    """The real signal whose ``rfft`` is ``(real, imag)``, of length ``fft_length``
    (``2 * (n - 1)`` by default)."""
    z, dtype = _complex(x, "irfft")
    _check_rank(z.shape, 1, "irfft")
    return jnp.fft.irfft(z, n=fft_length, axis=-1).astype(dtype)


def _check_stride(sequence_stride, op):
    if not isinstance(sequence_stride, int) or sequence_stride <= 0:
        raise ValueError(
            f"`{op}`: `sequence_stride` must be a positive integer. "
            f"Received: sequence_stride={sequence_stride!r}"
        )


def _window(window, sequence_length, dtype, op):
    """The analysis window: a named periodic window, a given tensor, or None."""
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'`{op}`: if a string is passed to `window`, it must be one of "hann", '
                f'"hamming". Received: window={window!r}'
            )
        n = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        return jnp.asarray(a - (1 - a) * np.cos(2 * np.pi * n / sequence_length), dtype)
    win = convert_to_tensor(window, dtype=dtype)
    if win.ndim != 1 or win.shape[0] != sequence_length:
        raise ValueError(
            f"`{op}`: the shape of `window` must be equal to [sequence_length] = "
            f"[{sequence_length}]. Received: window shape={tuple(win.shape)}"
        )
    return win


def _frame_index(samples, length, stride):
    count = (samples - length) // stride + 1
    return np.arange(max(count, 0))[:, None] * stride + np.arange(length)[None, :]


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` along the last axis, every ``sequence_stride`` steps:
    shape ``(..., num_sequences, sequence_length)``."""
    x = convert_to_tensor(x)
    _check_rank(x.shape, 1, "extract_sequences")
    _check_stride(sequence_stride, "extract_sequences")
    return x[..., _frame_index(x.shape[-1], sequence_length, sequence_stride)]


def _overlap_add(frames, stride):
    """Sums frames ``(..., n, length)`` placed every ``stride`` samples."""
    *batch, count, length = frames.shape
    size = stride * (count - 1) + length
    index = (np.arange(count)[:, None] * stride + np.arange(length)[None, :]).reshape(-1)
    out = jnp.zeros(tuple(batch) + (size,), dtype=frames.dtype)
    return out.at[..., index].add(frames.reshape(tuple(batch) + (-1,)))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform along the last axis, as ``(real, imag)`` of shape
    ``(..., num_sequences, fft_length // 2 + 1)``."""
    _check_stride(sequence_stride, "stft")
    x = convert_to_tensor(x)
    if x.dtype not in (jnp.float32, jnp.float64):
        raise TypeError(
            "`stft`: invalid input type. Expected `float32` or `float64`. Received: "
            f"input type={x.dtype}"
        )
    if fft_length < sequence_length:
        raise ValueError(
            "`stft`: `fft_length` must equal or larger than `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )
    win = _window(window, sequence_length, x.dtype, "stft")
    if win is None:
        win = jnp.ones((sequence_length,), dtype=x.dtype)
    left = (fft_length - sequence_length) // 2
    win = jnp.pad(win, (left, fft_length - sequence_length - left))
    if center:
        pad = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        x = jnp.pad(x, pad, mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride) * win
    return _pair(jnp.fft.rfft(frames, n=fft_length, axis=-1), x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The inverse short-time Fourier transform of ``(real, imag)`` frames
    ``(..., num_sequences, fft_length // 2 + 1)``: the signal, of ``length`` samples if given."""
    _check_stride(sequence_stride, "istft")
    z, dtype = _complex(x, "istft")
    _check_rank(z.shape, 2, "istft")
    win = _window(window, sequence_length, dtype, "istft")
    frames = jnp.fft.irfft(z, n=fft_length, axis=-1)
    count = frames.shape[-2]
    if sequence_stride > fft_length:
        raise ValueError(
            "`istft`: `sequence_stride` must be at most the frame length (fft_length). "
            f"Received: sequence_stride={sequence_stride}, frame length={fft_length}"
        )
    full_length = fft_length + sequence_stride * (count - 1)
    start = fft_length // 2 if center else 0
    if sequence_length == fft_length and center and win is not None:
        # torch.istft: overlap-add of windowed frames over the overlap-add of squared windows.
        signal = _overlap_add(frames * win, sequence_stride)
        envelope = _overlap_add(jnp.broadcast_to(win**2, (count, fft_length)), sequence_stride)
        end = start + length if length is not None else full_length - fft_length // 2
        signal, envelope = signal[..., start:end], envelope[start:end]
        signal = signal / jnp.where(envelope > 1e-11, envelope, 1.0)
        if length is not None and signal.shape[-1] < length:
            pad = [(0, 0)] * (signal.ndim - 1) + [(0, length - signal.shape[-1])]
            signal = jnp.pad(signal, pad)
        return signal.astype(dtype)
    if win is not None:
        left = (fft_length - sequence_length) // 2
        win = jnp.pad(win, (left, fft_length - sequence_length - left))
        hops = -(-fft_length // sequence_stride)
        squares = jnp.pad(win**2, (0, hops * sequence_stride - fft_length))
        denom = jnp.tile(squares.reshape(hops, sequence_stride).sum(0), hops)
        frames = frames * (win / denom[:fft_length])
    signal = _overlap_add(frames, sequence_stride)
    if length is not None:
        end = start + length
    elif center:
        end = full_length - fft_length // 2
    else:
        end = full_length
    return signal[..., start:end].astype(dtype)
