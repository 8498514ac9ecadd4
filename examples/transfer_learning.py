"""Transfer learning with a MobileNetV2 base, on synthetic images (runs in about a minute).

The recipe of Keras's transfer-learning guide:

1. Take `applications.MobileNetV2(include_top=False)` as the base: with Keras's ImageNet
   weights when their file is on this machine (in ``~/.cornu/models/`` or
   ``~/.keras/models/``), with random weights otherwise; the output says which.
2. Freeze it (`base.trainable = False`: its BatchNormalization layers then run in inference
   mode) and train a new head on it.
3. Unfreeze the top blocks and fine-tune the whole at a low learning rate.

The images are synthetic, two classes: horizontal or vertical stripes, at random phases and
colours, with noise.

Run: python examples/transfer_learning.py [--image-size 96] [--samples 256] [--epochs 2]
"""

import argparse

import numpy as np

import cornu
from cornu import layers
from cornu.applications import mobilenet_v2, weight_files


def stripes(samples, size, rng):
    """`samples` images in [0, 255] with horizontal (label 0) or vertical (label 1) stripes."""
    labels = rng.integers(0, 2, samples)
    grid = np.arange(size, dtype="float32")
    images = np.empty((samples, size, size, 3), "float32")
    for i, label in enumerate(labels):
        period = rng.uniform(4, 12)
        wave = np.sin(2 * np.pi * (grid / period + rng.random()))
        pattern = wave[:, None] if label == 0 else wave[None, :]
        pattern = np.broadcast_to(pattern, (size, size))
        colour = rng.uniform(0.3, 1.0, 3)
        images[i] = 127.5 + 100 * pattern[..., None] * colour
    images += rng.normal(0, 20, images.shape)
    return np.clip(images, 0, 255), labels


def local_weights(size):
    """True when Keras's ImageNet file for this base is in cornu's or Keras's cache."""
    file_name = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{size}_no_top.h5"
    return weight_files.find_local(file_name) is not None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--image-size", type=int, default=96)
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args(argv)

    cornu.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    size = args.image_size
    x, y = stripes(args.samples, size, rng)
    split = int(0.8 * len(x))
    (x_train, y_train), (x_test, y_test) = (x[:split], y[:split]), (x[split:], y[split:])

    pretrained = size in (96, 128, 160, 192, 224) and local_weights(size)
    print(
        "base weights: ImageNet (Keras's file found locally)"
        if pretrained
        else "base weights: random (Keras's ImageNet file is not on this machine; put "
        f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{size}_no_top.h5 in "
        "~/.keras/models/ or ~/.cornu/models/ for real transfer learning: random features "
        "give about chance accuracy)"
    )
    base = cornu.applications.MobileNetV2(
        weights="imagenet" if pretrained else None,
        include_top=False,
        input_shape=(size, size, 3),
    )
    base.trainable = False

    inputs = layers.Input((size, size, 3))
    features = base(mobilenet_v2.preprocess_input(inputs), training=False)
    features = layers.GlobalAveragePooling2D()(features)
    features = layers.Dropout(0.2)(features)
    outputs = layers.Dense(1)(features)
    model = cornu.Model(inputs, outputs)
    loss = cornu.losses.BinaryCrossentropy(from_logits=True)
    metrics = [cornu.metrics.BinaryAccuracy(threshold=0.0)]

    print(f"1. new head on the frozen base ({len(model.trainable_weights)} trainable weights)")
    model.compile(optimizer=cornu.optimizers.Adam(1e-3), loss=loss, metrics=metrics)
    model.fit(x_train, y_train, batch_size=32, epochs=args.epochs, verbose=2)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"head only: test accuracy: {accuracy:.3f}")

    base.trainable = True
    top = [layer.name for layer in base.layers].index("block_13_expand")
    for layer in base.layers[:top]:
        layer.trainable = False
    print(f"2. fine-tuning from block_13 on ({len(model.trainable_weights)} trainable weights)")
    model.compile(optimizer=cornu.optimizers.Adam(1e-5), loss=loss, metrics=metrics)
    model.fit(x_train, y_train, batch_size=32, epochs=args.epochs, verbose=2)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"fine-tuned: test accuracy: {accuracy:.3f}")
    return accuracy


if __name__ == "__main__":
    main()
