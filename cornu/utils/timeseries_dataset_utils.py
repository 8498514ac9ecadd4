"""``timeseries_dataset_from_array``: sliding windows over an array, as a ``PyDataset``."""

import math

import numpy as np

from cornu.utils.dataset_utils import MappedDataset, check_format
from cornu.utils.py_dataset import PyDataset


class TimeseriesDataset(PyDataset):
    """Batches of windows gathered from an in-memory array (see
    ``timeseries_dataset_from_array``)."""

    def __init__(self, data, targets, start_positions, offsets, batch_size, shuffle, seed):
        super().__init__()
        self.data = data
        self.targets = targets
        self.start_positions = start_positions
        self.offsets = offsets
        self.batch_size = batch_size
        self._shuffle = shuffle
        self._rng = np.random.RandomState(seed) if shuffle else None

    def __len__(self):
        if self.batch_size is None:
            return len(self.start_positions)
        return math.ceil(len(self.start_positions) / self.batch_size)

    def __getitem__(self, index):
        if not -len(self) <= index < len(self):
            raise IndexError(f"Batch index {index} is out of range for {len(self)} batches.")
        index %= len(self)
        size = 1 if self.batch_size is None else self.batch_size
        starts = self.start_positions[index * size : (index + 1) * size]
        windows = self.data[starts[:, None] + self.offsets]
        batch = windows if self.targets is None else (windows, self.targets[starts])
        if self.batch_size is None:
            return batch[0] if self.targets is None else (windows[0], self.targets[starts][0])
        return batch

    def on_epoch_end(self):
        if self._shuffle:
            self._rng.shuffle(self.start_positions)

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def map(self, function):
        """A dataset of ``function`` applied to each batch (as ``tf.data.Dataset.map``)."""
        return MappedDataset(self, function)


def _check_index_args(data, start_index, end_index, sampling_rate, sequence_stride):
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(
                f"`start_index` must be 0 or greater. Received: start_index={start_index}"
            )
        if start_index >= n:
            raise ValueError(
                "`start_index` must be lower than the length of the data. Received: "
                f"start_index={start_index}, for data of length {n}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= n:
            raise ValueError(
                "`end_index` must be lower than the length of the data. Received: "
                f"end_index={end_index}, for data of length {n}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= n:
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: "
                f"{name}={value}, for data of length {n}"
            )


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
    format="tf",
):
    """Creates a dataset of sliding windows over a timeseries given as an array.

    Window ``i`` holds the timesteps ``data[s + j * sampling_rate]`` for ``j`` in
    ``range(sequence_length)``, with ``s = start_index + i * sequence_stride``; its target is
    ``targets[s]``.

    Args:
        data: an array (or list) of timesteps; axis 0 is time.
        targets: the targets, aligned with ``data`` (``targets[i]`` goes with the window
            starting at ``data[i]``), or None.
        sequence_length: the number of timesteps of a window.
        sequence_stride: the step between the starts of two windows.
        sampling_rate: the step between two timesteps of a window.
        batch_size: windows per batch; None yields single windows.
        shuffle: shuffle the windows (again at each epoch).
        seed: the seed of the shuffle.
        start_index: the first timestep used (inclusive).
        end_index: the last timestep used (exclusive).
        format: ``"tf"`` or ``"grain"`` (Keras's pipelines); both give a ``PyDataset``.

    Returns:
        A ``cornu.utils.PyDataset`` of batches ``(batch, sequence_length, ...)`` (and
        targets ``(batch, ...)``).
    """
    data = np.asarray(data)
    check_format(format)
    _check_index_args(data, start_index, end_index, sampling_rate, sequence_stride)
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        num_seqs = min(num_seqs, len(targets))
    start_positions = np.arange(0, max(num_seqs, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(start_positions)
    offsets = np.arange(sequence_length, dtype="int64") * sampling_rate
    return TimeseriesDataset(
        data[start_index:end_index],
        None if targets is None else targets[start_index:end_index],
        start_positions,
        offsets,
        batch_size,
        shuffle,
        seed,
    )
