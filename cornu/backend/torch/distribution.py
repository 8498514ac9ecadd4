"""torch.distributed under cornu's data parallelism: process groups, collectives, DDP, loaders
and process launching."""

import atexit
import datetime
import os
import socket

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from cornu.backend.torch.core import get_device


def is_initialized():
    """Whether a process group exists."""
    return dist.is_available() and dist.is_initialized()


def initialize(timeout_seconds=300):
    """Joins the process group that torchrun (or ``launch``) describes in the environment:
    ``MASTER_ADDR``, ``MASTER_PORT``, ``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK``. Uses NCCL when
    CUDA is available, else gloo; on CUDA each process takes the GPU of its local rank."""
    if is_initialized():
        return
    missing = [
        k for k in ("MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE") if k not in os.environ
    ]
    if missing:
        raise ValueError(
            f"Cannot initialize distributed training: the environment lacks {missing}. Start the "
            "program with `torchrun --nproc_per_node=N program.py`, or use "
            "`cornu.distribution.launch(fn, num_processes)`."
        )
    use_cuda = torch.cuda.is_available()
    if use_cuda:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    backend = "nccl" if use_cuda else "gloo"
    timeout = datetime.timedelta(seconds=timeout_seconds)
    restart = int(os.environ.get("TORCHELASTIC_RESTART_COUNT", "0"))
    if os.environ.get("TORCHELASTIC_USE_AGENT_STORE") == "True":
        # Under torchrun the agent hosts the store, which outlives a restart: each attempt
        # keys its group under its own prefix so that no stale address of a dead worker is read.
        store = dist.TCPStore(
            os.environ["MASTER_ADDR"],
            int(os.environ["MASTER_PORT"]),
            int(os.environ["WORLD_SIZE"]),
            is_master=False,
            timeout=timeout,
        )
        dist.init_process_group(
            backend,
            store=dist.PrefixStore(f"cornu/attempt_{restart}", store),
            rank=int(os.environ["RANK"]),
            world_size=int(os.environ["WORLD_SIZE"]),
            timeout=timeout,
        )
    else:
        dist.init_process_group(backend, timeout=timeout)
    # Leaving the group before the interpreter exits: a group still alive at exit can abort
    # the process ("terminate called without an active exception") as its threads are torn down.
    atexit.register(_leave_at_exit)


def _leave_at_exit():
    # All processes leave together: one tearing its group down while a peer still talks to it
    # can abort that peer.
    if not is_initialized():
        return
    try:
        dist.barrier()
    except RuntimeError:
        pass
    shutdown()


def process_index():
    """This process's rank (0 without a process group)."""
    return dist.get_rank() if is_initialized() else 0


def num_processes():
    """The number of processes (1 without a process group)."""
    return dist.get_world_size() if is_initialized() else 1


def shutdown():
    """Leaves the process group."""
    if is_initialized():
        dist.destroy_process_group()


def list_devices(device_type=None):
    """The devices of this machine, as ``"cpu:0"`` / ``"cuda:0"``, ... strings."""
    device_type = (device_type or ("cuda" if torch.cuda.is_available() else "cpu")).lower()
    device_type = device_type.replace("gpu", "cuda")
    if device_type == "cuda":
        return [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if device_type == "cpu":
        return ["cpu:0"]
    raise ValueError(f"Unknown device type {device_type!r}: expected 'cpu' or 'gpu'.")


def barrier():
    """Waits until every process reaches this point."""
    if is_initialized():
        dist.barrier()


def _collective_device():
    return torch.device(get_device()) if dist.get_backend() == "nccl" else torch.device("cpu")


def all_reduce_sum(tensors):
    """Sums each tensor over the processes, in one collective; returns the sums (tensors on
    the tensors' own device)."""
    if not tensors:
        return []
    device = _collective_device()
    flat = torch.cat([t.detach().reshape(-1).to(device, torch.float64) for t in tensors])
    dist.all_reduce(flat)
    out, offset = [], 0
    for t in tensors:
        n = t.numel()
        out.append(flat[offset : offset + n].reshape(t.shape).to(t.device, t.dtype))
        offset += n
    return out


def broadcast_array(array):
    """Rank 0's NumPy int64 array, on every process (others pass an array of the same shape)."""
    tensor = torch.as_tensor(
        np.ascontiguousarray(array, dtype=np.int64), device=_collective_device()
    )
    dist.broadcast(tensor, src=0)
    return tensor.cpu().numpy()


def all_gather_rows(tensor):
    """Concatenates along axis 0 the tensors of every process, in rank order (their first
    sizes may differ)."""
    device = _collective_device()
    local = tensor.detach().to(device)
    size = torch.tensor([local.shape[0]], device=device, dtype=torch.int64)
    sizes = [torch.zeros_like(size) for _ in range(num_processes())]
    dist.all_gather(sizes, size)
    sizes = [int(s.item()) for s in sizes]
    longest = max(sizes)
    padded = torch.zeros((longest,) + tuple(local.shape[1:]), dtype=local.dtype, device=device)
    padded[: local.shape[0]] = local
    gathered = [torch.zeros_like(padded) for _ in sizes]
    dist.all_gather(gathered, padded)
    return torch.cat([g[:n] for g, n in zip(gathered, sizes)]).to(tensor.device)


def wrap_data_parallel(module):
    """``module`` in torch's DistributedDataParallel (gradients are averaged over the
    processes in buckets during ``backward``); its weights start as rank 0's."""
    device_ids = [torch.cuda.current_device()] if dist.get_backend() == "nccl" else None
    return DistributedDataParallel(module, device_ids=device_ids, broadcast_buffers=False)


def is_data_loader(x):
    return isinstance(x, torch.utils.data.DataLoader)


def shard_data_loader(loader, process, count):
    """A copy of ``loader`` whose DistributedSampler gives this process its share of every
    epoch (the global batch split over the processes; ``set_epoch`` reshuffles)."""
    from torch.utils.data import DataLoader, DistributedSampler, RandomSampler

    if isinstance(loader.sampler, DistributedSampler):
        return loader
    batch_size = loader.batch_size
    if batch_size is None or batch_size % count:
        raise ValueError(
            f"A DataLoader's batch size is the global batch in distributed training and must be "
            f"divisible by the {count} processes. Received batch_size={batch_size}."
        )
    sampler = DistributedSampler(
        loader.dataset,
        num_replicas=count,
        rank=process,
        shuffle=isinstance(loader.sampler, RandomSampler),
        drop_last=loader.drop_last,
    )
    return DataLoader(
        loader.dataset,
        batch_size=batch_size // count,
        sampler=sampler,
        num_workers=loader.num_workers,
        collate_fn=loader.collate_fn,
        pin_memory=loader.pin_memory,
        drop_last=loader.drop_last,
        timeout=loader.timeout,
        worker_init_fn=loader.worker_init_fn,
        persistent_workers=loader.persistent_workers if loader.num_workers else False,
    )


def free_port():
    """A TCP port free on this machine, for a local process group."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launched(index, fn, args, count, port, timeout_seconds):
    os.environ.update(
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
        RANK=str(index),
        LOCAL_RANK=str(index),
        WORLD_SIZE=str(count),
    )
    initialize(timeout_seconds)
    try:
        fn(*args)
    finally:
        shutdown()


def launch(fn, num_processes, args=(), timeout_seconds=300):
    """Runs ``fn(*args)`` in ``num_processes`` new local processes joined in one process
    group; raises when any of them fails (the others are stopped)."""
    import torch.multiprocessing as mp

    method = "fork" if not torch.cuda.is_initialized() and os.name == "posix" else "spawn"
    mp.start_processes(
        _launched,
        args=(fn, tuple(args), num_processes, free_port(), timeout_seconds),
        nprocs=num_processes,
        join=True,
        start_method=method,
    )
