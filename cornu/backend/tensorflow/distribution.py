"""Distribution on TensorFlow: one process. The helpers the torch DDP path needs (collectives,
loaders, launching) behave as in a one-process run; data parallelism over several local
devices is refused with the backends that have it (torch: processes under ``torchrun``; JAX:
a mesh of the local devices)."""

import socket

import tensorflow as tf

_DATA_PARALLEL_BACKENDS = (
    "Data parallelism over several devices is not available on the TensorFlow backend. Use "
    "the torch backend (CORNU_BACKEND=torch, processes under torchrun) or the JAX backend "
    "(CORNU_BACKEND=jax, one process over its local devices)."
)


def _accelerators():
    return [d for d in tf.config.list_logical_devices() if d.device_type in ("GPU", "TPU")]


def is_initialized():
    """True when this process sees several accelerators: a DataParallel distribution is then
    active, and training refuses it (see ``wrap_data_parallel``) rather than silently using
    one device."""
    return len(_accelerators()) > 1


def initialize(timeout_seconds=300):
    """Nothing to join: TensorFlow runs in one process."""


def process_index():
    """0: one process."""
    return 0


def num_processes():
    """1: one process."""
    return 1


def shutdown():
    """Nothing to leave."""


def list_devices(device_type=None):
    """The local devices of ``device_type`` (``"cpu"``, ``"gpu"``, ``"tpu"``; the
    accelerators when there are any, else the CPUs, when None), as ``"gpu:0"`` strings."""
    if device_type is None:
        device_type = _accelerators()[0].device_type if _accelerators() else "cpu"
    device_type = device_type.lower().replace("cuda", "gpu")
    if device_type not in ("cpu", "gpu", "tpu"):
        raise ValueError(f"Unknown device type {device_type!r}: expected 'cpu', 'gpu' or 'tpu'.")
    devices = tf.config.list_logical_devices(device_type.upper())
    return [f"{device_type}:{i}" for i in range(len(devices))]


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
    """Raises: several devices of one process are not split over on TensorFlow."""
    raise NotImplementedError(
        f"{_DATA_PARALLEL_BACKENDS} This process sees {len(_accelerators())} accelerators; "
        "unset the distribution (`cornu.distribution.set_distribution(None)`) to train on one."
    )


def is_data_loader(x):
    """False: TensorFlow's datasets are read by the generic ``tf.data`` adapter."""
    return False


def shard_data_loader(loader, process, count):
    """The loader itself in a one-process run."""
    if count != 1:
        raise NotImplementedError(
            "Sharding a data loader over processes is not available on the TensorFlow "
            f"backend, which runs in one process. Received count={count}."
        )
    return loader


def free_port():
    """A TCP port free on this machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(fn, num_processes, args=(), timeout_seconds=300):
    """Raises: the TensorFlow backend trains in one process."""
    raise NotImplementedError(
        "Launching training processes is not available on the TensorFlow backend, which "
        "trains in one process. Use the torch backend (CORNU_BACKEND=torch) for multi-process "
        "training."
    )
