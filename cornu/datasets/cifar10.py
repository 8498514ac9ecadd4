"""CIFAR-10: 32x32 colour images of 10 classes."""

import numpy as np

from cornu.datasets import cifar

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530"
TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
TEST_FILE = "test_batch.bin"


def load_data():
    """Loads CIFAR-10: 50,000 training and 10,000 test images of 10 classes (0 airplane,
    1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck).

    The original "binary version" archive is downloaded once into ``~/.cornu/datasets/``,
    checked against its published md5, and read without unpickling anything.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(n, 32, 32, 3)`` (``(n, 3,
        32, 32)`` when ``image_data_format()`` is ``"channels_first"``) and uint8 labels
        ``(n, 1)``.
    """
    path = cifar.download("cifar-10-binary.tar.gz", ORIGIN, ARCHIVE_MD5)
    members = cifar.read_members(path, TRAIN_FILES + (TEST_FILE,))
    train = [cifar.parse_records(members[n], 1, (10,), n) for n in TRAIN_FILES]
    x_test, y_test = cifar.parse_records(members[TEST_FILE], 1, (10,), TEST_FILE)
    x_train = np.concatenate([images for images, _ in train])
    y_train = np.concatenate([labels for _, labels in train])
    return (cifar.to_data_format(x_train), y_train), (cifar.to_data_format(x_test), y_test)
