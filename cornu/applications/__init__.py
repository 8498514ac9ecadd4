"""Keras's applications: ImageNet architectures with their weight files, `preprocess_input`
and `decode_predictions`, one module per family."""

from cornu.applications import imagenet_utils, resnet, resnet50, resnet_v2
from cornu.applications.resnet import ResNet50, ResNet101, ResNet152
from cornu.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2

__all__ = [
    "ResNet50",
    "ResNet101",
    "ResNet152",
    "ResNet50V2",
    "ResNet101V2",
    "ResNet152V2",
    "imagenet_utils",
    "resnet",
    "resnet50",
    "resnet_v2",
]
