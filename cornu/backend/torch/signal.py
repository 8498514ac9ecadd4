"""Signal processing on torch tensors: FFTs, short-time Fourier transforms, framing.

Complex values travel as ``(real, imag)`` pairs of float tensors, as in Keras, so that every
op takes and returns tensors cornu's other ops understand.
"""

import math

import torch

from cornu.backend.torch.core import convert_to_tensor, get_device


def _complex(x, op):
    """A complex tensor from a ``(real, imag)`` pair, with errors naming ``op``."""
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
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(
            f"`{op}`: both tensors of input `x` must be of a float type. Received dtypes: "
            f"{real.dtype}, {imag.dtype}"
        )
    return torch.complex(real, imag)


def _check_rank(shape, rank, op):
    if len(shape) < rank:
        raise ValueError(
            f"`{op}`: input should have rank >= {rank}. Received: input.shape = {tuple(shape)}"
        )


def _pair(z):
    return z.real, z.imag


def fft(x):
    """The 1-D discrete Fourier transform of ``(real, imag)`` along the last axis."""
    z = _complex(x, "fft")
    _check_rank(z.shape, 1, "fft")
    return _pair(torch.fft.fft(z))


def fft2(x):
    """The 2-D discrete Fourier transform of ``(real, imag)`` over the last two axes."""
    z = _complex(x, "fft2")
    _check_rank(z.shape, 2, "fft2")
    return _pair(torch.fft.fft2(z))


def ifft2(x):
    """The inverse 2-D discrete Fourier transform of ``(real, imag)`` over the last two axes."""
    z = _complex(x, "ifft2")
    _check_rank(z.shape, 2, "ifft2")
    return _pair(torch.fft.ifft2(z))


def rfft(x, fft_length=None):
    """The discrete Fourier transform of a real signal along its last axis: the
    ``fft_length // 2 + 1`` non-negative frequencies, as ``(real, imag)``."""
    x = convert_to_tensor(x)
    _check_rank(x.shape, 1, "rfft")
    return _pair(torch.fft.rfft(x, n=fft_length, dim=-1, norm="backward"))


def irfft(x, fft_length=None):
    """The real signal whose ``rfft`` is ``(real, imag)``, along the last axis; its length is
    ``fft_length`` (``2 * (n - 1)`` by default)."""
    z = _complex(x, "irfft")
    _check_rank(z.shape, 1, "irfft")
    return torch.fft.irfft(z, n=fft_length, dim=-1, norm="backward")


def _check_stride(sequence_stride, op):
    if not isinstance(sequence_stride, int) or sequence_stride <= 0:
        raise ValueError(
            f"`{op}`: `sequence_stride` must be a positive integer. "
            f"Received: sequence_stride={sequence_stride!r}"
        )


def _window(window, sequence_length, dtype, op):
    """The analysis window: a named periodic window, a given tensor, or None (all ones)."""
    if window is None:
        return None
    if isinstance(window, str):
        makers = {"hann": torch.hann_window, "hamming": torch.hamming_window}
        if window not in makers:
            raise ValueError(
                f'`{op}`: if a string is passed to `window`, it must be one of "hann", '
                f'"hamming". Received: window={window!r}'
            )
        return makers[window](sequence_length, periodic=True, dtype=dtype, device=get_device())
    win = convert_to_tensor(window, dtype=dtype)
    if win.ndim != 1 or win.shape[0] != sequence_length:
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
    return x.unfold(-1, sequence_length, sequence_stride)


def _overlap_add(frames, sequence_stride):
    """Sums frames ``(..., n, length)`` placed every ``sequence_stride`` samples."""
    *batch, count, length = frames.shape
    if sequence_stride > length:
        raise ValueError(
            "`istft`: `sequence_stride` must be at most the frame length (fft_length). "
            f"Received: sequence_stride={sequence_stride}, frame length={length}"
        )
    flat = frames.reshape(-1, count, length).transpose(1, 2)  # (B, length, count)
    size = sequence_stride * (count - 1) + length
    out = torch.nn.functional.fold(
        flat, output_size=(1, size), kernel_size=(1, length), stride=(1, sequence_stride)
    )
    return out.reshape(*batch, size)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform along the last axis, as ``(real, imag)`` of shape
    ``(..., num_sequences, fft_length // 2 + 1)``."""
    _check_stride(sequence_stride, "stft")
    x = convert_to_tensor(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(
            f"`stft`: invalid input type. Expected `float32` or `float64`. Received: "
            f"input type={str(x.dtype).replace('torch.', '')}"
        )
    if fft_length < sequence_length:
        raise ValueError(
            "`stft`: `fft_length` must equal or larger than `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )
    win = _window(window, sequence_length, x.dtype, "stft")
    if win is None:
        win = torch.ones((sequence_length,), dtype=x.dtype, device=x.device)
    *batch, samples = x.shape
    flat = x.reshape(math.prod(batch), samples) if len(batch) != 1 else x
    z = torch.stft(
        flat,
        n_fft=fft_length,
        hop_length=sequence_stride,
        win_length=sequence_length,
        window=win.to(x.device),
        center=center,
        return_complex=True,
    )
    z = z.reshape(*batch, *z.shape[-2:]).transpose(-2, -1)
    return _pair(z)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The inverse short-time Fourier transform of ``(real, imag)`` frames
    ``(..., num_sequences, fft_length // 2 + 1)``: the signal, of ``length`` samples if given."""
    _check_stride(sequence_stride, "istft")
    z = _complex(x, "istft")
    _check_rank(z.shape, 2, "istft")
    win = _window(window, sequence_length, z.real.dtype, "istft")
    if sequence_length == fft_length and center and win is not None:
        *batch, count, bins = z.shape
        flat = z.reshape(math.prod(batch), count, bins) if len(batch) != 1 else z
        signal = torch.istft(
            flat.transpose(-2, -1),
            n_fft=fft_length,
            hop_length=sequence_stride,
            win_length=sequence_length,
            window=win.to(z.device),
            center=center,
            length=length,
            return_complex=False,
        )
        return signal.reshape(*batch, signal.shape[-1])
    frames = torch.fft.irfft(z, n=fft_length, dim=-1)
    full_length = fft_length + sequence_stride * (frames.shape[-2] - 1)
    if win is not None:
        # The synthesis window: the analysis window centred in fft_length and divided by the
        # sum of the squared windows that overlap each sample (tf.signal's inverse window).
        left = (fft_length - sequence_length) // 2
        win = torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))
        hops = -(-fft_length // sequence_stride)
        squares = torch.nn.functional.pad(win**2, (0, hops * sequence_stride - fft_length))
        denom = squares.reshape(hops, sequence_stride).sum(0).repeat(hops)
        frames = frames * (win / denom[:fft_length]).to(frames.device)
    signal = _overlap_add(frames, sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = -(fft_length // 2)
    else:
        end = full_length
    return signal[..., start:end]
