"""Argument checks, output-size rules and input checks shared by convolution and pooling layers."""

_AXIS_NAMES = {1: "steps", 2: "height, width", 3: "depth, height, width"}


def standardize_tuple(value, n, name, allow_zero=False):
    """``value`` (an int or ``n`` ints) as a tuple of ``n`` ints, each positive (or ``>= 0``
    with ``allow_zero``); a ValueError naming the argument otherwise."""
    message = f"The `{name}` argument must be an int or a tuple of {n} ints. Received {name}="
    if isinstance(value, int) and not isinstance(value, bool):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message + repr(value)) from None
        if len(values) != n or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            raise ValueError(message + repr(value))
    low = 0 if allow_zero else 1
    if any(v < low for v in values):
        raise ValueError(
            f"{message}{value!r}: every value must be {'>= 0' if allow_zero else '> 0'}."
        )
    return values


def standardize_padding(value, allow_causal=False):
    """``value`` lower-cased and checked: ``"valid"``, ``"same"`` (or ``"causal"``)."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {allowed}. Received: padding={value!r}"
        )
    return padding


def conv_output_length(size, window, padding, stride, dilation=1):
    """The output size of one axis of a convolution or pooling (None stays None)."""
    if size is None:
        return None
    if padding in ("same", "causal"):
        return (size + stride - 1) // stride
    return (size - ((window - 1) * dilation + 1)) // stride + 1


def deconv_output_length(size, window, padding, output_padding, stride, dilation=1):
    """The output size of one axis of a transposed convolution, as Keras computes it."""
    if size is None:
        return None
    extent = (window - 1) * dilation + 1
    if padding == "valid":
        extra = max(extent, stride) - extent if output_padding is None else output_padding
        return (size - 1) * stride + extent + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + extent % 2 + output_padding


def layout(rank, data_format):
    """A description of the expected input, e.g. ``"(batch, height, width, channels)"``."""
    spatial = _AXIS_NAMES[rank]
    if data_format == "channels_last":
        return f"(batch, {spatial}, channels)"
    return f"(batch, channels, {spatial})"


def spatial_axes(rank, data_format):
    """The indices of the spatial axes of a ``rank``-D input."""
    return (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )


def check_input_shape(layer, shape, rank, data_format, channels=None, windows=None):
    """Raises a ValueError naming ``layer`` when ``shape`` is not a ``rank``-D input in
    ``data_format`` with ``channels`` channels (when given) whose spatial axes are at least
    as large as the ``windows`` (``[(size, dilation), ...]``, for 'valid' padding)."""
    shape = tuple(shape)
    kind = type(layer).__name__
    expected_layout = layout(rank, data_format)
    if len(shape) != rank + 2:
        hint = ""
        if len(shape) == rank + 1:
            hint = (
                " If this is one example, add a batch axis (e.g. `x[None]`); if the channel "
                "axis is missing (e.g. grayscale images), add it (e.g. `x[..., None]` for "
                "channels_last)."
            )
        raise ValueError(
            f"Layer '{layer.name}' ({kind}) expects a {rank + 2}-D input {expected_layout} "
            f"with data_format='{data_format}', but received an input of shape {shape} "
            f"({len(shape)}-D).{hint}"
        )
    axis = -1 if data_format == "channels_last" else 1
    if channels is not None and shape[axis] is not None and shape[axis] != channels:
        expected = [None] * (rank + 2)
        expected[axis] = channels
        other_axis = 1 if axis == -1 else -1
        other = "channels_first" if axis == -1 else "channels_last"
        hint = (
            f" The input looks {other} (axis {other_axis} has {channels}): if your data is "
            f"{other}, pass data_format='{other}' to the layer (or transpose the data)."
            if shape[other_axis] == channels
            else ""
        )
        raise ValueError(
            f"Layer '{layer.name}' ({kind}) was built for inputs with {channels} channels on "
            f"axis {axis} (data_format='{data_format}'): expected shape {tuple(expected)}, "
            f"but received an input of shape {shape} with {shape[axis]} channels.{hint}"
        )
    if windows is not None:
        for axis, (window, dilation) in zip(spatial_axes(rank, data_format), windows):
            extent = (window - 1) * dilation + 1
            if shape[axis] is not None and shape[axis] < extent:
                raise ValueError(
                    f"Layer '{layer.name}' ({kind}): the input of shape {shape} is too small "
                    f"on axis {axis} ({shape[axis]}) for a window of {extent} "
                    f"(size {window}, dilation {dilation}) with padding='valid'. Use larger "
                    "inputs, a smaller window or padding='same'."
                )


def check_once_per_shape(seen_shapes, shape, check):
    """Calls ``check(shape)`` for a shape not in the set ``seen_shapes`` and remembers it (a
    set lookup afterwards; the set is emptied past 64 shapes). Shapes with symbolic sizes (as
    ``torch.export`` traces them) cannot be remembered and are checked every time."""
    try:
        if shape in seen_shapes:
            return
    except (TypeError, RuntimeError):
        check(shape)
        return
    check(shape)
    if len(seen_shapes) > 64:
        seen_shapes.clear()
    seen_shapes.add(shape)
