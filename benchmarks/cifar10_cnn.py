"""The tutorial CNN (Conv2D 32-64-64 with max pooling, Dense 64-10, Adam, batch 64) trained by
cornu's ``fit`` and by a hand-written PyTorch loop doing the same work, epochs interleaved in one
process, on synthetic CIFAR-10-shaped data (32x32x3 images, 10 classes).

Run: python benchmarks/cifar10_cnn.py [--rounds 3] [--samples 3000] [--keras]
Prints seconds per epoch and the ratio cornu / hand-written loop (lower is better).
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def synthetic_cifar10(samples):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(samples, 32, 32, 3), dtype=np.uint8).astype("float32") / 255
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, size=samples)]
    return x, y


def cornu_epoch_runner(x, y, batch_size, jit_compile=False):
    from cornu.layers import Conv2D, Dense, Flatten, MaxPooling2D
    from cornu.models import Sequential

    model = Sequential()
    model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
    model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(MaxPooling2D((2, 2)))
    model.add(Conv2D(64, (3, 3), activation="relu"))
    model.add(Flatten())
    model.add(Dense(64, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    model.compile(
        optimizer="adam",
        loss="categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,
    )

    def run():
        model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)

    return run


def torch_epoch_runner(x, y, batch_size):
    import torch

    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(3, 32, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64 * 4 * 4, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )  # logits: the loss applies the softmax
    # The fastest hand-written layout on CPU: channels_last weights, and the NHWC images viewed
    # as NCHW with channels_last strides (no copy).
    model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
    xt = torch.from_numpy(x).permute(0, 3, 1, 2)
    yt = torch.from_numpy(y)
    n = len(xt)

    def run():
        order = torch.randperm(n)
        total_loss = torch.zeros(())
        correct = torch.zeros(())
        for start in range(0, n, batch_size):
            index = order[start : start + batch_size]
            xb, yb = xt[index].contiguous(memory_format=torch.channels_last), yt[index]
            logits = model(xb)
            loss = torch.nn.functional.cross_entropy(logits, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total_loss += loss * len(index)
                correct += (logits.argmax(-1) == yb.argmax(-1)).sum()
        return float(total_loss) / n, float(correct) / n

    return run


def keras_epoch_runner(x, y, batch_size):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

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
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--keras", action="store_true", help="also time Keras 3 (torch backend)")
    parser.add_argument(
        "--no-compiled", action="store_true", help="skip cornu fit with jit_compile=True"
    )
    args = parser.parse_args()

    x, y = synthetic_cifar10(args.samples)
    runners = {
        "torch loop": torch_epoch_runner(x, y, args.batch_size),
        "cornu fit": cornu_epoch_runner(x, y, args.batch_size),
    }
    if not args.no_compiled:
        runners["cornu fit compiled"] = cornu_epoch_runner(x, y, args.batch_size, True)
    if args.keras:
        runners["keras fit"] = keras_epoch_runner(x, y, args.batch_size)
    first = {name: timed(run) for name, run in runners.items()}  # warm-up (and compile) epoch
    times = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, run in runners.items():
            times[name].append(timed(run))
    base = statistics.median(times["torch loop"])
    print(
        f"CIFAR-10 CNN (synthetic, {args.samples} images), batch {args.batch_size}, "
        f"median of {args.rounds} interleaved epochs"
    )
    print("| trainer | first epoch s | s/epoch | ratio to torch loop |")
    print("|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {first[name]:.2f} | {median:.3f} | {median / base:.3f} |")


if __name__ == "__main__":
    main()
