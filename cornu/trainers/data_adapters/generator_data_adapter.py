"""Batches from Python generators and iterables such as torch ``DataLoader``s."""

from cornu.trainers.data_adapters import data_adapter_utils


class GeneratorDataAdapter:
    """Reads batches from a Python generator or iterator (one pass; its length unknown).

    Each item is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; NumPy arrays become
    tensors on the current device as they arrive.
    """

    reusable = False
    label_ranges = None

    def __init__(self, generator):
        self._generator = iter(generator)

    @property
    def num_batches(self):
        return None

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass

    def batches(self):
        for batch in self._generator:
            yield data_adapter_utils.to_device_batch(_standardize(batch))


class IterableDataAdapter:
    """Reads batches from a re-iterable source with a length, such as a torch ``DataLoader``:
    every epoch is a new pass (so a DataLoader reshuffles and a DistributedSampler's
    ``set_epoch`` applies)."""

    reusable = True
    label_ranges = None

    def __init__(self, iterable):
        self._iterable = iterable
        self._epoch = 0

    @property
    def num_batches(self):
        try:
            return len(self._iterable)
        except TypeError:
            return None

    def on_epoch_begin(self):
        sampler = getattr(self._iterable, "sampler", None)
        if hasattr(sampler, "set_epoch"):
            sampler.set_epoch(self._epoch)

    def on_epoch_end(self):
        self._epoch += 1

    def batches(self):
        for batch in self._iterable:
            yield data_adapter_utils.to_device_batch(_standardize(batch))


def _standardize(batch):
    if isinstance(batch, list):
        batch = tuple(batch)
    if isinstance(batch, tuple) and len(batch) not in (1, 2, 3):
        raise ValueError(
            "Each batch must be `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`; received "
            f"a tuple of {len(batch)} elements."
        )
    return batch
