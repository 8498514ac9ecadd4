"""audio_dataset_from_directory on small folders of WAV files the tests write."""

import wave

import numpy as np
import pytest

import cornu
from cornu.utils import audio_dataset_from_directory


def _write_wav(path, samples, rate=8000, width=2):
    """``samples``: int array ``(frames, channels)`` of ``width``-byte PCM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(samples.shape[1])
        f.setsampwidth(width)
        f.setframerate(rate)
        dtype = {1: "uint8", 2: "<i2", 4: "<i4"}[width]
        f.writeframes(samples.astype(dtype).tobytes())


def test_waveforms_are_scaled_and_zero_padded_per_batch(tmp_path):
    _write_wav(tmp_path / "no" / "0.wav", np.array([[16384], [-32768], [32767]]))
    _write_wav(tmp_path / "yes" / "0.wav", np.array([[0], [8192]]))
    ds = audio_dataset_from_directory(tmp_path, shuffle=False)
    assert ds.class_names == ["no", "yes"]
    x, y = ds[0]
    assert x.dtype == np.float32 and x.shape == (2, 3, 1)
    np.testing.assert_allclose(x[:, :, 0], [[0.5, -1.0, 32767 / 32768], [0.0, 0.25, 0.0]])
    assert y.dtype == np.int32 and y.tolist() == [0, 1]


def test_sample_widths_and_channels(tmp_path):
    _write_wav(tmp_path / "a" / "u8.wav", np.array([[128, 0], [255, 192]]), width=1)
    _write_wav(tmp_path / "a" / "v32.wav", np.array([[2**30, -(2**31)], [0, 0]]), width=4)
    ds = audio_dataset_from_directory(tmp_path, shuffle=False, label_mode=None)
    x = ds[0]
    assert x.shape == (2, 2, 2)
    np.testing.assert_allclose(x[0], [[0.0, -1.0], [127 / 128, 0.5]])
    np.testing.assert_allclose(x[1], [[0.5, -1.0], [0.0, 0.0]])


def test_output_sequence_length_ragged_and_sampling_rate(tmp_path):
    _write_wav(tmp_path / "a" / "0.wav", np.arange(6)[:, None] * 1000)
    _write_wav(tmp_path / "a" / "1.wav", np.arange(3)[:, None] * 1000)
    ds = audio_dataset_from_directory(tmp_path, shuffle=False, output_sequence_length=4)
    x, _ = ds[0]
    assert x.shape == (2, 4, 1)
    np.testing.assert_allclose(x[1, :, 0] * 32768, [0, 1000, 2000, 0])
    ragged, _ = audio_dataset_from_directory(tmp_path, shuffle=False, ragged=True)[0]
    assert [len(r) for r in ragged] == [6, 3]
    x, _ = audio_dataset_from_directory(tmp_path, shuffle=False, sampling_rate=4000)[0]
    assert x.shape == (2, 3, 1)
    np.testing.assert_allclose(x[0, :, 0] * 32768, [0, 2000, 4000], atol=1e-2)
    with pytest.raises(ValueError, match="Cannot set both `ragged` and `output_sequence_length`"):
        audio_dataset_from_directory(tmp_path, ragged=True, output_sequence_length=3)
    with pytest.raises(ValueError, match="`sampling_rate` should have an integer value"):
        audio_dataset_from_directory(tmp_path, sampling_rate=8000.0)
    with pytest.raises(ValueError, match="`sampling_rate` should be higher than 0"):
        audio_dataset_from_directory(tmp_path, sampling_rate=0)


def test_split_and_bad_files(tmp_path):
    for i in range(4):
        _write_wav(tmp_path / "a" / f"{i}.wav", np.zeros((2, 1)))
        _write_wav(tmp_path / "b" / f"{i}.wav", np.ones((2, 1)))
    train, val = audio_dataset_from_directory(
        tmp_path, validation_split=0.25, subset="both", seed=2
    )
    assert len(train.file_paths) == 6 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    (tmp_path / "a" / "bad.wav").write_bytes(b"RIFF junk")
    ds = audio_dataset_from_directory(tmp_path, shuffle=False, batch_size=1)
    with pytest.raises(ValueError, match="could not decode the WAV file .*bad.wav"):
        ds[4]
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="No audio files found in directory"):
        audio_dataset_from_directory(tmp_path / "empty")


def test_fit_from_wav_folder(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(4):
        _write_wav(tmp_path / "a" / f"{i}.wav", rng.integers(-1000, 1000, (16, 1)))
        _write_wav(tmp_path / "b" / f"{i}.wav", rng.integers(-1000, 1000, (16, 1)))
    ds = audio_dataset_from_directory(tmp_path, batch_size=4, seed=0)
    model = cornu.Sequential(
        [cornu.Input((16, 1)), cornu.layers.Flatten(), cornu.layers.Dense(2, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    assert len(model.fit(ds, epochs=1, verbose=0).history["loss"]) == 1
