"""The `resnet50` module of Keras's applications: ResNet50 and its preprocessing."""

from cornu.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
