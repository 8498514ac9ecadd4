"""Dot: the dot product of two tensors along given axes, sample by sample."""

from cornu import core, ops
from cornu.layers.merging.base_merge import Merge

_LETTERS = "cdefghijklmnopqrstuvwxyz"


def batch_dot(x, y, axes):
    """``x`` and ``y`` contracted over ``axes = (axis_of_x, axis_of_y)``, for each sample; the
    result of two rank-2 inputs has shape ``(batch, 1)``."""
    x_axes = ["b"] + [_LETTERS[i] for i in range(x.ndim - 1)]
    y_axes = ["b"] + [_LETTERS[x.ndim - 1 + i] for i in range(y.ndim - 1)]
    y_axes[axes[1]] = x_axes[axes[0]]
    out_axes = [a for a in x_axes if a != x_axes[axes[0]]]
    out_axes += [a for a in y_axes[1:] if a != x_axes[axes[0]]]
    out = ops.einsum(f"{''.join(x_axes)},{''.join(y_axes)}->{''.join(out_axes)}", x, y)
    if out.ndim == 1:
        out = ops.expand_dims(out, -1)
    return out


class Dot(Merge):
    """The dot product of two tensors along ``axes`` (per sample).

    Args:
        axes: an int, or a pair ``(axis_of_first, axis_of_second)``; axis 0 is the batch
            axis.
        normalize: L2-normalize both inputs along the axes first (a cosine similarity).

    Inputs: ``[x1, x2]``; ``Dot(axes=1)`` on ``(batch, n)`` and ``(batch, n)`` gives
    ``(batch, 1)``.
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize

    def _resolved_axes(self, shapes):
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return [a % len(s) for a, s in zip(axes, shapes)]

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(
                f"A `Dot` layer should be called on a list of 2 inputs. Received: "
                f"input_shape={input_shape}"
            )
        a, b = self._resolved_axes(input_shape)
        first, second = input_shape
        if first[a] is not None and second[b] is not None and first[a] != second[b]:
            raise ValueError(
                f"Layer '{self.name}': incompatible input shapes: axis values {first[a]} (at "
                f"axis {a}) != {second[b]} (at axis {b}). Full input shapes: {first}, {second}"
            )
        self.built = True

    def call(self, inputs):
        x, y = inputs
        a, b = self._resolved_axes([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            x = _l2_normalize(x, a)
            y = _l2_normalize(y, b)
        return batch_dot(x, y, (a, b))

    def compute_output_shape(self, input_shape):
        first, second = (list(s) for s in input_shape)
        a, b = self._resolved_axes(input_shape)
        shape = first[:a] + first[a + 1 :] + second[1:b] + second[b + 1 :]
        if len(shape) == 1:
            shape.append(1)
        return tuple(shape)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _l2_normalize(x, axis):
    # Keras's rule: x * min(rsqrt(sum(x^2)), 1 / epsilon).
    inverse = 1.0 / ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return x * ops.clip(inverse, 0.0, 1.0 / core.epsilon())


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """``Dot(axes=axes, normalize=normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
