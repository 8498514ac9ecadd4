"""Distributed training: ``fit`` on 1 to N processes with torch.distributed.

```python
import cornu
cornu.distribution.initialize()  # under torchrun
cornu.distribution.set_distribution(cornu.distribution.DataParallel())
model.fit(x, y, batch_size=64)   # 64 is the global batch
```
"""

from cornu import backend
from cornu.distribution.distribution_lib import (
    DataParallel,
    distribution,
    is_chief,
    set_distribution,
)


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Joins the process group of a multi-process run.

    Reads torchrun's environment (``MASTER_ADDR``, ``MASTER_PORT``, ``RANK``, ``WORLD_SIZE``,
    ``LOCAL_RANK``); the arguments, when given, fill in what the environment lacks
    (``job_addresses`` as ``"host:port"`` of process 0). Uses NCCL on CUDA and gloo on CPU.
    """
    import os

    if job_addresses:
        host, _, port = str(job_addresses).split(",")[0].rpartition(":")
        os.environ.setdefault("MASTER_ADDR", host or "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", port)
    if num_processes is not None:
        os.environ.setdefault("WORLD_SIZE", str(num_processes))
    if process_id is not None:
        os.environ.setdefault("RANK", str(process_id))
        os.environ.setdefault("LOCAL_RANK", str(process_id))
    backend.distribution.initialize()


def list_devices(device_type=None):
    """This machine's devices of ``device_type`` (``"cpu"`` or ``"gpu"``; the accelerator's
    when None), as strings such as ``"cuda:0"``."""
    return backend.distribution.list_devices(device_type)


def launch(fn, num_processes, args=(), timeout_seconds=300):
    """Runs ``fn(*args)`` in ``num_processes`` local processes joined in one process group (for
    notebooks and tests; use ``torchrun`` for programs). Raises if any process fails.

    ``fn`` runs with the group initialized; call ``set_distribution(DataParallel())`` in it.
    """
    backend.distribution.launch(fn, num_processes, args, timeout_seconds)


def process_id():
    """This process's index (0 when not distributed)."""
    return backend.distribution.process_index()


def num_processes():
    """How many processes take part (1 when not distributed)."""
    return backend.distribution.num_processes()


__all__ = [
    "DataParallel",
    "distribution",
    "initialize",
    "is_chief",
    "launch",
    "list_devices",
    "num_processes",
    "process_id",
    "set_distribution",
]
