"""STFTSpectrogram and MelSpectrogram: values against Keras (kernels copied), every mode and
layout, run_layer_test, configs, errors."""

import numpy as np
import pytest

from cornu import Input, layers, ops
from cornu.testing import run_layer_test

RNG = np.random.RandomState(0)
SIGNAL = RNG.standard_normal((2, 40, 2)).astype("float32")
# Keras names windows through SciPy (absent here), so Keras gets the same window as an array.
HANN_16 = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(16) / 15)


@pytest.mark.parametrize("mode", ["log", "magnitude", "psd", "real", "imag", "angle", "stft"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("expand_dims", [False, True])
def test_stft_spectrogram_matches_keras(oracle, keras, mode, data_format, expand_dims):
    kwargs = dict(
        mode=mode, frame_length=16, frame_step=6, fft_length=32, window=None,
        data_format=data_format, expand_dims=expand_dims,
    )  # fmt: skip
    x = SIGNAL if data_format == "channels_last" else np.transpose(SIGNAL, (0, 2, 1))
    ours = layers.STFTSpectrogram(**kwargs)
    out = oracle.layer(ours, keras.layers.STFTSpectrogram(**kwargs), x, atol=1e-4)
    kernels = {"real": ["real_kernel"], "imag": ["imag_kernel"]}
    assert [w.name for w in ours.weights] == kernels.get(mode, ["real_kernel", "imag_kernel"])
    assert tuple(ours.compute_output_shape(x.shape)) == out.shape
    assert tuple(ours(Input(x.shape[1:])).shape) == (None, *out.shape[1:])


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("scaling", ["density", "spectrum", None])
def test_stft_spectrogram_windows(oracle, keras, padding, scaling):
    common = dict(frame_length=16, frame_step=5, padding=padding, scaling=scaling)
    ours = layers.STFTSpectrogram(window="hann", periodic=False, **common)
    theirs = keras.layers.STFTSpectrogram(window=HANN_16, **common)
    oracle.layer(ours, theirs, SIGNAL, atol=1e-4)


def test_stft_spectrogram_layer_test():
    run_layer_test(
        layers.STFTSpectrogram,
        {"mode": "magnitude", "frame_length": 8, "frame_step": 4, "padding": "same"},
        input_data=SIGNAL,
        expected_output_shape=(2, 10, 10),
        expected_num_trainable_weights=2,
        atol=1e-5,
    )


def test_stft_spectrogram_config(keras):
    ours = layers.STFTSpectrogram(mode="psd", frame_length=32, fft_length=64).get_config()
    theirs = keras.layers.STFTSpectrogram(
        mode="psd", frame_length=32, fft_length=64, window=None
    ).get_config()
    theirs["window"] = "hann"
    assert sorted(ours) == sorted(theirs)
    assert {k: ours[k] for k in theirs if k not in ("name", "dtype")} == {
        k: theirs[k] for k in theirs if k not in ("name", "dtype")
    }


def test_stft_spectrogram_errors():
    with pytest.raises(ValueError, match="frame_step"):
        layers.STFTSpectrogram(frame_length=8, frame_step=9)
    with pytest.raises(ValueError, match="fft_length"):
        layers.STFTSpectrogram(frame_length=8, fft_length=4)
    with pytest.warns(UserWarning, match="power of two"):
        layers.STFTSpectrogram(frame_length=8, fft_length=12)
    with pytest.raises(ValueError, match="mode"):
        layers.STFTSpectrogram(mode="phase")
    with pytest.raises(ValueError, match="scaling"):
        layers.STFTSpectrogram(scaling="energy")
    with pytest.raises(ValueError, match="padding"):
        layers.STFTSpectrogram(padding="causal")
    with pytest.raises(TypeError, match="float16"):
        layers.STFTSpectrogram(frame_length=8)(SIGNAL.astype("int32"))
    with pytest.raises(ValueError, match="ndim"):
        layers.STFTSpectrogram(frame_length=8)(SIGNAL[0])


MEL_CASES = [
    {"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 10, "sampling_rate": 8000},
    {
        "fft_length": 64, "sequence_stride": 20, "sequence_length": 48, "window": "hamming",
        "num_mel_bins": 8, "sampling_rate": 16000, "min_freq": 100.0, "max_freq": 5000,
        "top_db": 40.0, "mag_exp": 1.0, "ref_power": 2.0,
    },
    {"fft_length": 32, "sequence_stride": 8, "num_mel_bins": 6, "power_to_db": False},
]  # fmt: skip


@pytest.mark.parametrize("kwargs", MEL_CASES)
@pytest.mark.parametrize("shape", [(2, 200), (203,)])
def test_mel_spectrogram_matches_keras(oracle, keras, kwargs, shape):
    x = RNG.standard_normal(shape).astype("float32")
    out = oracle.layer(layers.MelSpectrogram(**kwargs), keras.layers.MelSpectrogram(**kwargs), x,
                       atol=1e-3, rtol=1e-4)  # fmt: skip
    layer = layers.MelSpectrogram(**kwargs)
    assert tuple(layer.compute_output_shape(shape)) == out.shape


def test_mel_weight_matrix_matches_keras(keras):
    args = dict(num_mel_bins=12, num_spectrogram_bins=65, sampling_rate=16000,
                lower_edge_hertz=50.0, upper_edge_hertz=7000.0)  # fmt: skip
    ours = layers.MelSpectrogram().linear_to_mel_weight_matrix(**args)
    theirs = keras.layers.MelSpectrogram().linear_to_mel_weight_matrix(**args)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), atol=1e-5
    )


def test_mel_spectrogram_layer_test_and_config(keras):
    kwargs = {"fft_length": 32, "sequence_stride": 8, "num_mel_bins": 6}
    run_layer_test(
        layers.MelSpectrogram,
        kwargs,
        input_data=RNG.standard_normal((2, 64)).astype("float32"),
        expected_output_shape=(2, 6, 9),
        expected_num_trainable_weights=0,
        atol=1e-4,
    )
    assert tuple(layers.MelSpectrogram(**kwargs)(Input((64,))).shape) == (None, 6, 9)
    ours = layers.MelSpectrogram(**kwargs).get_config()
    theirs = keras.layers.MelSpectrogram(**kwargs).get_config()
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        if key not in ("name", "dtype"):
            assert ours[key] == theirs[key], key


def test_mel_spectrogram_errors():
    with pytest.raises(ValueError, match="fft_length.*sequence_length"):
        layers.MelSpectrogram(fft_length=32, sequence_length=64)
