"""CIFAR-100: 32x32 colour images of 100 classes grouped in 20 superclasses."""

from cornu.datasets import cifar

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
ARCHIVE_MD5 = "03b5dce01913d631647c71ecec9e9cb8"


def load_data(label_mode="fine"):
    """Loads CIFAR-100: 50,000 training and 10,000 test images.

    The original "binary version" archive is downloaded once into ``~/.cornu/datasets/``,
    checked against its published md5, and read without unpickling anything.

    Args:
        label_mode: ``"fine"`` (the 100 classes) or ``"coarse"`` (the 20 superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(n, 32, 32, 3)`` (``(n, 3,
        32, 32)`` when ``image_data_format()`` is ``"channels_first"``) and int64 labels
        ``(n, 1)`` (as Keras returns them).
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.'
        )
    path = cifar.download("cifar-100-binary.tar.gz", ORIGIN, ARCHIVE_MD5)
    members = cifar.read_members(path, ("train.bin", "test.bin"))
    column = 1 if label_mode == "fine" else 0  # each record starts: coarse label, fine label
    splits = []
    for name in ("train.bin", "test.bin"):
        images, labels = cifar.parse_records(members[name], 2, (20, 100), name)
        # int64 labels, as Keras's loader returns them for CIFAR-100 (uint8 for CIFAR-10).
        splits.append(
            (cifar.to_data_format(images), labels[:, column : column + 1].astype("int64"))
        )
    return tuple(splits)
