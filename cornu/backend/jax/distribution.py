"""Distribution on JAX: data parallelism inside one process, as a sharding of each batch over
a ``jax.sharding.Mesh`` of this process's devices with the variables replicated (XLA then
sums the gradients across the devices). There is no process group: the helpers the torch
DDP path needs (collectives, loaders, launching) behave as in a one-process run.

The trainer's hook is ``wrap_data_parallel(model)``: it returns a ``MeshDataParallel``, which
the JAX step calls in place of the model (``wrapped(x, training=True)`` constrains ``x`` to
the batch sharding, then calls the model) and whose ``place(state, data)`` puts a step's
state (replicated) and batch (split along axis 0) on the mesh before a compiled call.
"""

import socket

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from cornu.core import tree

BATCH_AXIS = "batch"


def _local_devices():
    return jax.local_devices()


def is_initialized():
    """True when this process sees more than one device: the local devices are the group the
    batch is split over (JAX needs no process group for that)."""
    return len(_local_devices()) > 1


def initialize(timeout_seconds=300):
    """Nothing to join: data parallelism on JAX runs in one process, over its local devices."""


def process_index():
    """``jax.process_index()``: 0 in a one-process run."""
    return jax.process_index()


def num_processes():
    """``jax.process_count()``: 1 in a one-process run (the devices are not processes)."""
    return jax.process_count()


def shutdown():
    """Nothing to leave."""


def list_devices(device_type=None):
    """The local devices of ``device_type`` (``"cpu"``, ``"gpu"``, ``"tpu"``; the default
    platform's when None), as ``"cpu:0"``, ``"cpu:1"``, ... strings."""
    device_type = (device_type or jax.default_backend()).lower().replace("cuda", "gpu")
    if device_type not in ("cpu", "gpu", "tpu"):
        raise ValueError(f"Unknown device type {device_type!r}: expected 'cpu', 'gpu' or 'tpu'.")
    try:
        devices = jax.local_devices(backend=device_type)
    except RuntimeError:  # no such platform on this machine
        return []
    return [f"{device_type}:{d.id}" for d in devices]


def barrier():
    """Nothing to wait for in one process."""


def all_reduce_sum(tensors):
    """The tensors themselves: the sum over one process (devices are summed by XLA)."""
    return list(tensors)


def broadcast_array(array):
    """The array itself: one process."""
    return array


def all_gather_rows(tensor):
    """The tensor itself: one process."""
    return tensor


def data_parallel_mesh(devices=None):
    """A one-axis (``"batch"``) mesh over ``devices`` (jax devices, or None: all local)."""
    devices = list(devices) if devices is not None else _local_devices()
    return Mesh(np.array(devices), (BATCH_AXIS,))


def _splits(x, count):
    return getattr(x, "ndim", 0) >= 1 and x.shape[0] % count == 0


def _batch_spec(x, count):
    return PartitionSpec(BATCH_AXIS) if _splits(x, count) else PartitionSpec()


def shard_batch(data, mesh):
    """Each array of ``data`` (a nested structure) placed on ``mesh``, split along axis 0
    (replicated when its first size does not divide by the devices); other leaves pass."""
    count = mesh.devices.size

    def place(x):
        if not hasattr(x, "shape") or isinstance(x, jax.core.Tracer):
            return x
        return jax.device_put(x, NamedSharding(mesh, _batch_spec(x, count)))

    return tree.map_structure(place, data)


def replicate(values, mesh):
    """Each array of ``values`` (a nested structure) copied onto every device of ``mesh``."""
    sharding = NamedSharding(mesh, PartitionSpec())

    def place(x):
        if not hasattr(x, "shape") or isinstance(x, jax.core.Tracer):
            return x
        return jax.device_put(x, sharding)

    return tree.map_structure(place, values)


def constrain_batch(data, mesh):
    """Inside a traced step: each array of ``data`` constrained to the batch sharding (axis 0
    split over ``mesh`` where it divides), so XLA partitions the computation by samples."""
    count = mesh.devices.size

    def constrain(x):
        if not hasattr(x, "shape"):
            return x
        spec = _batch_spec(x, count)
        return jax.lax.with_sharding_constraint(x, NamedSharding(mesh, spec))

    return tree.map_structure(constrain, data)


class MeshDataParallel:
    """A model under data parallelism on a mesh of local devices: calling it constrains the
    inputs to the batch sharding and calls the model; ``place`` puts a step's state
    (replicated) and batch (split) on the mesh. ``module`` is the model."""

    def __init__(self, module, mesh):
        self.module = module
        self.mesh = mesh

    def __call__(self, inputs, *args, **kwargs):
        return self.module(constrain_batch(inputs, self.mesh), *args, **kwargs)

    def place(self, state, data):
        """``(state, data)`` on the mesh: the state replicated, the batch split on axis 0."""
        return replicate(state, self.mesh), shard_batch(data, self.mesh)


def wrap_data_parallel(module):
    """``module`` wrapped for data parallelism over all local devices (see
    ``MeshDataParallel``); the variables start replicated, as Keras's JAX DataParallel."""
    return MeshDataParallel(module, data_parallel_mesh())


def is_data_loader(x):
    """False: JAX has no data-loader class of its own."""
    return False


def shard_data_loader(loader, process, count):
    """The loader itself in a one-process run; several processes are not supported on JAX."""
    if count != 1:
        raise NotImplementedError(
            "Sharding a data loader over processes is not available on the JAX backend, which "
            f"splits each batch over its local devices. Received count={count}."
        )
    return loader


def free_port():
    """A TCP port free on this machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(fn, num_processes, args=(), timeout_seconds=300):
    """Raises: on JAX, data parallelism runs in one process over its devices; set
    ``XLA_FLAGS=--xla_force_host_platform_device_count=N`` for N CPU devices."""
    raise NotImplementedError(
        "Launching training processes is not available on the JAX backend: data parallelism "
        "runs in one process over its local devices (`set_distribution(DataParallel())`; for "
        "N CPU devices set XLA_FLAGS=--xla_force_host_platform_device_count=N before jax "
        "starts). Use the torch backend for multi-process training."
    )
