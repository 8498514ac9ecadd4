"""Argument checks shared by the padding, cropping and upsampling layers."""

_ORDINALS = ("1st", "2nd", "3rd")


def standardize_tuple(value, n, name, allow_zero=False):
    """``value`` (an int or ``n`` ints) as a tuple of ``n`` ints, each positive (or
    non-negative with ``allow_zero``); ValueError naming the argument otherwise."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int) and not isinstance(value, bool):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            raise ValueError(message)
    bad = sorted({v for v in values if v < 0 or (v == 0 and not allow_zero)})
    if bad:
        requirement = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"{message}, including values {set(bad)} that do not satisfy `value {requirement}`"
        )
    return values


def standardize_pairs(value, n, name, layer):
    """``value`` for ``n`` spatial axes as ``n`` ``(before, after)`` pairs: an int (the same
    for every side), ``n`` ints (symmetric per axis) or ``n`` pairs."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value}.")
        return ((value, value),) * n
    if not hasattr(value, "__len__"):
        raise ValueError(
            f"{layer}: `{name}` should be either an int, a tuple of {n} ints or a tuple of {n} "
            f"tuples of 2 ints. Received: {name}={value}."
        )
    if len(value) != n:
        raise ValueError(f"`{name}` should have {n} elements. Received: {name}={value}.")
    return tuple(
        standardize_tuple(v, 2, f"{_ORDINALS[i]} entry of {name}", allow_zero=True)
        for i, v in enumerate(value)
    )
