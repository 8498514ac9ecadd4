"""Distribution on the NumPy backend: one process on the host CPU; collectives are identities
and multi-process training raises (the NumPy backend does not train)."""

import socket


def _refuse(what):
    return NotImplementedError(
        f"{what} is not available on the NumPy backend, which runs in one process and cannot "
        "train. Use the torch or jax backend for distributed training."
    )


def is_initialized():
    """False: the NumPy backend has no process group."""
    return False


def initialize(timeout_seconds=300):
    """Raises: there is no process group on the NumPy backend."""
    raise _refuse("Joining a process group")


def process_index():
    """0: the one process."""
    return 0


def num_processes():
    """1: the one process."""
    return 1


def shutdown():
    """Nothing to leave."""


def list_devices(device_type=None):
    """``["cpu:0"]``: NumPy computes on the host CPU."""
    device_type = (device_type or "cpu").lower()
    if device_type == "cpu":
        return ["cpu:0"]
    if device_type in ("gpu", "cuda", "tpu"):
        return []
    raise ValueError(f"Unknown device type {device_type!r}: expected 'cpu' or 'gpu'.")


def barrier():
    """Nothing to wait for in one process."""


def all_reduce_sum(tensors):
    """The tensors themselves: the sum over one process."""
    return list(tensors)


def broadcast_array(array):
    """The array itself: one process."""
    return array


def all_gather_rows(tensor):
    """The tensor itself: one process."""
    return tensor


def wrap_data_parallel(module):
    """Raises: data-parallel training needs a training backend."""
    raise _refuse("Data-parallel training")


def is_data_loader(x):
    """False: the NumPy backend has no data-loader class of its own."""
    return False


def shard_data_loader(loader, process, count):
    """Raises: sharding a loader is for multi-process training."""
    raise _refuse("Sharding a data loader")


def free_port():
    """A TCP port free on this machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(fn, num_processes, args=(), timeout_seconds=300):
    """Raises: launching processes is for multi-process training."""
    raise _refuse("Launching training processes")
