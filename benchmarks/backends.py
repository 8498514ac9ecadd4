"""cornu on each backend beside its peers: the tutorial workloads, epochs interleaved.

A backend is chosen when cornu (or Keras) is imported, so each trainer lives in its own worker
process, all started at once and kept alive; the driver asks them in turn for one epoch, round
after round, so that every trainer sees the same machine load. The first epoch of each worker
(compilation, warm-up) is reported apart and left out of the steady-state median.

Run: python benchmarks/backends.py [--workloads mlp cnn lstm] [--rounds 3]
     [--trainers "torch loop" "cornu torch" "cornu torch compiled" "cornu jax" "keras jax"
                 "cornu tensorflow" "keras tensorflow"] [--baseline "torch loop"]
Prints seconds per epoch and the ratio to the baseline trainer (by default the hand-written
PyTorch loop; lower is better). The baseline always runs, first.
"""

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

WORKLOADS = {
    "mlp": ("mnist_mlp", "MNIST MLP (batch 128)", 128),
    "cnn": ("cifar10_cnn", "CIFAR-10 tutorial CNN (synthetic, batch 64)", 64),
    "lstm": ("imdb_lstm", "IMDB LSTM (synthetic, length 200, batch 64)", 64),
}
# trainer name -> (runner function of the workload module, environment, runner's keywords)
TRAINERS = {
    "torch loop": ("torch_epoch_runner", {}, {}),
    "cornu torch": ("cornu_epoch_runner", {"CORNU_BACKEND": "torch"}, {}),
    "cornu torch compiled": (
        "cornu_epoch_runner",
        {"CORNU_BACKEND": "torch"},
        {"jit_compile": True},
    ),
    # The runners' default (jit_compile=False) is eager on JAX; "auto" is JAX's default, the
    # jax.jit step that Keras-JAX also runs.
    "cornu jax": ("cornu_epoch_runner", {"CORNU_BACKEND": "jax"}, {"jit_compile": "auto"}),
    "cornu numpy": ("cornu_epoch_runner", {"CORNU_BACKEND": "numpy"}, {}),
    "keras torch": ("keras_epoch_runner", {"KERAS_BACKEND": "torch"}, {}),
    "keras jax": ("keras_epoch_runner", {"KERAS_BACKEND": "jax"}, {}),
    # cornu and Keras on TensorFlow with their defaults (the same rule: the step is a
    # tf.function, compiled by XLA only when an accelerator is present).
    "cornu tensorflow": (
        "cornu_epoch_runner",
        {"CORNU_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2"},
        {"jit_compile": "auto"},
    ),
    "cornu tensorflow xla": (
        "cornu_epoch_runner",
        {"CORNU_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2"},
        {"jit_compile": True},
    ),
    "keras tensorflow": (
        "keras_epoch_runner",
        {"KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2"},
        {},
    ),
}


def load_data(module):
    """The workload's training arrays, as its own benchmark script makes them."""
    if hasattr(module, "load_mnist"):
        return module.load_mnist()
    if hasattr(module, "synthetic_cifar10"):
        return module.synthetic_cifar10(3000)
    return module.synthetic_reviews(2000, 200)


def worker(workload, trainer):
    """Builds one trainer, then runs an epoch for every line read on stdin, printing its time."""
    module_name, _, batch_size = WORKLOADS[workload]
    module = importlib.import_module(module_name)
    x, y = load_data(module)
    runner, _, keywords = TRAINERS[trainer]
    run = getattr(module, runner)(x, y, batch_size, **keywords)
    print("ready", flush=True)
    for _ in sys.stdin:
        start = time.perf_counter()
        run()
        print(json.dumps(time.perf_counter() - start), flush=True)


class Worker:
    """A trainer's worker process, driven one epoch at a time."""

    def __init__(self, workload, trainer):
        env = dict(os.environ, **TRAINERS[trainer][1])
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", workload, trainer],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        line = self.process.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"The {trainer!r} worker for {workload!r} failed to start.")

    def epoch(self):
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def measure(workload, trainers, rounds):
    """``{trainer: (first epoch, [steady epochs])}``, epochs interleaved across trainers."""
    workers = {name: Worker(workload, name) for name in trainers}
    try:
        first = {name: w.epoch() for name, w in workers.items()}
        steady = {name: [] for name in trainers}
        for _ in range(rounds):
            for name, w in workers.items():
                steady[name].append(w.epoch())
    finally:
        for w in workers.values():
            w.close()
    return {name: (first[name], steady[name]) for name in trainers}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument(
        "--trainers",
        nargs="+",
        default=["torch loop", "cornu torch", "cornu torch compiled", "cornu jax", "keras jax"],
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default="torch loop", help="the trainer the ratios divide by")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    unknown = [t for t in args.trainers + [args.baseline] if t not in TRAINERS]
    if unknown:
        parser.error(f"unknown trainers {unknown}; choose from {list(TRAINERS)}")
    trainers = [args.baseline] + [t for t in args.trainers if t != args.baseline]
    print(f"median of {args.rounds} interleaved epochs after one warm-up epoch")
    print(
        "| workload | trainer | first epoch s | first - steady s (compile, warm-up) | s/epoch | "
        f"ratio to {args.baseline} |"
    )
    print("|---|---|---|---|---|---|")
    for workload in args.workloads:
        results = measure(workload, trainers, args.rounds)
        base = statistics.median(results[args.baseline][1])
        for name, (first, steady) in results.items():
            median = statistics.median(steady)
            print(
                f"| {WORKLOADS[workload][1]} | {name} | {first:.2f} | {first - median:.2f} | "
                f"{median:.3f} | {median / base:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
