"""The IMDB sentiment LSTM (Embedding(20000, 128) -> LSTM(64) -> Dense(1, sigmoid), Adam,
binary cross-entropy) trained by cornu's ``fit`` and by a hand-written PyTorch loop
(torch.nn.Embedding + torch.nn.LSTM + Linear) doing the same work, epochs interleaved in one
process. The data are IMDB-shaped synthetic reviews: integer sequences of length 200.

Run: python benchmarks/imdb_lstm.py [--rounds 3] [--samples 2000] [--keras]
Prints seconds per epoch and the ratio cornu / hand-written loop (lower is better).
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

VOCAB, EMBED, UNITS = 20000, 128, 64


def synthetic_reviews(samples, maxlen, seed=0):
    """Padded integer reviews whose label depends on which half of the vocabulary dominates."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, VOCAB, size=(samples, maxlen)).astype("int64")
    lengths = rng.integers(maxlen // 4, maxlen + 1, size=samples)
    x[np.arange(maxlen)[None, :] < (maxlen - lengths)[:, None]] = 0  # pre-padding, as pad_sequences
    y = ((x > VOCAB // 2).sum(1) > (x > 0).sum(1) / 2).astype("float32")
    return x, y


def cornu_epoch_runner(x, y, batch_size, jit_compile=False):
    from cornu.layers import LSTM, Dense, Embedding, Input
    from cornu.models import Sequential

    model = Sequential(
        [
            Input((x.shape[1],), dtype="int64"),
            Embedding(VOCAB, EMBED),
            LSTM(UNITS),
            Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,
    )

    def run():
        model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)

    return run


def torch_epoch_runner(x, y, batch_size):
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(VOCAB, EMBED)
            self.lstm = torch.nn.LSTM(EMBED, UNITS, batch_first=True)
            self.dense = torch.nn.Linear(UNITS, 1)

        def forward(self, ids):
            _, (h, _) = self.lstm(self.embedding(ids))
            return self.dense(h[0])  # logits: the loss applies the sigmoid

    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)[:, None]
    n = len(xt)

    def run():
        order = torch.randperm(n)
        total_loss = torch.zeros(())
        correct = torch.zeros(())
        for start in range(0, n, batch_size):
            index = order[start : start + batch_size]
            xb, yb = xt[index], yt[index]
            logits = model(xb)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total_loss += loss * len(index)
                correct += ((logits > 0).float() == yb).sum()
        return float(total_loss) / n, float(correct) / n

    return run


def keras_epoch_runner(x, y, batch_size):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    model = keras.Sequential(
        [
            keras.Input((x.shape[1],), dtype="int64"),
            keras.layers.Embedding(VOCAB, EMBED),
            keras.layers.LSTM(UNITS),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

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
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--maxlen", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--keras", action="store_true", help="also time Keras 3 (torch backend)")
    parser.add_argument(
        "--no-compiled", action="store_true", help="skip cornu fit with jit_compile=True"
    )
    args = parser.parse_args()

    x, y = synthetic_reviews(args.samples, args.maxlen)
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
        f"IMDB LSTM, {args.samples} sequences of {args.maxlen}, batch {args.batch_size}, "
        f"median of {args.rounds} interleaved epochs"
    )
    print("| trainer | first epoch s | s/epoch | ratio to torch loop |")
    print("|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {first[name]:.2f} | {median:.3f} | {median / base:.3f} |")


if __name__ == "__main__":
    main()
