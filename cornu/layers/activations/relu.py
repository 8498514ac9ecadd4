"""ReLU: the rectified linear unit as a layer, with a cap, a leak and a threshold."""

from cornu import activations
from cornu.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit.

    ``f(x) = max_value`` for ``x >= max_value``, ``x`` for ``threshold <= x < max_value``,
    and ``negative_slope * (x - threshold)`` otherwise.

    Args:
        max_value: float >= 0, the largest output; None means no cap.
        negative_slope: float >= 0, the slope below the threshold (0.0).
        threshold: float >= 0, the value below which units are leaked (0.0).

    Input and output shapes are the same.
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f"ReLU '{self.name}': `max_value` cannot be negative. Received: "
                f"max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                f"ReLU '{self.name}': `negative_slope` must be a float >= 0, not None or "
                f"negative. Received: negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                f"ReLU '{self.name}': `threshold` must be a float >= 0, not None or "
                f"negative. Received: threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "max_value": self.max_value,
                "negative_slope": self.negative_slope,
                "threshold": self.threshold,
            }
        )
        return config
