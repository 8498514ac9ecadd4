"""See and explain: the tutorial CNN on MNIST, its diagram, its training curves, and why it
reads ten test digits as it does (Integrated Gradients and Grad-CAM).

Run: python examples/explain_mnist.py              (1 epoch on 6,000 images: a minute or two
                                                    on a CPU, about 0.9 test accuracy)
     python examples/explain_mnist.py --epochs 5 --train-samples 60000
Writes to explain_mnist/ (--out): model.png, training_curves.png, attributions.png.
MNIST comes from cornu.datasets.mnist.load_data(), or from --data, an .npz file with Keras's
arrays (x_train, y_train, x_test, y_test).
"""

import argparse
import os

import numpy as np

import cornu
from cornu import explain, visualization
from cornu.datasets import mnist
from cornu.layers import Conv2D, Dense, Flatten, Input, MaxPooling2D
from cornu.models import Sequential
from cornu.utils.history_plot import figure_class, save_figure


def load(path):
    if path is None:
        return mnist.load_data()
    with np.load(path) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def build_model():
    return Sequential(
        [
            Input((28, 28, 1)),
            Conv2D(32, (3, 3), activation="relu"),
            MaxPooling2D((2, 2)),
            Conv2D(64, (3, 3), activation="relu"),
            MaxPooling2D((2, 2)),
            Conv2D(64, (3, 3), activation="relu", name="last_conv"),
            Flatten(),
            Dense(64, activation="relu"),
            Dense(10, activation="softmax", name="digits"),
        ],
        name="mnist_cnn",
    )


def attribution_figure(images, labels, predicted, ig, cam):
    """Three rows for the digits: the image, Integrated Gradients, Grad-CAM."""
    rows = [
        ("digit", visualization.overlay_attributions(images, ig, alpha=0.0, value_range=(0, 1))),
        (
            "integrated gradients",
            visualization.overlay_attributions(images, ig, value_range=(0, 1)),
        ),
        ("Grad-CAM", visualization.overlay_attributions(images, cam, value_range=(0, 1))),
    ]
    Figure = figure_class("explain_mnist")
    figure = Figure(figsize=(1.4 * len(images), 4.6), layout="tight")
    axes = figure.subplots(len(rows), len(images), squeeze=False)
    for r, (title, pictures) in enumerate(rows):
        for c, picture in enumerate(pictures):
            ax = axes[r, c]
            ax.imshow(picture)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"{labels[c]} → {predicted[c]}", fontsize=9)
            if c == 0:
                ax.set_ylabel(title, fontsize=8)
    return figure


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--train-samples", type=int, default=6000)
    parser.add_argument("--data", default=None, help="an MNIST .npz (default: load_data())")
    parser.add_argument("--out", default="explain_mnist")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    (x_train, y_train), (x_test, y_test) = load(args.data)
    x_train = x_train[: args.train_samples, ..., None].astype("float32") / 255
    y_train = y_train[: args.train_samples].astype("int64")
    x_test = x_test[..., None].astype("float32") / 255
    y_test = y_test.astype("int64")

    model = build_model()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x_train, y_train, epochs=args.epochs, batch_size=64, validation_split=0.1, verbose=2
    )
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"test accuracy: {accuracy:.4f}")

    cornu.utils.plot_model(
        model, to_file=os.path.join(args.out, "model.png"), show_shapes=True, show_layer_names=True
    )
    history.plot(path=os.path.join(args.out, "training_curves.png"))

    digits = x_test[:10]
    predicted = np.argmax(cornu.ops.convert_to_numpy(model.predict(digits, verbose=0)), axis=1)
    ig = explain.integrated_gradients(model, digits, targets=predicted, steps=32)
    cam = explain.grad_cam(model, digits, "last_conv", targets=predicted)
    figure = attribution_figure(digits[..., 0], y_test[:10], predicted, ig, cam)
    save_figure(figure, os.path.join(args.out, "attributions.png"), dpi=120)
    print(f"wrote model.png, training_curves.png and attributions.png to {args.out}/")
    return accuracy


if __name__ == "__main__":
    main()
