"""The MNIST MLP trained on several processes with data parallelism.

Run on one machine with two processes:

    torchrun --standalone --nproc_per_node=2 examples/mnist_distributed.py

The program is the single-process one plus two lines (initialize and set_distribution);
`batch_size` is the global batch, and only process 0 prints.
"""

import argparse
import os

import numpy as np

import cornu
from cornu import layers

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--synthetic", action="store_true", help="small random data (for tests)")
parser.add_argument("--out", help="a folder where each process saves its first kernel")
args = parser.parse_args()

cornu.distribution.initialize()
cornu.distribution.set_distribution(cornu.distribution.DataParallel())
cornu.utils.set_random_seed(0)

if args.synthetic:
    rng = np.random.RandomState(0)
    x_train, y_train = rng.rand(512, 784).astype("float32"), rng.randint(0, 10, 512)
    x_test, y_test = rng.rand(128, 784).astype("float32"), rng.randint(0, 10, 128)
else:
    (x_train, y_train), (x_test, y_test) = cornu.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255

model = cornu.Sequential(
    [
        cornu.Input((784,)),
        layers.Dense(512, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=args.epochs, batch_size=128)
test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
if cornu.distribution.process_id() == 0:
    print("test_acc:", test_acc)
if args.out:
    rank = cornu.distribution.process_id()
    np.save(os.path.join(args.out, f"weights{rank}.npy"), model.get_weights()[0])
