"""Process-wide counters shared by layers and trainers."""

_WEIGHTS_VERSION = [0]


def weights_version():
    """A number that changes whenever a layer gains a weight or a layer's ``trainable`` flips,
    so trainers can cache their lists of weights."""
    return _WEIGHTS_VERSION[0]


def bump_weights_version():
    """Marks every cached list of weights as stale."""
    _WEIGHTS_VERSION[0] += 1
