"""``audio_dataset_from_directory``: a folder of WAV files (one subfolder per class) as a
``PyDataset`` of batches of float32 waveforms, decoded with the standard library's ``wave``."""

import wave

import numpy as np

from cornu.utils import dataset_utils

ALLOWED_FORMATS = (".wav",)
_SCALE = {1: 128.0, 2: 32768.0, 3: 8388608.0, 4: 2147483648.0}


def read_wav(path):
    """The samples of a PCM WAV file as float32 ``(samples, channels)`` in ``[-1, 1)``, and
    its sampling rate."""
    try:
        with wave.open(str(path), "rb") as f:
            width, channels = f.getsampwidth(), f.getnchannels()
            rate, raw = f.getframerate(), f.readframes(f.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(
            f"audio_dataset_from_directory could not decode the WAV file {str(path)!r} "
            f"({error}); only integer PCM WAV files (8, 16, 24 or 32 bits) can be read."
        ) from error
    if width == 1:
        samples = np.frombuffer(raw, dtype="uint8").astype("float32") - 128.0
    elif width == 3:
        bytes3 = np.frombuffer(raw, dtype="uint8").reshape(-1, 3)
        padded = np.zeros((len(bytes3), 4), dtype="uint8")
        padded[:, 1:] = bytes3  # little-endian: the 24 bits become the high bytes of an int32
        samples = padded.view("<i4")[:, 0].astype("float32") / 256.0
    else:
        samples = np.frombuffer(raw, dtype=f"<i{width}").astype("float32")
    return (samples / _SCALE[width]).reshape(-1, channels), rate


def resample(audio, rate_in, rate_out):
    """Linear-interpolation resampling of ``(samples, channels)`` audio."""
    if rate_in == rate_out or len(audio) == 0:
        return audio
    count = int(round(len(audio) * rate_out / rate_in))
    where = np.arange(count) * (rate_in / rate_out)
    source = np.arange(len(audio))
    return np.stack(
        [np.interp(where, source, audio[:, c]) for c in range(audio.shape[1])], axis=1
    ).astype("float32")


class AudioFolderDataset(dataset_utils.FileDataset):
    """Batches of waveforms read from WAV files (see ``audio_dataset_from_directory``)."""

    def __init__(self, *args, sampling_rate, output_sequence_length, ragged, **kwargs):
        super().__init__(*args, **kwargs)
        self.sampling_rate = sampling_rate
        self.output_sequence_length = output_sequence_length
        self.ragged = ragged

    def load(self, path):
        audio, rate = read_wav(path)
        length = self.output_sequence_length
        if length is not None:
            if len(audio) >= length:
                audio = audio[:length]
            else:
                audio = np.pad(audio, ((0, length - len(audio)), (0, 0)))
        if self.sampling_rate is not None:
            audio = resample(audio, rate, self.sampling_rate)
        return audio

    def collate(self, samples):
        if self.ragged:
            return list(samples)
        longest = max(len(s) for s in samples)
        return np.stack([np.pad(s, ((0, longest - len(s)), (0, 0))) for s in samples])


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    sampling_rate=None,
    output_sequence_length=None,
    ragged=False,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
):
    """Generates a dataset of waveforms (and labels) from the ``.wav`` files in a directory.

    With ``labels="inferred"``, each subfolder of ``directory`` is a class (in sorted order,
    or the order of ``class_names``). Files are decoded (integer PCM, with the standard
    library's ``wave``) when a batch is read, into float32 samples in ``[-1, 1)``.

    Args:
        directory: the folder of the WAV files.
        labels: ``"inferred"``, None (no labels), or a list of integer labels, one per
            file in the sorted order of their paths.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None, as in
            ``image_dataset_from_directory``.
        class_names: with ``labels="inferred"``, the subfolders to use, in this order.
        batch_size: the batch size; None yields single waveforms.
        sampling_rate: resample the audio to this rate (linear interpolation).
        output_sequence_length: cut or zero-pad every waveform to this many samples;
            otherwise a batch is zero-padded to its longest waveform.
        ragged: return each batch as a list of waveforms of their own lengths.
        shuffle: shuffle the files (again at each epoch); otherwise in sorted order.
        seed: the seed of the shuffle (and of the split).
        validation_split: fraction of the files kept for validation (the last ones).
        subset: ``"training"``, ``"validation"`` or ``"both"``; only with
            ``validation_split``.
        follow_links: also walk into subfolders that are symbolic links.
        verbose: print how many files and classes were found.

    Returns:
        A ``cornu.utils.PyDataset`` of float32 batches ``(batch, samples, channels)`` (and
        labels), with ``class_names`` and ``file_paths``; for ``subset="both"``, a tuple
        ``(train_dataset, validation_dataset)``.
    """
    labels, label_mode = dataset_utils.check_common_args(labels, label_mode, class_names, "audio")
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError(
                "`sampling_rate` should have an integer value. "
                f"Received: sampling_rate={sampling_rate}"
            )
        if sampling_rate <= 0:
            raise ValueError(
                f"`sampling_rate` should be higher than 0. Received: sampling_rate={sampling_rate}"
            )
    seed = dataset_utils.split_seed(validation_split, subset, shuffle, seed)
    result = dataset_utils.dataset_from_directory(
        AudioFolderDataset,
        dict(
            sampling_rate=sampling_rate,
            output_sequence_length=output_sequence_length,
            ragged=ragged,
        ),
        directory,
        "audio files",
        ALLOWED_FORMATS,
        labels=labels,
        label_mode=label_mode,
        class_names=class_names,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        validation_split=validation_split,
        subset=subset,
        follow_links=follow_links,
        verbose=verbose,
    )
    return tuple(result) if isinstance(result, list) else result
