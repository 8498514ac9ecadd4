"""Debugging caps on the number of epochs of `fit` and of steps per epoch of `fit`,
`evaluate` and `predict`. They start from ``$CORNU_MAX_EPOCHS`` and
``$CORNU_MAX_STEPS_PER_EPOCH`` (Keras reads ``KERAS_MAX_EPOCHS`` and
``KERAS_MAX_STEPS_PER_EPOCH``) and are not reset by ``clear_session()``."""

import os


def _from_environment(name):
    value = os.environ.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"${name} must be an integer. Received: {value!r}") from None


_LIMITS = {
    "max_epochs": _from_environment("CORNU_MAX_EPOCHS"),
    "max_steps_per_epoch": _from_environment("CORNU_MAX_STEPS_PER_EPOCH"),
}


def _checked(name, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"`{name}` must be a positive integer or None. Received: {name}={value!r}")
    return value


def set_max_epochs(max_epochs):
    """Limits the number of epochs of every call to `fit` (for quick debugging runs).

    Args:
        max_epochs: the integer limit on the number of epochs, or `None` for no limit.
    """
    _LIMITS["max_epochs"] = _checked("max_epochs", max_epochs)


def max_epochs():
    """The limit on the number of epochs of `fit` set by `set_max_epochs` (or
    ``$CORNU_MAX_EPOCHS``), `None` when there is none."""
    return _LIMITS["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Limits the number of steps of each epoch of `fit`, `evaluate` and `predict` (for quick
    debugging runs).

    Args:
        max_steps_per_epoch: the integer limit on the steps per epoch, or `None` for no limit.
    """
    _LIMITS["max_steps_per_epoch"] = _checked("max_steps_per_epoch", max_steps_per_epoch)


def max_steps_per_epoch():
    """The limit on the steps per epoch set by `set_max_steps_per_epoch` (or
    ``$CORNU_MAX_STEPS_PER_EPOCH``), `None` when there is none."""
    return _LIMITS["max_steps_per_epoch"]
