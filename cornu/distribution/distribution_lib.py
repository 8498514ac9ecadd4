"""Data parallelism across processes: the distribution object, the global setting, and how
each process picks its share of the data."""

import math

import numpy as np

from cornu import backend

_DISTRIBUTION = None
_CHIEF_SECTIONS = []


class DataParallel:
    """Data parallelism: every process holds the whole model and trains on its share of each
    batch; gradients are averaged across processes (torch's DistributedDataParallel).

    With a DataParallel distribution set, ``fit``, ``evaluate`` and ``predict`` run unchanged
    under ``torchrun``: ``batch_size`` is the global batch (each of N processes takes
    ``batch_size / N`` samples of it), logs hold the metrics of all processes, only process 0
    prints and writes files, and ``predict`` returns every output, in order, on every process.

    Args:
        device_mesh: accepted for Keras compatibility; the processes of the process group form
            the mesh.
        devices: accepted for Keras compatibility.
        auto_shard_dataset: give each process its own share of the data (True), or let every
            process read the data it is given as its own share (False).
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        self.device_mesh = device_mesh
        self.devices = devices
        self.auto_shard_dataset = auto_shard_dataset

    @property
    def num_processes(self):
        return backend.distribution.num_processes()

    @property
    def process_id(self):
        return backend.distribution.process_index()

    @property
    def is_active(self):
        """True when the data is split: over several processes, or (on JAX, in one process)
        over the several local devices the backend's group spans."""
        if not backend.distribution.is_initialized():
            return False
        return self.num_processes > 1 or len(backend.distribution.list_devices()) > 1

    def scope(self):
        """A context manager that makes this the distribution inside it."""
        return _Scope(self)


class _Scope:
    def __init__(self, distribution):
        self._distribution = distribution
        self._previous = None

    def __enter__(self):
        self._previous = distribution()
        set_distribution(self._distribution)
        return self._distribution

    def __exit__(self, *exc):
        set_distribution(self._previous)


def set_distribution(value):
    """Makes ``value`` (a ``DataParallel``, or None) the distribution of every model."""
    global _DISTRIBUTION
    if value is not None and not isinstance(value, DataParallel):
        raise ValueError(
            f"`set_distribution` expects a DataParallel instance or None. Received: {value!r}"
        )
    _DISTRIBUTION = value


def distribution():
    """The distribution set with ``set_distribution`` (None when there is none)."""
    return _DISTRIBUTION


def active_data_parallel():
    """The DataParallel distribution when one is set and several processes take part."""
    current = _DISTRIBUTION
    if current is not None and current.is_active:
        return current
    return None


def is_chief():
    """True on the process that prints and writes files (process 0, or the only one)."""
    current = active_data_parallel()
    return current is None or current.process_id == 0


def on_chief_then_wait(write):
    """Runs ``write()`` on process 0 only, then makes every process wait for it to finish, so
    that no process reads a half-written file. Without data parallelism, just runs it."""
    current = active_data_parallel()
    if current is None or _CHIEF_SECTIONS:
        # Without data parallelism, or inside an outer section (which waits once for all).
        return write()
    _CHIEF_SECTIONS.append(True)
    try:
        result = write() if current.process_id == 0 else None
    finally:
        _CHIEF_SECTIONS.pop()
    backend.distribution.barrier()
    return result


def split_batch(size, process, count):
    """The ``[start, stop)`` of this process's share of a batch of ``size`` samples: contiguous
    parts whose sizes differ by at most one."""
    base, extra = divmod(size, count)
    start = process * base + min(process, extra)
    return start, start + base + (1 if process < extra else 0)


def contiguous_shard(num_samples, process, count):
    """The ``[start, stop)`` of this process's contiguous share of ``num_samples`` samples."""
    return split_batch(num_samples, process, count)


def shared_permutation(num_samples):
    """A random order of the samples, the same on every process (drawn by process 0)."""
    order = np.random.permutation(num_samples)
    current = active_data_parallel()
    if current is not None:
        order = backend.distribution.broadcast_array(order)
    return order


def local_batch_size(global_batch_size, count):
    """Samples per process for a global batch; the global batch must split evenly."""
    if global_batch_size % count:
        raise ValueError(
            f"batch_size={global_batch_size} is the global batch and must be divisible by the "
            f"{count} processes (each takes batch_size / {count})."
        )
    return global_batch_size // count


def steps_for(num_samples, batch_size):
    return math.ceil(num_samples / batch_size)
