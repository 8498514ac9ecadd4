"""InputSpec: what a layer accepts (rank, sizes of some axes), checked at every call."""


class InputSpec:
    """Describes the inputs a layer accepts.

    Args:
        dtype: the expected dtype, or None.
        shape: the full expected shape (None for any size), or None.
        ndim: the exact rank, or None.
        max_ndim: the largest accepted rank, or None.
        min_ndim: the smallest accepted rank, or None.
        axes: a dict ``{axis: size}`` of axes whose size is fixed.
        allow_last_axis_squeeze: accept an input without a trailing axis of size 1.
        name: the expected input's name, or None.
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def __repr__(self):
        fields = ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes")
        parts = [f"{f}={getattr(self, f)}" for f in fields if getattr(self, f)]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def assert_input_compatibility(specs, inputs, layer_name):
    """Raises a ValueError naming the layer when ``inputs`` do not match ``specs``."""
    if not isinstance(specs, (list, tuple)):
        specs = [specs]
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    if len(specs) > 1 and len(inputs) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(inputs)} input tensors."
        )
    for index, (spec, x) in enumerate(zip(specs, inputs)):
        if spec is None:
            continue
        shape = getattr(x, "shape", None)
        if shape is None:
            continue
        shape = tuple(shape)
        _check(spec, shape, index, layer_name)


def _check(spec, shape, index, layer_name):
    def fail(expected):
        raise ValueError(
            f'Input {index} of layer "{layer_name}" is incompatible with the layer: '
            f"{expected}, but received input with shape {shape}"
        )

    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        fail(f"expected ndim={spec.ndim}, found ndim={ndim}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        fail(f"expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        fail(f"expected min_ndim={spec.min_ndim}, found ndim={ndim}")
    for axis, size in spec.axes.items():
        if size is None:
            continue
        if axis >= ndim or axis < -ndim:
            fail(f"expected axis {axis} of input shape to exist")
        if shape[axis] is not None and shape[axis] != size:
            fail(f"expected axis {axis} of input shape to have value {size}")
    if spec.shape is not None:
        for expected, actual in zip(spec.shape, shape):
            if expected is not None and actual is not None and expected != actual:
                fail(f"expected shape={spec.shape}")
