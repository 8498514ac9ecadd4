"""One-sample predictions: what cornu's ``model(x)``, ``predict`` and ``predict_on_batch`` cost
beside a bare ``torch.no_grad()`` forward of the same modules, and Keras-torch's ``predict``.

The workloads are the tutorial MLP (784-512-10) and CNN (the CIFAR-10 tutorial's). The bare
forward is the ``torch.nn`` network a PyTorch user writes (the CNN in NCHW, its input made
once), with cornu's weights copied in, called on a tensor; cornu and Keras get the NumPy
sample (``model(x)`` gets the tensor). All calls run in one process, interleaved round after
round; each round times 100 calls of every entry with ``time.process_time`` (the CPU time of
this process, which other processes' load disturbs less than the wall clock), and the table
gives the median round, 2,000 calls per entry in all.

Run: python benchmarks/small_predictions.py [--rounds 20] [--calls 100] [--no-keras]
Prints microseconds per call and the ratio to the bare forward (lower is better).
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("KERAS_BACKEND", "torch")


def _mlp_layers(layers):
    return [
        layers.Input((784,)),
        layers.Dense(512, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]


def _cnn_layers(layers):
    return [
        layers.Input((32, 32, 3)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]


def _bare_mlp(weights):
    import torch

    nn = torch.nn
    net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10), nn.Softmax(-1))
    linears = [net[0], net[2]]
    with torch.no_grad():
        for linear, (kernel, bias) in zip(linears, zip(weights[::2], weights[1::2])):
            linear.weight.copy_(torch.from_numpy(kernel.T))
            linear.bias.copy_(torch.from_numpy(bias))
    return net.eval(), lambda x: torch.from_numpy(x)


def _bare_cnn(weights):
    import torch

    nn = torch.nn

    class FlattenNHWC(nn.Module):
        # Flattens in NHWC order, as the channels_last model's Flatten does.
        def forward(self, x):
            return torch.flatten(x.permute(0, 2, 3, 1), 1)

    net = nn.Sequential(
        nn.Conv2d(3, 32, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3),
        nn.ReLU(),
        FlattenNHWC(),
        nn.Linear(64 * 4 * 4, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
        nn.Softmax(-1),
    )
    params = [m for m in net if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        for module, kernel, bias in zip(params, weights[::2], weights[1::2]):
            if kernel.ndim == 4:  # (kh, kw, in, out) -> (out, in, kh, kw)
                kernel = kernel.transpose(3, 2, 0, 1)
            else:
                kernel = kernel.T
            module.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel)))
            module.bias.copy_(torch.from_numpy(bias))
    return net.eval(), lambda x: torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


WORKLOADS = {
    "mlp": ("tutorial MLP (784-512-10)", _mlp_layers, _bare_mlp, (1, 784)),
    "cnn": ("tutorial CNN (CIFAR-10, 32x32x3)", _cnn_layers, _bare_cnn, (1, 32, 32, 3)),
}


def entries(workload, keras_too):
    """The calls to time, by name, for one workload: each a function of no argument."""
    import torch

    import cornu

    _, make_layers, make_bare, shape = WORKLOADS[workload]
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    model = cornu.Sequential(make_layers(cornu.layers))
    weights = model.get_weights()
    bare, to_bare_input = make_bare(weights)
    bare_input = to_bare_input(x)
    tensor = torch.from_numpy(x)

    def bare_forward():
        with torch.no_grad():
            return bare(bare_input)

    calls = {
        "bare torch.no_grad() forward": bare_forward,
        "cornu model(x)": lambda: model(tensor),
        "cornu predict": lambda: model.predict(x, verbose=0),
        "cornu predict_on_batch": lambda: model.predict_on_batch(x),
    }
    if keras_too:
        import keras

        peer = keras.Sequential(make_layers(keras.layers))
        peer.set_weights(weights)
        calls["keras-torch predict"] = lambda: peer.predict(x, verbose=0)
        reference = peer.predict(x, verbose=0)
    else:
        reference = model.predict(x, verbose=0)
    expected = bare_forward().numpy()
    for name, call in calls.items():  # every entry computes the same thing
        out = call()
        out = out.detach().numpy() if isinstance(out, torch.Tensor) else np.asarray(out)
        np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5, err_msg=name)
    np.testing.assert_allclose(reference, expected, rtol=1e-4, atol=1e-5)
    return calls


def time_calls(calls, rounds, per_round):
    """Median microseconds per call of each entry, the entries interleaved round by round."""
    for call in calls.values():  # warm-up: first-call checks, caches, allocator
        for _ in range(20):
            call()
    seconds = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.process_time()
            for _ in range(per_round):
                call()
            seconds[name].append((time.process_time() - start) / per_round)
    return {name: statistics.median(values) * 1e6 for name, values in seconds.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--calls", type=int, default=100, help="calls of each entry per round")
    parser.add_argument("--threads", type=int, default=1, help="torch's intra-op threads")
    parser.add_argument("--no-keras", action="store_true", help="leave Keras-torch out")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    print(
        f"One-sample predictions, median of {args.rounds} interleaved rounds of {args.calls} "
        f"calls, {args.threads} torch thread(s); ratio to the bare forward (lower is better)"
    )
    print("| workload | call | us per call | ratio to bare forward |")
    print("|---|---|---|---|")
    for workload in args.workloads:
        calls = entries(workload, keras_too=not args.no_keras)
        micros = time_calls(calls, args.rounds, args.calls)
        base = micros["bare torch.no_grad() forward"]
        for name, value in micros.items():
            print(f"| {WORKLOADS[workload][0]} | {name} | {value:.1f} | {value / base:.2f} |")


if __name__ == "__main__":
    main()
