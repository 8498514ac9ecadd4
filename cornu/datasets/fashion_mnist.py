"""Fashion-MNIST: 28x28 grayscale images of 10 kinds of clothing."""

import os

from cornu.datasets.idx import read_idx
from cornu.utils.file_utils import get_file

DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist"
ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def load_data():
    """Loads Fashion-MNIST: 60,000 training and 10,000 test images of 10 classes.

    The original IDX files are read from Debian's ``dataset-fashion-mnist`` package
    (``/usr/share/datasets/fashion-mnist/``) when it is installed, else downloaded once from
    Keras's copy into ``~/.cornu/datasets/fashion-mnist/``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(n, 28, 28)`` and uint8 labels
        ``(n,)`` (0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
        7 Sneaker, 8 Bag, 9 Ankle boot).
    """
    paths = []
    for name in FILES:
        local = os.path.join(DEBIAN_FOLDER, name)
        if os.path.exists(local):
            paths.append(local)
        else:
            # Keras publishes no checksum for these files; the IDX headers are checked.
            folder = os.path.join("datasets", "fashion-mnist")
            paths.append(get_file(name, origin=ORIGIN + name, cache_subdir=folder))
    y_train, x_train, y_test, x_test = (read_idx(p) for p in paths)
    for images, labels in ((x_train, y_train), (x_test, y_test)):
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(
                f"Fashion-MNIST files hold images {images.shape} and labels {labels.shape}; "
                "expected (n, 28, 28) and (n,)."
            )
    return (x_train, y_train), (x_test, y_test)
