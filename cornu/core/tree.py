"""Nested structures (lists, tuples, dicts of leaves): flatten, map, pack."""


def is_nested(x):
    """True for lists, tuples and dicts."""
    return isinstance(x, (list, tuple, dict))


def flatten(structure):
    """The leaves of ``structure`` in order (dicts in sorted-key order, like Keras)."""
    if isinstance(structure, dict):
        out = []
        for key in sorted(structure):
            out.extend(flatten(structure[key]))
        return out
    if isinstance(structure, (list, tuple)):
        out = []
        for item in structure:
            out.extend(flatten(item))
        return out
    return [structure]


def map_structure(fn, structure):
    """Applies ``fn`` to every leaf, keeping the nesting."""
    if isinstance(structure, dict):
        return type(structure)((k, map_structure(fn, v)) for k, v in structure.items())
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*(map_structure(fn, v) for v in structure))
    if isinstance(structure, list):
        return [map_structure(fn, v) for v in structure]
    if isinstance(structure, tuple):
        return type(structure)(map_structure(fn, v) for v in structure)
    return fn(structure)


def pack_sequence_as(structure, flat):
    """Rebuilds ``structure`` with the leaves taken in order from ``flat``."""
    it = iter(flat)

    def rebuild(s):
        if isinstance(s, dict):
            return type(s)((k, rebuild(s[k])) for k in sorted(s))
        if isinstance(s, list):
            return [rebuild(v) for v in s]
        if isinstance(s, tuple):
            return type(s)(rebuild(v) for v in s)
        return next(it)

    return rebuild(structure)
