"""Mixed precision: the tutorial CNN and the IMDB LSTM trained under ``mixed_bfloat16`` beside
``float32``, by cornu and by Keras 3 (on the backend cornu runs on: torch, or jax under
``CORNU_BACKEND=jax``), in one process.

Each (library, workload, policy) runs in a fresh process, so that one run's freed memory does
not hide the next one's peak. For each it reports the median seconds per training step and the
peak memory of training: ``torch.cuda.max_memory_allocated`` on a GPU, else the growth of the
process's peak resident set (``VmHWM``, reset through ``/proc/self/clear_refs`` before each
run) over its resident set before it. On a CPU bfloat16 is often not faster: the table says so
with numbers.

Run: python benchmarks/precision.py [--steps 10] [--batch-size 64] [--maxlen 100] [--no-keras]
(``--one LIBRARY WORKLOAD POLICY`` runs one measurement and prints it as JSON.)
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
# Keras on the backend cornu runs on (CORNU_BACKEND=jax compares the jax.jit steps).
os.environ.setdefault(
    "KERAS_BACKEND", "jax" if os.environ.get("CORNU_BACKEND") == "jax" else "torch"
)

from cifar10_cnn import synthetic_cifar10  # noqa: E402
from imdb_lstm import EMBED, UNITS, VOCAB, synthetic_reviews  # noqa: E402


def cnn(lib):
    layers = lib.layers
    model = lib.Sequential(
        [
            lib.Input((32, 32, 3)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10),
            layers.Activation("softmax", dtype="float32"),  # as Keras's mixed-precision guide
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def lstm(lib, maxlen):
    layers = lib.layers
    model = lib.Sequential(
        [
            lib.Input((maxlen,), dtype="int64"),
            layers.Embedding(VOCAB, EMBED),
            layers.LSTM(UNITS),
            layers.Dense(1),
            layers.Activation("sigmoid", dtype="float32"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def _torch():
    import torch

    return torch


def _gpu():
    torch = _torch()
    return torch.cuda.is_available()


def _status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak():
    gc.collect()
    if _gpu():
        torch = _torch()
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        return torch.cuda.memory_allocated()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident set
    except OSError:
        pass
    return _status("VmRSS")


def _peak(baseline):
    if _gpu():
        torch = _torch()
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - baseline
    return _status("VmHWM") - baseline


def measure(lib, workload, policy, x, y, args):
    """Median seconds per step over ``args.steps`` timed steps, and the peak memory."""
    lib.config.set_dtype_policy(policy)
    try:
        baseline = _reset_peak()
        model = cnn(lib) if workload == "cnn" else lstm(lib, args.maxlen)
        batch = args.batch_size
        model.fit(x[: 2 * batch], y[: 2 * batch], batch_size=batch, epochs=1, verbose=0)
        times = []
        for step in range(args.steps):
            xb = x[step * batch : (step + 1) * batch]
            yb = y[step * batch : (step + 1) * batch]
            start = time.perf_counter()
            model.train_on_batch(xb, yb)
            if _gpu():
                _torch().cuda.synchronize()
            times.append(time.perf_counter() - start)
        peak = _peak(baseline)
        del model
        return statistics.median(times), peak
    finally:
        lib.config.set_dtype_policy("float32")


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--maxlen", type=int, default=100)
    parser.add_argument("--no-keras", action="store_true", help="time cornu only")
    parser.add_argument("--one", nargs=3, metavar=("LIBRARY", "WORKLOAD", "POLICY"))
    return parser


def run_one(args):
    library, workload, policy = args.one
    if library == "cornu":
        import cornu as lib
    else:
        import keras as lib
    samples = args.batch_size * (args.steps + 2)
    if workload == "cnn":
        x, y = synthetic_cifar10(samples)
    else:
        x, y = synthetic_reviews(samples, args.maxlen)
    seconds, peak = measure(lib, workload, policy, x, y, args)
    print(json.dumps({"seconds": seconds, "peak": peak, "gpu": _gpu()}))


def main():
    args = _parser().parse_args()
    if args.one:
        run_one(args)
        return
    libraries = ["cornu"] + ([] if args.no_keras else ["keras"])
    common = ["--steps", str(args.steps), "--batch-size", str(args.batch_size)]
    common += ["--maxlen", str(args.maxlen)]
    header = f"{'library':<7} {'workload':<8} {'policy':<15} {'ms/step':>9} {'peak MiB':>9}"
    header += f" {'vs fp32':>8}"
    printed = False
    for library in libraries:
        for workload in ("cnn", "lstm"):
            base = None
            for policy in ("float32", "mixed_bfloat16"):
                command = [sys.executable, os.path.abspath(__file__), *common]
                command += ["--one", library, workload, policy]
                done = subprocess.run(command, capture_output=True, text=True, check=True)
                result = json.loads(done.stdout.strip().splitlines()[-1])
                if not printed:
                    device = "cuda (torch.cuda peak)" if result["gpu"] else "cpu (peak RSS growth)"
                    print(f"device: {device}; {args.steps} steps of batch {args.batch_size}")
                    print(header)
                    print("-" * len(header))
                    printed = True
                seconds, peak = result["seconds"], result["peak"]
                base = base or seconds
                print(
                    f"{library:<7} {workload:<8} {policy:<15} {seconds * 1e3:>9.1f} "
                    f"{peak / 2**20:>9.1f} {seconds / base:>7.2f}x",
                    flush=True,
                )


if __name__ == "__main__":
    main()
