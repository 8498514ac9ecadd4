"""The signal ops (fft, fft2, ifft2, rfft, irfft, stft, istft, extract_sequences): values and
dtypes against keras.ops, round trips, and argument errors."""

import numpy as np
import pytest

from cornu import ops
from cornu.core.config import backend

RNG = np.random.RandomState(0)
SIGNAL = RNG.standard_normal((2, 3, 32)).astype("float32")
PAIR = (
    RNG.standard_normal((2, 4, 6)).astype("float32"),
    RNG.standard_normal((2, 4, 6)).astype("float32"),
)


@pytest.mark.parametrize("name", ["fft", "fft2", "ifft2"])
def test_complex_ffts(oracle, name):
    oracle.op(name, PAIR, atol=1e-5)
    oracle.op(name, tuple(p.astype("float64") for p in PAIR), atol=1e-10)


@pytest.mark.parametrize("fft_length", [None, 8, 20, 33])
def test_rfft_and_irfft(oracle, fft_length):
    real, imag = oracle.op("rfft", SIGNAL, fft_length=fft_length, atol=1e-5)
    oracle.op("irfft", (real, imag), fft_length=fft_length, atol=1e-5)
    oracle.op("rfft", SIGNAL.astype("float64"), fft_length=fft_length, atol=1e-10)


def test_irfft_inverts_rfft():
    back = ops.irfft(ops.rfft(SIGNAL), fft_length=32)
    np.testing.assert_allclose(ops.convert_to_numpy(back), SIGNAL, atol=1e-5)


@pytest.mark.parametrize("shape", [(16,), (3, 16), (2, 3, 20)])
@pytest.mark.parametrize("length, stride", [(4, 2), (5, 3), (16, 16)])
def test_extract_sequences(oracle, shape, length, stride):
    x = np.arange(np.prod(shape), dtype="float32").reshape(shape)
    oracle.op("extract_sequences", x, length, stride)
    oracle.op("extract_sequences", x.astype("int32"), length, stride)


STFT_CASES = [
    (8, 4, 8, "hann", True),
    (8, 4, 16, "hamming", True),
    (6, 2, 8, None, False),
    (8, 3, 8, "hann", False),
    (7, 2, 10, np.linspace(0.5, 1.0, 7).astype("float32"), True),
]


@pytest.mark.parametrize("sequence_length, stride, fft_length, window, center", STFT_CASES)
@pytest.mark.parametrize("shape", [(32,), (2, 32), (2, 2, 33)])
def test_stft_and_istft(oracle, keras, shape, sequence_length, stride, fft_length, window, center):
    x = RNG.standard_normal(shape).astype("float32")
    args = (sequence_length, stride, fft_length)
    if window is None and backend() == "jax":
        # Keras's JAX stft frames fft_length samples when window=None (not sequence_length,
        # as torch.stft and Keras's torch backend): it gets the equivalent box window instead.
        spec = ops.stft(x, *args, window=None, center=center)
        box = np.ones(sequence_length, "float32")
        oracle.values(spec, keras.ops.stft(x, *args, window=box, center=center), atol=1e-4)
    else:
        spec = oracle.op("stft", x, *args, window=window, center=center, atol=1e-4)
    if backend() == "jax" and (not center or isinstance(window, np.ndarray)):
        # Keras's JAX istft (jax.scipy.signal.istft) normalises the frame edges by another
        # window envelope than torch.istft, which Keras's torch backend and cornu follow.
        pytest.skip("Keras's JAX istft differs from torch.istft at the edges")
    oracle.op("istft", spec, *args, window=window, center=center, atol=1e-4)
    oracle.op("istft", spec, *args, length=20, window=window, center=center, atol=1e-4)


def test_stft_float64(oracle):
    x = RNG.standard_normal((2, 40))
    spec = oracle.op("stft", x, 8, 4, 8, atol=1e-10)
    oracle.op("istft", spec, 8, 4, 8, atol=1e-10)


def test_istft_inverts_stft():
    x = RNG.standard_normal((2, 64)).astype("float32")
    spec = ops.stft(x, 16, 4, 16)
    back = ops.istft(spec, 16, 4, 16, length=64)
    np.testing.assert_allclose(ops.convert_to_numpy(back), x, atol=1e-5)


def test_stft_keras_docstring_example():
    real, imag = ops.stft(np.array([0.0, 1.0, 2.0, 3.0, 4.0], "float32"), 3, 2, 3)
    np.testing.assert_allclose(
        ops.convert_to_numpy(real), [[0.75, -0.375], [3.75, -1.875], [5.25, -2.625]], atol=1e-6
    )
    np.testing.assert_allclose(
        ops.convert_to_numpy(imag), [[0.0, 0.649519], [0.0, 0.649519], [0.0, -0.649519]], atol=1e-6
    )


def test_errors():
    with pytest.raises(ValueError, match="fft.*tuple of two tensors"):
        ops.fft(PAIR[0])
    with pytest.raises(ValueError, match="same shape"):
        ops.fft2((PAIR[0], PAIR[1][..., :3]))
    with pytest.raises(ValueError, match="float"):
        ops.ifft2((PAIR[0].astype("int32"), PAIR[1].astype("int32")))
    with pytest.raises(ValueError, match="fft2.*rank >= 2"):
        ops.fft2((np.ones(3, "float32"), np.ones(3, "float32")))
    with pytest.raises(ValueError, match="sequence_stride.*positive integer"):
        ops.stft(SIGNAL, 8, 0, 8)
    with pytest.raises(ValueError, match="sequence_stride"):
        ops.istft(ops.stft(SIGNAL, 8, 4, 8), 8, 2.0, 8)
    with pytest.raises(TypeError, match="float32.*float64"):
        ops.stft(SIGNAL.astype("int32"), 8, 4, 8)
    with pytest.raises(ValueError, match="fft_length"):
        ops.stft(SIGNAL, 8, 4, 4)
    with pytest.raises(ValueError, match='"hann", "hamming"'):
        ops.stft(SIGNAL, 8, 4, 8, window="blackman")
    with pytest.raises(ValueError, match="shape of `window`"):
        ops.stft(SIGNAL, 8, 4, 8, window=np.ones(5, "float32"))
