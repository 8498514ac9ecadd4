"""Nested structures as Keras's ``keras.tree`` sees them.

The containers are ``list``, ``tuple``, namedtuples, ``dict``, ``collections.OrderedDict``,
``collections.defaultdict`` and ``collections.deque``, matched by their exact type (a subclass of
``list`` is a leaf, as in Keras). Everything else is a leaf, ``None`` included. Plain dicts
(and defaultdicts) give their values in sorted-key order; an OrderedDict gives its own order.
"""

import collections
import warnings

_SEQUENCE_TYPES = (list, tuple, collections.deque)
_MAPPING_TYPES = (dict, collections.OrderedDict, collections.defaultdict)


class MAP_TO_NONE:
    """Special value for use with `traverse()`: a function that returns it replaces the
    visited sub-structure with None."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(structure):
    """Checks if a given structure is nested.

    Args:
        structure: A structure to check.

    Returns:
        `True` if a given structure is nested, i.e. is a list, a tuple, a namedtuple, a deque or
        a dict (plain, ordered or default), and `False` otherwise.
    """
    kind = type(structure)
    return kind in _SEQUENCE_TYPES or kind in _MAPPING_TYPES or _is_namedtuple(structure)


def _keys(structure):
    """The keys of a mapping in the order its values are flattened."""
    if type(structure) is collections.OrderedDict:
        return list(structure.keys())
    return sorted(structure.keys())


def _children(structure):
    """``(keys, values)`` of one container level, in flattening order."""
    if type(structure) in _MAPPING_TYPES:
        keys = _keys(structure)
        return keys, [structure[k] for k in keys]
    return list(range(len(structure))), list(structure)


def _rebuild(structure, values, keys=None):
    """A container of the same type as ``structure`` holding ``values`` (in flattening
    order); mappings keep the key order of ``structure``."""
    kind = type(structure)
    if kind in _MAPPING_TYPES:
        by_key = dict(zip(keys if keys is not None else _keys(structure), values))
        items = [(k, by_key[k]) for k in structure]
        if kind is collections.defaultdict:
            return collections.defaultdict(structure.default_factory, items)
        return kind(items)
    if _is_namedtuple(structure):
        return kind(*values)
    if kind is collections.deque:
        return collections.deque(values, maxlen=structure.maxlen)
    return kind(values)


def _describe(structure):
    kind = type(structure)
    if kind in _MAPPING_TYPES:
        return f"{kind.__name__} with keys {sorted(structure, key=repr)}"
    if is_nested(structure):
        return f"{kind.__name__} of length {len(structure)}"
    return f"a leaf of type {kind.__name__}"


def _same_node(a, b):
    """Whether ``a`` and ``b`` are the same kind of container level (dict kinds all match)."""
    if type(a) in _MAPPING_TYPES and type(b) in _MAPPING_TYPES:
        return set(a.keys()) == set(b.keys())
    return type(a) is type(b) and len(a) == len(b)


def _mismatch(a, b, path):
    where = f" at path {path}" if path else ""
    return ValueError(
        "The two structures don't have the same nested structure"
        f"{where}: {_describe(a)} vs {_describe(b)}.\n"
        f"First structure: {a!r}\nSecond structure: {b!r}"
    )


def traverse(func, structure, top_down=True):
    """Traverses a nested structure depth first, applying `func` to every sub-structure.

    Top down (the default), `func(subtree)` is called on a parent before its children: when it
    returns None the traversal goes on into the sub-tree, otherwise the sub-tree is replaced by
    its result and not visited. Bottom up, children are visited first and a result of None keeps
    the (traversed) sub-tree. Return `MAP_TO_NONE` to replace a sub-tree with None.

    Args:
        func: the function applied to each sub-structure.
        structure: the structure to traverse.
        top_down: whether parents are visited before their children.

    Returns:
        The structure with the replacements made.
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")

    def result(value):
        return None if value is MAP_TO_NONE else value

    def visit(node):
        if type(node) in (dict, collections.defaultdict):
            node = _rebuild_sorted(node)

        def children_done():
            if not is_nested(node):
                return node
            keys, values = _children(node)
            return _rebuild(node, [visit(v) for v in values], keys)

        if top_down:
            ret = func(node)
            if ret is None:
                return children_done()
            return result(ret)
        done = children_done()
        ret = func(done)
        if ret is None:
            return done
        return result(ret)

    return visit(structure)


def _rebuild_sorted(mapping):
    items = [(k, mapping[k]) for k in sorted(mapping)]
    if type(mapping) is collections.defaultdict:
        return collections.defaultdict(mapping.default_factory, items)
    return dict(items)


def flatten(structure):
    """Flattens a possibly nested structure into a list of its leaves.

    Dict values come in sorted-key order (an `OrderedDict` in its own order), the order
    `pack_sequence_as` expects. A leaf gives a one-element list (`flatten(None) == [None]`).

    Args:
        structure: an arbitrarily nested structure.

    Returns:
        A list, the flattened version of the input `structure`.
    """
    leaves = []

    def walk(node):
        if is_nested(node):
            for value in _children(node)[1]:
                walk(value)
        else:
            leaves.append(node)

    walk(structure)
    return leaves


def flatten_with_path(structure):
    """Flattens a possibly nested structure into a list of `(path, leaf)` pairs.

    A path is a tuple of sequence indices and dict keys that locates its leaf; namedtuples use
    the field index.

    Args:
        structure: an arbitrarily nested structure.

    Returns:
        A list of `(path, item)` pairs, in the order of `flatten`.
    """
    pairs = []

    def walk(node, path):
        if is_nested(node):
            keys, values = _children(node)
            for key, value in zip(keys, values):
                walk(value, path + (key,))
        else:
            pairs.append((path, node))

    walk(structure, ())
    return pairs


def _check_func(func, structures):
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")
    if not structures:
        raise ValueError("Must provide at least one structure")


def map_structure(func, *structures, none_is_leaf=True):
    """Maps `func` through given structures, leaf by leaf.

    Args:
        func: a callable that accepts as many arguments as there are structures.
        *structures: arbitrarily nested structures of the same layout.
        none_is_leaf: if True, `func` is called on `None` leaves. If False, `None` leaves are
            returned as they are (and must be None in every structure).

    Returns:
        A new structure with the layout of the first structure.

    Raises:
        TypeError: if `func` is not callable.
        ValueError: if `structures` is empty or the structures don't match.
    """
    _check_func(func, structures)

    def apply(*leaves):
        if not none_is_leaf and leaves[0] is None:
            if not all(leaf is None for leaf in leaves):
                raise ValueError(
                    "Structure mismatch: some arguments are None, others are not. "
                    f"Received arguments: {leaves}."
                )
            return None
        return func(*leaves)

    def walk(nodes, path):
        first = nodes[0]
        if not is_nested(first):
            return apply(*nodes)
        for other in nodes[1:]:
            if not _same_node(first, other):
                raise _mismatch(first, other, path)
        keys, _ = _children(first)
        if type(first) in _MAPPING_TYPES:
            columns = [[node[k] for node in nodes] for k in keys]
        else:
            columns = [[node[i] for node in nodes] for i in keys]
        values = [walk(column, path + (k,)) for k, column in zip(keys, columns)]
        return _rebuild(first, values, keys)

    return walk(list(structures), ())


def map_structure_up_to(shallow_structure, func, *structures):
    """Maps `func` through given structures down to the leaves of `shallow_structure`.

    The structures may nest deeper than `shallow_structure`: what lies below one of its leaves
    is passed to `func` whole.

    Args:
        shallow_structure: a structure with the layout common to all `structures`.
        func: a callable that accepts as many arguments as there are structures.
        *structures: arbitrarily nested structures.

    Returns:
        A new structure with the layout of `shallow_structure`.

    Raises:
        ValueError: if a structure is shallower than `shallow_structure` or differs from it.
    """
    _check_func(func, structures)

    def walk(shallow, nodes, path):
        if not is_nested(shallow):
            return func(*nodes)
        for node in nodes:
            if not _same_node(shallow, node):
                raise _mismatch(shallow, node, path)
        keys, shallow_values = _children(shallow)
        values = [
            walk(value, [node[k] for node in nodes], path + (k,))
            for k, value in zip(keys, shallow_values)
        ]
        return _rebuild(shallow, values, keys)

    return walk(shallow_structure, list(structures), ())


def assert_same_structure(a, b, check_types=None):
    """Asserts that two structures are nested in the same way.

    At each level the containers must be of the same type and size; `dict`, `OrderedDict` and
    `defaultdict` match each other when they have the same keys, but `list`, `tuple`,
    namedtuples and `deque` do not (use `assert_same_paths` for that looser check).

    Args:
        a: an arbitrarily nested structure.
        b: an arbitrarily nested structure.
        check_types: deprecated, has no effect.

    Raises:
        ValueError: if the two structures `a` and `b` don't match.
    """
    if check_types is not None:
        warnings.warn(
            "The `check_types` argument is deprecated and no longer has any effect, "
            "please remove. For a looser check, use `keras.tree.assert_same_paths()`.",
            DeprecationWarning,
            stacklevel=2,
        )

    def walk(x, y, path):
        if not is_nested(x) and not is_nested(y):
            return
        if not is_nested(x) or not is_nested(y) or not _same_node(x, y):
            raise _mismatch(x, y, path)
        keys, values = _children(x)
        for key, value in zip(keys, values):
            walk(value, y[key], path + (key,))

    walk(a, b, ())


def assert_same_paths(a, b):
    """Asserts that two structures have the same paths to their leaves, whatever their
    container types (a list matches a tuple or a namedtuple of the same length).

    Args:
        a: an arbitrarily nested structure.
        b: an arbitrarily nested structure.

    Raises:
        ValueError: if the paths differ; the message lists the paths missing on each side.
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


def pack_sequence_as(structure, flat_sequence):
    """Packs a flat sequence of leaves into the layout of `structure`.

    Leaves are taken in the order `flatten` gives them (dict values by sorted key, an
    `OrderedDict` in its own order). A leaf `structure` takes a one-element sequence.

    Args:
        structure: an arbitrarily nested structure.
        flat_sequence: the leaves to pack.

    Returns:
        `flat_sequence` arranged in the nested layout of `structure`.

    Raises:
        TypeError: if `flat_sequence` is not a sequence.
        ValueError: if `flat_sequence` has too few or too many elements.
    """
    try:
        flat_sequence = list(flat_sequence)
    except TypeError:
        raise TypeError(
            "`flat_sequence` must be a sequence (a list or a tuple). "
            f"Received: flat_sequence={flat_sequence!r}"
        ) from None
    expected = len(flatten(structure))
    if len(flat_sequence) != expected:
        raise ValueError(
            f"`flat_sequence` has {len(flat_sequence)} elements but `structure` holds "
            f"{expected} leaves. Received: structure={structure!r}, "
            f"flat_sequence={flat_sequence!r}"
        )
    position = iter(flat_sequence)

    def build(node):
        if not is_nested(node):
            return next(position)
        keys, values = _children(node)
        return _rebuild(node, [build(v) for v in values], keys)

    return build(structure)


def lists_to_tuples(structure):
    """Returns the structure with every list changed to a tuple.

    Args:
        structure: an arbitrarily nested structure.
    """

    def to_tuple(node):
        return tuple(node) if type(node) is list else None

    return traverse(to_tuple, structure, top_down=False)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in x)


def map_shape_structure(func, structure):
    """Like `map_structure`, but lists and tuples of ints and Nones (shapes) are leaves
    passed to `func` whole.

    Args:
        func: the function applied to each shape (and each other leaf).
        structure: an arbitrarily nested structure of shapes.

    Returns:
        The same structure with `func` applied to each shape.
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")

    def walk(node):
        if _is_shape(node) or not is_nested(node):
            return func(node)
        keys, values = _children(node)
        return _rebuild(node, [walk(v) for v in values], keys)

    return walk(structure)
