"""Tunes the tutorial's MNIST MLP with KerasTuner's API: the width of the hidden layer, the
dropout after it and the learning rate, for a few trials, then prints the summary and the
best model's test accuracy. A KerasTuner script, with only its imports changed.

Run: python examples/tune_mnist.py            (3 trials on 10,000 images, about a minute)
     python examples/tune_mnist.py --trials 10 --samples 60000 --epochs 5 --jobs 2
MNIST is read by `cornu.datasets.mnist.load_data()` (from ~/.cornu/datasets/mnist.npz).
"""

import argparse
import tempfile

import cornu as keras
from cornu import tuner as kt
from cornu.datasets import mnist

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--trials", type=int, default=3)
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--samples", type=int, default=10000, help="training images used")
parser.add_argument("--jobs", type=int, default=1, help="trials run at once (processes)")
parser.add_argument("--directory", default=None, help="where the search keeps its state")
args = parser.parse_args()

(train_images, train_labels), (test_images, test_labels) = mnist.load_data()
train_images = train_images[: args.samples].reshape((-1, 28 * 28)).astype("float32") / 255
train_labels = train_labels[: args.samples]
test_images = test_images.reshape((10000, 28 * 28)).astype("float32") / 255


def build_model(hp):
    model = keras.Sequential()
    model.add(keras.Input(shape=(28 * 28,)))
    model.add(keras.layers.Dense(hp.Int("units", 64, 512, step=64), activation="relu"))
    model.add(keras.layers.Dropout(hp.Float("dropout", 0.0, 0.5, step=0.1)))
    model.add(keras.layers.Dense(10, activation="softmax"))
    learning_rate = hp.Float("learning_rate", 1e-4, 1e-2, sampling="log")
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


tuner = kt.RandomSearch(
    build_model,
    objective="val_accuracy",
    max_trials=args.trials,
    seed=0,
    directory=args.directory or tempfile.mkdtemp(prefix="tune_mnist_"),
    project_name="mnist_mlp",
)
tuner.search_space_summary()
tuner.search(
    train_images,
    train_labels,
    epochs=args.epochs,
    batch_size=128,
    validation_split=0.2,
    n_jobs=args.jobs,
    verbose=0,
)
tuner.results_summary()

best_model = tuner.get_best_models(1)[0]
test_loss, test_acc = best_model.evaluate(test_images, test_labels, verbose=0)
print("best hyperparameters:", tuner.get_best_hyperparameters(1)[0].values)
print("test accuracy:", test_acc)
