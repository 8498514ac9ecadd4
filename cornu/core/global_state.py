"""Process-wide counters shared by layers and trainers."""

_WEIGHTS_VERSION = [0]


def weights_version():
    """A number that changes whenever a layer gains a weight or a layer's ``trainable`` flips,
    so trainers can cache their lists of weights."""
    return _WEIGHTS_VERSION[0]


def bump_weights_version():
    """Marks every cached list of weights as stale."""
    _WEIGHTS_VERSION[0] += 1


class AllocationRefused(ValueError):
    """A variable larger than what the current allocation budget allows (see
    ``allocation_budget``)."""


_BUDGET = []  # a stack of [remaining elements, what justifies them]


class allocation_budget:
    """``with allocation_budget(n, reason):`` lets the variables created inside allocate at
    most ``n`` elements in all; a larger one raises ``AllocationRefused`` before anything is
    allocated. Loading uses it so that a config cannot claim more memory than its weights
    file justifies."""

    def __init__(self, elements, reason):
        self._entry = [int(elements), reason]

    def __enter__(self):
        _BUDGET.append(self._entry)
        return self

    def __exit__(self, *exc):
        _BUDGET.remove(self._entry)


def charge_allocation(shape, name):
    """Takes ``prod(shape)`` elements from the innermost budget (no-op outside one)."""
    if not _BUDGET:
        return
    elements = 1
    for dim in shape:
        elements *= int(dim)
    entry = _BUDGET[-1]
    if elements > entry[0]:
        raise AllocationRefused(
            f"variable {name!r} of shape {tuple(shape)} ({elements} elements) exceeds what "
            f"{entry[1]} justifies ({max(entry[0], 0)} elements left)."
        )
    entry[0] -= elements
