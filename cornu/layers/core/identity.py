"""Identity: a layer that returns its input."""

from cornu.layers.layer import Layer


class Identity(Layer):
    """Returns its input unchanged; useful as a placeholder in a model."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
