"""InputLayer and ``Input()``: the entry points of a Functional model."""

from cornu import core
from cornu.core import KerasTensor
from cornu.layers.layer import Layer
from cornu.layers.node import Node


class InputLayer(Layer):
    """The layer behind ``Input()``: holds the symbolic input tensor of a model.

    Args:
        shape: the input's shape without the batch axis, e.g. ``(784,)``.
        batch_size: an optional fixed batch size.
        dtype: the input's dtype, ``floatx()`` when None.
        batch_shape: the full shape including the batch axis (instead of ``shape``).
        input_tensor: an existing KerasTensor to use as the input.
        name: the layer's name.
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        shape = kwargs.pop("input_shape", shape)
        batch_shape = kwargs.pop("batch_input_shape", batch_shape)
        kwargs.pop("ragged", None)
        super().__init__(name=name or core.auto_name("InputLayer"), dtype=dtype, **kwargs)
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(
                    f"InputLayer '{self.name}': `input_tensor` must be a KerasTensor. "
                    f"Received: {input_tensor!r}"
                )
            batch_shape = input_tensor.shape
        if shape is not None and batch_shape is not None:
            raise ValueError(
                f"InputLayer '{self.name}': pass either `shape` or `batch_shape`, not both."
            )
        if batch_shape is None:
            if shape is None:
                raise ValueError(
                    f"InputLayer '{self.name}' needs a `shape` (or `batch_shape`). "
                    "Example: `Input(shape=(784,))`."
                )
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        tensor = input_tensor or KerasTensor(self._batch_shape, dtype=self.dtype, name=self.name)
        Node(self, (), {}, tensor)
        self._output_tensor = tensor

    @property
    def batch_shape(self):
        return self._batch_shape

    def call(self, inputs=None):
        return inputs

    def get_config(self):
        return {
            "batch_shape": self._batch_shape,
            "dtype": self.dtype,
            "sparse": self.sparse,
            "optional": self.optional,
            "name": self.name,
        }


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
):
    """A symbolic input of a Functional model.

    Args:
        shape: the shape without the batch axis, e.g. ``(784,)`` (None for unknown sizes).
        batch_size: an optional fixed batch size.
        dtype: the dtype, ``floatx()`` when None.
        batch_shape: the full shape including the batch axis (instead of ``shape``).
        name: the input's name.

    Returns:
        A KerasTensor of shape ``(batch_size,) + shape``.
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        input_tensor=tensor,
        optional=optional,
        name=name,
    )
    return layer._output_tensor
