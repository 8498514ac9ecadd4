"""Keras-style unique object names: ``dense``, ``dense_1``, ``dense_2``, ..."""

import re
import threading

_state = threading.local()


def _counts():
    if not hasattr(_state, "counts"):
        _state.counts = {}
    return _state.counts


def to_snake_case(name):
    """``"BatchNormalization"`` -> ``"batch_normalization"``, as Keras names layers."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def uniquify(base):
    """Returns ``base`` the first time it is asked for, then ``base_1``, ``base_2``, ..."""
    counts = _counts()
    n = counts.get(base, 0)
    counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def auto_name(cls_name):
    """A fresh unique name for an object of the class named ``cls_name``."""
    return uniquify(to_snake_case(cls_name))


def reset_names():
    """Forgets every name handed out, as ``clear_session()`` does."""
    _counts().clear()
