"""The tutorial MLP (784-512-10, RMSprop, batch 128) trained by cornu's ``fit`` and by a
hand-written PyTorch loop doing the same work, epochs interleaved in one process.

Run: python benchmarks/mnist_mlp.py [--rounds 3] [--keras]
Prints seconds per epoch and the ratio cornu / hand-written loop (lower is better). With
CORNU_BACKEND=jax, cornu trains with its jax.jit step and ``--keras`` times Keras on JAX.
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_mnist():
    shared = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "mnist.npz")
    if os.path.exists(shared):
        with np.load(shared) as f:
            x, y = f["x_train"], f["y_train"]
    else:
        from cornu.datasets import mnist

        (x, y), _ = mnist.load_data()
    x = x.reshape((60000, 784)).astype("float32") / 255
    return x, np.eye(10, dtype="float32")[y]


def cornu_epoch_runner(x, y, batch_size):
    from cornu.layers import Dense
    from cornu.models import Sequential

    model = Sequential()
    model.add(Dense(512, activation="relu", input_dim=784))
    model.add(Dense(10, activation="softmax"))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])

    def run():
        model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)

    return run


def torch_epoch_runner(x, y, batch_size):
    import torch

    model = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10), torch.nn.Softmax(-1)
    )
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7, foreach=True)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    n = len(xt)

    def run():
        order = torch.randperm(n)
        total_loss = torch.zeros(())
        correct = torch.zeros(())
        for start in range(0, n, batch_size):
            index = order[start : start + batch_size]
            xb, yb = xt[index], yt[index]
            probs = model(xb)
            loss = -(yb * probs.clamp(1e-7, 1 - 1e-7).log()).sum(-1).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total_loss += loss * len(index)
                correct += (probs.argmax(-1) == yb.argmax(-1)).sum()
        return float(total_loss) / n, float(correct) / n

    return run


def keras_epoch_runner(x, y, batch_size):
    # Keras on the backend cornu runs on (torch unless CORNU_BACKEND says otherwise).
    os.environ.setdefault("KERAS_BACKEND", os.environ.get("CORNU_BACKEND", "torch"))
    import keras

    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])

    def run():
        model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)

    return run


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--keras", action="store_true", help="also time Keras 3 (torch backend)")
    args = parser.parse_args()

    x, y = load_mnist()
    runners = {
        "torch loop": torch_epoch_runner(x, y, args.batch_size),
        "cornu fit": cornu_epoch_runner(x, y, args.batch_size),
    }
    if args.keras:
        backend = os.environ.get("KERAS_BACKEND", os.environ.get("CORNU_BACKEND", "torch"))
        runners[f"keras fit ({backend})"] = keras_epoch_runner(x, y, args.batch_size)
    for run in runners.values():
        run()  # warm-up epoch
    times = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, run in runners.items():
            times[name].append(timed(run))
    base = statistics.median(times["torch loop"])
    print(f"MNIST MLP, batch {args.batch_size}, median of {args.rounds} interleaved epochs")
    print("| trainer | s/epoch | ratio to torch loop |")
    print("|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {median / base:.3f} |")


if __name__ == "__main__":
    main()
