"""Argument checks shared by the augmentation layers that draw a value from a range."""


def parse_range(layer_name, argument, value, bounds=(0, 1)):
    """``(lower, upper)`` from a number ``v`` (``(max(-v, low), v)``) or a pair, as Keras's
    image layers read their ``scale``/``sigma`` arguments; a ValueError naming the layer and
    the argument unless the values fit in ``bounds``."""
    low, high = bounds
    message = (
        f"{layer_name}: the `{argument}` argument should be a number (or a list of two "
        f"numbers) in the range [{low}, {high}]. Received: {argument}={value}"
    )
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or value[0] > high or value[1] < low:
            raise ValueError(message)
        lower, upper = sorted(value)
        return lower, upper
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(message)
    if not low <= value <= high:
        raise ValueError(message)
    return max(-abs(value), low), abs(value)


def validate_value_range(value_range, layer_name):
    """``value_range`` (returned unchanged) when it is a list or tuple of two numbers; a
    ValueError naming the layer otherwise."""
    if (
        not isinstance(value_range, (tuple, list))
        or len(value_range) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value_range)
    ):
        raise ValueError(
            f"{layer_name}: the `value_range` argument should be a list of two numbers. "
            f"Received: value_range={value_range!r}"
        )
    return value_range


def check_choice(layer_name, argument, value, choices):
    """A NotImplementedError naming the layer and the argument unless ``value`` is one of
    ``choices``."""
    if value not in choices:
        raise NotImplementedError(
            f"{layer_name}: unknown `{argument}` {value!r}. Expected one of {choices}."
        )
