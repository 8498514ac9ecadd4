"""A folder of small images read by ``image_dataset_from_directory`` and the tutorial CNN
(Rescaling, Conv2D 32-64-64 with max pooling, Dense 64-10, Adam) trained one epoch from it.

Measures, on this machine's CPUs:
- the input pipeline alone: images/s decoded, resized and batched, read as ``fit`` reads a
  ``PyDataset`` (``workers`` threads reading ahead);
- whether ``fit`` waits on data: the seconds per step of an epoch from the folder against
  an epoch from the same images already in memory (a ratio near 1 means the pipeline keeps
  up with the CNN's step).

Run: python benchmarks/image_folder_pipeline.py [--images 20000] [--size 32]
     [--source-size 48] [--workers 2]
     [--format png] [--rounds 2] [--folder /tmp/cornu_image_folder_...]
The folder is written once (random images in 10 class folders) and reused.
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write_folder(folder, images, size, fmt):
    from PIL import Image

    marker = os.path.join(folder, f".complete_{images}_{size}_{fmt}")
    if os.path.exists(marker):
        return
    rng = np.random.default_rng(0)
    for i in range(images):
        label = i % 10
        class_folder = os.path.join(folder, f"class_{label}")
        os.makedirs(class_folder, exist_ok=True)
        pixels = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
        pixels[..., label % 3] //= 2  # a weak class signal
        Image.fromarray(pixels).save(os.path.join(class_folder, f"{i:06d}.{fmt}"))
    open(marker, "w").close()


def tutorial_cnn(size):
    import cornu
    from cornu import layers

    model = cornu.Sequential(
        [
            cornu.Input((size, size, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20000)
    parser.add_argument("--size", type=int, default=32, help="image_size of the dataset")
    parser.add_argument(
        "--source-size", type=int, default=None, help="size of the files (default: --size)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--format", default="png", choices=["png", "jpg"])
    parser.add_argument("--folder", default=None)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    import cornu
    from cornu.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter

    source = args.source_size or args.size
    folder = args.folder or f"/tmp/cornu_image_folder_{args.images}_{source}_{args.format}"
    start = time.perf_counter()
    write_folder(folder, args.images, source, args.format)
    prepared = time.perf_counter() - start
    print(
        f"folder: {folder} ({args.images} {source}x{source} {args.format} images resized to "
        f"{args.size}x{args.size}; {prepared:.1f}s to prepare)"
    )

    dataset = cornu.utils.image_dataset_from_directory(
        folder,
        image_size=(args.size, args.size),
        batch_size=args.batch_size,
        seed=0,
        verbose=False,
    )
    dataset.workers = args.workers
    steps = len(dataset)

    start = time.perf_counter()
    arrays, labels = [], []
    for x, y in PyDatasetAdapter(dataset).batches():
        arrays.append(cornu.ops.convert_to_numpy(x))
        labels.append(cornu.ops.convert_to_numpy(y))
    pipeline = time.perf_counter() - start
    print(
        f"input pipeline alone: {args.images / pipeline:,.0f} images/s "
        f"({pipeline / steps * 1000:.1f} ms per batch of {args.batch_size}, workers={args.workers})"
    )
    x_memory, y_memory = np.concatenate(arrays), np.concatenate(labels)

    model = tutorial_cnn(args.size)
    model.fit(
        x_memory[: args.batch_size * 2], y_memory[: args.batch_size * 2], verbose=0
    )  # warm up
    memory_times, folder_times = [], []
    for _ in range(args.rounds):  # interleaved, the best of each kept (the machine is shared)
        start = time.perf_counter()
        model.fit(x_memory, y_memory, batch_size=args.batch_size, epochs=1, verbose=0)
        memory_times.append((time.perf_counter() - start) / steps)
        start = time.perf_counter()
        model.fit(dataset, epochs=1, verbose=0)
        folder_times.append((time.perf_counter() - start) / steps)
    memory_step, folder_step = min(memory_times), min(folder_times)
    print(f"fit from in-memory arrays: {memory_step * 1000:.1f} ms/step")
    print(f"fit from the folder:       {folder_step * 1000:.1f} ms/step")
    print(
        f"ratio folder / memory: {folder_step / memory_step:.2f} "
        f"({'fit waits on data' if folder_step > 1.15 * memory_step else 'the pipeline keeps up'})"
    )


if __name__ == "__main__":
    main()
