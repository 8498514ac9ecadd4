"""Inference of ResNet50 and MobileNetV2 (random weights, with the ImageNet top) at batch 32:
cornu against Keras 3 on torch, and against `torchvision.models` of the same architecture where
torchvision is installed. The runners' rounds are interleaved in one process; the median is
reported. (Keras on JAX is not compared: JAX is not installed here.)

Run: python benchmarks/applications_inference.py [--size 128] [--rounds 3]
Prints seconds per batch and the ratio to the reference (torchvision when installed, else
Keras on torch); lower is better.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CONSTRUCTORS = {"resnet50": "ResNet50", "mobilenetv2": "MobileNetV2"}


def cornu_runner(name, x):
    import torch

    import cornu

    model = getattr(cornu.applications, CONSTRUCTORS[name])(weights=None, input_shape=x.shape[1:])
    xt = torch.from_numpy(x)

    def run():
        with torch.no_grad():
            return model(xt, training=False)

    return run


def cornu_predict_runner(name, x):
    import cornu

    model = getattr(cornu.applications, CONSTRUCTORS[name])(weights=None, input_shape=x.shape[1:])
    return lambda: model.predict(x, batch_size=len(x), verbose=0)


def keras_runner(name, x):
    import torch

    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    model = getattr(keras.applications, CONSTRUCTORS[name])(weights=None, input_shape=x.shape[1:])
    xt = torch.from_numpy(x)

    def run():
        with torch.no_grad():
            return model(xt, training=False)

    return run


def torchvision_runner(name, x):
    import torch
    import torchvision

    model = {
        "resnet50": torchvision.models.resnet50,
        "mobilenetv2": torchvision.models.mobilenet_v2,
    }[name]()
    model.eval()
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))

    def run():
        with torch.no_grad():
            return model(xt)

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=128, help="image size (224 on a big machine)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--models", default="resnet50,mobilenetv2")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (args.batch_size, args.size, args.size, 3)).astype("float32")
    has_torchvision = importlib.util.find_spec("torchvision") is not None
    if not has_torchvision:
        print("torchvision is not installed: the reference is Keras on torch")
    for name in args.models.split(","):
        runners = {}
        if has_torchvision:
            runners["torchvision"] = torchvision_runner(name, x)
        runners["keras (torch)"] = keras_runner(name, x)
        runners["cornu call"] = cornu_runner(name, x)
        runners["cornu predict"] = cornu_predict_runner(name, x)
        times = {key: [] for key in runners}
        for run in runners.values():
            run()  # warm-up
        for _ in range(args.rounds):
            for key, run in runners.items():
                start = time.perf_counter()
                run()
                times[key].append(time.perf_counter() - start)
        reference = statistics.median(times["torchvision" if has_torchvision else "keras (torch)"])
        print(f"\n{name}, batch {args.batch_size}, {args.size}x{args.size}, {args.rounds} rounds")
        print("| runner | s/batch | ratio to reference |")
        print("|---|---|---|")
        for key, values in times.items():
            median = statistics.median(values)
            print(f"| {key} | {median:.3f} | {median / reference:.3f} |")


if __name__ == "__main__":
    main()
