"""TFSMLayer: a layer that calls a TensorFlow SavedModel."""

from cornu import backend
from cornu.layers.layer import Layer


class TFSMLayer(Layer):
    """Reloads a SavedModel (from ``model.export`` or TensorFlow) as a layer for inference or
    training.

    Args:
        filepath: the path of the SavedModel folder.
        call_endpoint: the endpoint called in inference (``"serve"``).
        call_training_endpoint: the endpoint called when ``training=True``, if any.
        trainable: whether the SavedModel's variables are trained.
        name: the layer's name.
        dtype: the layer's dtype.

    A SavedModel is a TensorFlow graph, so only the TensorFlow backend runs it; elsewhere the
    constructor raises NotImplementedError, as Keras does.
    """

    def __init__(
        self,
        filepath,
        call_endpoint="serve",
        call_training_endpoint=None,
        trainable=True,
        name=None,
        dtype=None,
    ):
        if backend.backend() != "tensorflow":
            raise NotImplementedError(
                "The TFSMLayer is only currently supported with the TensorFlow backend: it "
                "runs a TensorFlow SavedModel graph. Set CORNU_BACKEND=tensorflow before "
                f"importing cornu. Current backend: {backend.backend()}"
            )
        super().__init__(trainable=trainable, name=name, dtype=dtype)
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
