"""Readers of the CIFAR "binary version" archives: fixed-size records of label bytes followed
by a 32x32 RGB image, read straight out of the ``.tar.gz`` (nothing is unpickled or extracted)."""

import os
import tarfile

import numpy as np

from cornu import core
from cornu.utils.file_utils import get_file

IMAGE_BYTES = 3 * 32 * 32


def download(archive_name, origin, md5):
    """The cached path of ``archive_name``, downloaded once from ``origin`` and checked
    against its md5 before it is used."""
    return get_file(archive_name, origin=origin, file_hash=md5, hash_algorithm="md5")


def read_members(archive_path, names):
    """The bytes of each member of the tar archive whose file name (without folders) is in
    ``names``, as a dict; a missing member raises an error naming the archive."""
    found = {}
    with tarfile.open(archive_path, "r:*") as archive:
        for member in archive:
            base = os.path.basename(member.name)
            if member.isfile() and base in names and base not in found:
                found[base] = archive.extractfile(member).read()
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(
            f"The CIFAR archive {archive_path} lacks {missing}: it is not the binary version "
            "of the dataset. Delete it and load again to download it anew."
        )
    return found


def parse_records(data, label_bytes, num_classes, source):
    """Splits a binary CIFAR file into images ``(n, 3, 32, 32)`` and labels
    ``(n, label_bytes)``, both uint8, checking the record size and the label range."""
    record = label_bytes + IMAGE_BYTES
    if len(data) == 0 or len(data) % record:
        raise ValueError(
            f"CIFAR file {source} holds {len(data)} bytes, which is not a whole number of "
            f"{record}-byte records ({label_bytes} label byte(s) and a 3x32x32 image)."
        )
    records = np.frombuffer(data, dtype=np.uint8).reshape(-1, record)
    labels = records[:, :label_bytes]
    for column, limit in enumerate(num_classes):
        if labels[:, column].max() >= limit:
            raise ValueError(
                f"CIFAR file {source} has a label {int(labels[:, column].max())} in label byte "
                f"{column}; expected labels below {limit}."
            )
    images = records[:, label_bytes:].reshape(-1, 3, 32, 32)
    return images, labels


def to_data_format(images):
    """Images ``(n, 3, 32, 32)`` as ``image_data_format()`` wants them, as Keras returns them."""
    if core.image_data_format() == "channels_last":
        return images.transpose(0, 2, 3, 1)
    return images
