"""Batches from a ``PyDataset``, read ahead in order by threads or processes."""

import concurrent.futures
import multiprocessing
import random
from collections import deque

from cornu.trainers.data_adapters import data_adapter_utils

_WORKER_DATASET = None


def _set_worker_dataset(dataset):
    global _WORKER_DATASET
    _WORKER_DATASET = dataset


def _read_in_worker(index):
    return _WORKER_DATASET[index]


class PyDatasetAdapter:
    """Hands out a PyDataset's batches, one epoch at a time.

    With ``workers > 1`` (or ``use_multiprocessing``), up to ``max_queue_size`` batches are read
    ahead by a pool of threads (or forked processes), and handed out in index order.

    Args:
        dataset: the ``PyDataset``.
        class_weight: ``{class_index: weight}``, turned into each batch's sample weights.
        shuffle: visit the batches in a new random order each epoch.
        shard: ``(process, count)`` under data parallelism: this process reads every
            ``count``-th batch from its index on (all processes take the same number).
    """

    def __init__(self, dataset, class_weight=None, shuffle=False, shard=None):
        self.dataset = dataset
        self.shard = shard
        self.class_weight = class_weight
        self.shuffle = shuffle
        self.label_ranges = None
        self._pool = None

    @property
    def num_batches(self):
        count = self.dataset.num_batches
        if count is None or self.shard is None:
            return count
        return count // self.shard[1]

    @property
    def reusable(self):
        return self.num_batches is not None

    def on_epoch_begin(self):
        self.dataset.on_epoch_begin()

    def on_epoch_end(self):
        self.dataset.on_epoch_end()

    def first_batch(self):
        """The dataset's first batch (this process's first, under data parallelism), read
        directly: no workers start and no random draw is made."""
        if not self.num_batches:
            return None
        return self._standardize(self.dataset[self.shard[0] if self.shard else 0])

    def _indices(self):
        count = self.num_batches
        if count is None:
            index, step = (self.shard[0], self.shard[1]) if self.shard else (0, 1)
            while True:
                yield index
                index += step
        order = list(range(self.dataset.num_batches))
        if self.shuffle:
            random.shuffle(order)
        if self.shard is not None:
            from cornu.distribution import distribution_lib

            if self.shuffle:
                order = distribution_lib.shared_permutation(len(order)).tolist()
            process, processes = self.shard
            order = order[process::processes][:count]
        yield from order

    def _standardize(self, batch):
        if isinstance(batch, list):
            batch = tuple(batch)
        if isinstance(batch, dict):
            return data_adapter_utils.to_device_batch(batch)
        if not isinstance(batch, tuple):
            batch = (batch,)
        if len(batch) not in (1, 2, 3):
            raise ValueError(
                "PyDataset.__getitem__() must return a tuple or a dict. If a tuple, it must be "
                "ordered either (input,) or (inputs, targets) or (inputs, targets, "
                f"sample_weights). Received: {str(batch)[:100]}... of type {type(batch)}"
            )
        if self.class_weight is not None:
            if len(batch) == 3:
                raise ValueError(
                    "You cannot specify `class_weight` and `sample_weight` at the same time."
                )
            if len(batch) == 2:
                weights = data_adapter_utils.class_weights_to_sample_weights(
                    batch[1], self.class_weight
                )
                batch = batch + (weights,)
        return data_adapter_utils.to_device_batch(batch)

    def _executor(self):
        workers = self.dataset.workers
        if self.dataset.use_multiprocessing:
            return concurrent.futures.ProcessPoolExecutor(
                max_workers=max(1, workers),
                mp_context=multiprocessing.get_context("fork"),
                initializer=_set_worker_dataset,
                initargs=(self.dataset,),
            )
        if workers > 1:
            return concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        return None

    def batches(self):
        executor = self._executor()
        if executor is None:
            for index in self._indices():
                yield self._standardize(self.dataset[index])
            return
        read = _read_in_worker if self.dataset.use_multiprocessing else self.dataset.__getitem__
        ahead = max(1, self.dataset.max_queue_size)
        pending = deque()
        indices = self._indices()
        try:
            for index in indices:
                pending.append(executor.submit(read, index))
                if len(pending) >= ahead:
                    yield self._standardize(pending.popleft().result())
            while pending:
                yield self._standardize(pending.popleft().result())
        finally:
            for future in pending:
                future.cancel()
            executor.shutdown(wait=True, cancel_futures=True)
