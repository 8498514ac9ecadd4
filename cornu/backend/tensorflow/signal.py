"""Signal processing on TensorFlow tensors: FFTs, short-time Fourier transforms, framing.
Complex values travel as ``(real, imag)`` pairs of float tensors, as in Keras."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor


def _complex(x, op):
    """A complex tensor from a ``(real, imag)`` pair, and the pair's float dtype."""
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
    if not (real.dtype.is_floating and imag.dtype.is_floating):
        raise ValueError(
            f"`{op}`: both tensors of input `x` must be of a float type. Received dtypes: "
            f"{real.dtype.name}, {imag.dtype.name}"
        )
    dtype = _pair_dtype(real.dtype, imag.dtype)
    work = tf.float64 if dtype == tf.float64 else tf.float32
    return tf.complex(tf.cast(real, work), tf.cast(imag, work)), dtype


def _pair_dtype(a, b):
    """The float dtype Keras's promotion gives a ``(real, imag)`` pair."""
    if a == b:
        return a
    order = [tf.float16, tf.bfloat16, tf.float32, tf.float64]
    if {a, b} == {tf.float16, tf.bfloat16}:
        return tf.float32
    return max(a, b, key=order.index)


def _check_rank(shape, rank, op):
    if len(shape) < rank:
        raise ValueError(
            f"`{op}`: input should have rank >= {rank}. Received: input.shape = {tuple(shape)}"
        )


def _pair(z, dtype):
    return tf.cast(tf.math.real(z), dtype), tf.cast(tf.math.imag(z), dtype)


def fft(x):
    """The 1-D discrete Fourier transform of ``(real, imag)`` along the last axis."""
    z, dtype = _complex(x, "fft")
    _check_rank(z.shape, 1, "fft")
    return _pair(tf.signal.fft(z), dtype)


def fft2(x):
    """The 2-D discrete Fourier transform of ``(real, imag)`` over the last two axes."""
    z, dtype = _complex(x, "fft2")
    _check_rank(z.shape, 2, "fft2")
    return _pair(tf.signal.fft2d(z), dtype)


def ifft2(x):
    """The inverse 2-D discrete Fourier transform of ``(real, imag)``."""
    z, dtype = _complex(x, "ifft2")
    _check_rank(z.shape, 2, "ifft2")
    return _pair(tf.signal.ifft2d(z), dtype)


def _real_work(x):
    return x if x.dtype in (tf.float32, tf.float64) else tf.cast(x, tf.float32)


def rfft(x, fft_length=None):
    """The DFT of a real signal along its last axis: ``fft_length // 2 + 1`` frequencies."""
    x = convert_to_tensor(x)
    _check_rank(x.shape, 1, "rfft")
    dtype = x.dtype if x.dtype.is_floating else tf.float32
    work = _real_work(x)
    n = [int(fft_length)] if fft_length is not None else None
    return _pair(tf.signal.rfft(work, fft_length=n), dtype)


def irfft(x, fft_length=None):
    """The real signal whose ``rfft`` is ``(real, imag)``, of length ``fft_length``
    (``2 * (n - 1)`` by default)."""
    z, dtype = _complex(x, "irfft")
    _check_rank(z.shape, 1, "irfft")
    n = [int(fft_length)] if fft_length is not None else None
    return tf.cast(tf.signal.irfft(z, fft_length=n), dtype)


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
        values = a - (1 - a) * np.cos(2 * np.pi * n / sequence_length)
        return tf.constant(values, dtype)
    win = convert_to_tensor(window, dtype=dtype)
    if win.shape.rank != 1 or win.shape[0] != sequence_length:
        raise ValueError(
            f"`{op}`: the shape of `window` must be equal to [sequence_length] = "
            f"[{sequence_length}]. Received: window shape={tuple(win.shape)}"
        )
    return win


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` along the last axis, every ``sequence_stride`` steps:
    shape ``(..., num_sequences, sequence_length)``."""
    x = convert_to_tensor(x)
    _check_rank(x.shape, 1, "extract_sequences")
    _check_stride(sequence_stride, "extract_sequences")
    return tf.signal.frame(x, sequence_length, sequence_stride, pad_end=False, axis=-1)


def _pad_last(x, before, after, mode="CONSTANT"):
    widths = [[0, 0]] * (x.shape.rank - 1) + [[before, after]]
    return tf.pad(x, widths, mode=mode)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform along the last axis, as ``(real, imag)`` of shape
    ``(..., num_sequences, fft_length // 2 + 1)``."""
    _check_stride(sequence_stride, "stft")
    x = convert_to_tensor(x)
    if x.dtype not in (tf.float32, tf.float64):
        raise TypeError(
            "`stft`: invalid input type. Expected `float32` or `float64`. Received: "
            f"input type={x.dtype.name}"
        )
    if fft_length < sequence_length:
        raise ValueError(
            "`stft`: `fft_length` must equal or larger than `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )
    win = _window(window, sequence_length, x.dtype, "stft")
    if win is None:
        win = tf.ones((sequence_length,), dtype=x.dtype)
    left = (fft_length - sequence_length) // 2
    win = tf.pad(win, [[left, fft_length - sequence_length - left]])
    if center:
        x = _pad_last(x, fft_length // 2, fft_length // 2, mode="REFLECT")
    frames = extract_sequences(x, fft_length, sequence_stride) * win
    return _pair(tf.signal.rfft(frames, fft_length=[fft_length]), x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The inverse short-time Fourier transform of ``(real, imag)`` frames
    ``(..., num_sequences, fft_length // 2 + 1)``: the signal, of ``length`` samples if given."""
    _check_stride(sequence_stride, "istft")
    z, dtype = _complex(x, "istft")
    _check_rank(z.shape, 2, "istft")
    work = tf.float64 if dtype == tf.float64 else tf.float32
    win = _window(window, sequence_length, work, "istft")
    frames = tf.signal.irfft(z, fft_length=[fft_length])
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
        signal = tf.signal.overlap_and_add(frames * win, sequence_stride)
        squares = tf.broadcast_to(tf.square(win), (count, fft_length))
        envelope = tf.signal.overlap_and_add(squares, sequence_stride)
        end = start + length if length is not None else full_length - fft_length // 2
        signal, envelope = signal[..., start:end], envelope[start:end]
        signal = signal / tf.where(envelope > 1e-11, envelope, tf.ones_like(envelope))
        if length is not None and signal.shape[-1] < length:
            signal = _pad_last(signal, 0, length - signal.shape[-1])
        return tf.cast(signal, dtype)
    if win is not None:
        left = (fft_length - sequence_length) // 2
        win = tf.pad(win, [[left, fft_length - sequence_length - left]])
        hops = -(-fft_length // sequence_stride)
        squares = tf.pad(tf.square(win), [[0, hops * sequence_stride - fft_length]])
        denom = tf.tile(tf.reduce_sum(tf.reshape(squares, (hops, sequence_stride)), 0), [hops])
        frames = frames * (win / denom[:fft_length])
    signal = tf.signal.overlap_and_add(frames, sequence_stride)
    if length is not None:
        end = start + length
    elif center:
        end = full_length - fft_length // 2
    else:
        end = full_length
    return tf.cast(signal[..., start:end], dtype)
