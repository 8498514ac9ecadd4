"""cornu.tree against keras.tree: the same nested structures give the same results."""

import collections

import numpy as np
import pytest

from cornu import tree

Point = collections.namedtuple("Point", ["x", "y"])
OtherPoint = collections.namedtuple("OtherPoint", ["x", "y"])

STRUCTURES = [
    1,
    None,
    "text",
    np.zeros(3),
    [],
    {},
    (1,),
    [[1]],
    [[1, 2, 3], [4, [5], [[6]]]],
    {100: "world!", 6: "Hello"},
    [{"b": [1, None], "a": 2}, (5, {"d": 3, "c": 4})],
    collections.OrderedDict([("b", 1), ("a", 2)]),
    Point(x=1, y={"b": 2, "a": 3}),
    [None, (None, 1), {"k": None}],
    collections.deque([1, [2, 3]]),
]


def _defaultdict():
    d = collections.defaultdict(list)
    d["b"] = 1
    d["a"] = [2, 3]
    return d


@pytest.mark.parametrize("structure", STRUCTURES + [_defaultdict()], ids=repr)
def test_flatten_is_nested_and_paths_match_keras(keras, structure):
    assert tree.is_nested(structure) == keras.tree.is_nested(structure)
    ours, theirs = tree.flatten(structure), keras.tree.flatten(structure)
    assert len(ours) == len(theirs)
    assert all(a is b for a, b in zip(ours, theirs))
    ours_paths = tree.flatten_with_path(structure)
    theirs_paths = keras.tree.flatten_with_path(structure)
    assert [p for p, _ in ours_paths] == [p for p, _ in theirs_paths]
    assert all(a is b for (_, a), (_, b) in zip(ours_paths, theirs_paths))


@pytest.mark.parametrize("structure", STRUCTURES + [_defaultdict()], ids=repr)
def test_pack_sequence_as_inverts_flatten_as_keras(keras, structure):
    leaves = list(range(len(tree.flatten(structure))))
    ours = tree.pack_sequence_as(structure, leaves)
    theirs = keras.tree.pack_sequence_as(structure, leaves)
    assert ours == theirs
    assert type(ours) is type(theirs)
    assert tree.flatten(ours) == leaves


def test_dicts_inside_dicts_are_sorted_too():
    # Keras's torch tree sorts a dict's keys only when no dict encloses it (its optree and
    # dm-tree versions and its docs sort every level); cornu sorts every level.
    structure = {"b": 1, "a": {"d": 2, "c": 3}}
    assert tree.flatten(structure) == [3, 2, 1]
    assert tree.flatten_with_path(structure) == [(("a", "c"), 3), (("a", "d"), 2), (("b",), 1)]
    assert tree.pack_sequence_as(structure, [30, 20, 10]) == {"b": 10, "a": {"d": 20, "c": 30}}


def test_pack_sequence_as_examples():
    structure = {"key3": {"c": ("alpha", "beta"), "a": "gamma"}, "key1": {"e": "v1", "d": "v2"}}
    packed = tree.pack_sequence_as(structure, ["val2", "val1", 3.0, 1.0, 2.0])
    assert packed == {"key3": {"c": (1.0, 2.0), "a": 3.0}, "key1": {"e": "val1", "d": "val2"}}
    assert list(packed) == ["key3", "key1"]
    ordered = collections.OrderedDict([("b", 0), ("a", 0)])
    assert list(tree.pack_sequence_as(ordered, [1, 2]).items()) == [("b", 1), ("a", 2)]
    assert tree.pack_sequence_as(None, [3]) == 3


def test_pack_sequence_as_errors():
    with pytest.raises(ValueError, match="has 1 elements but `structure` holds 2 leaves"):
        tree.pack_sequence_as([1, 2], [1])
    with pytest.raises(TypeError, match="`flat_sequence` must be a sequence"):
        tree.pack_sequence_as([1], 5)


def test_map_structure_matches_keras(keras):
    cases = [
        ([[1], [2], [3]],),
        ([[1], [2], [3]], [[1], [2], [3]]),
        (Point(1, 2),),
        ({"b": 1, "a": [2, 3]}, collections.OrderedDict([("a", [4, 5]), ("b", 6)])),
        (_defaultdict(),),
        (5,),
    ]
    for structures in cases:
        ours = tree.map_structure(lambda *v: sum(v) if isinstance(v[0], int) else v, *structures)
        theirs = keras.tree.map_structure(
            lambda *v: sum(v) if isinstance(v[0], int) else v, *structures
        )
        assert ours == theirs and type(ours) is type(theirs)
    assert tree.map_structure(lambda v: 0, [None, 1]) == [0, 0]
    assert tree.map_structure(lambda v: 0, [None, 1], none_is_leaf=False) == [None, 0]
    assert tree.map_structure(lambda v: 0, None, none_is_leaf=False) is None
    assert list(tree.map_structure(lambda v: v, {"b": 1, "a": 2})) == ["b", "a"]


def test_map_structure_errors():
    with pytest.raises(ValueError, match="at least one structure"):
        tree.map_structure(lambda x: x)
    with pytest.raises(TypeError, match="`func` must be callable"):
        tree.map_structure(None, [1])
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tree.map_structure(lambda a, b: a, [1, 2], [1])
    with pytest.raises(ValueError, match="some arguments are None"):
        tree.map_structure(lambda a, b: a, [None], [1], none_is_leaf=False)


def test_map_structure_up_to_matches_keras(keras):
    structure = [[1, 1], [2, 2]]
    cases = (([None, None], len, [2, 2]), ([None, [None, None]], str, ["[1, 1]", ["2", "2"]]))
    for shallow, func, expected in cases:
        assert tree.map_structure_up_to(shallow, func, structure) == expected
        # Keras's optree version (the one Keras-JAX uses) refuses a shallow structure that
        # stops above the leaves, so only Keras on torch is asked.
        if keras.backend.backend() == "torch":
            assert keras.tree.map_structure_up_to(shallow, func, structure) == expected
    assert tree.map_structure_up_to(
        {"a": 0, "b": 0}, lambda x, y: x + y, {"a": 1, "b": 2}, {"a": 3, "b": 4}
    ) == {"a": 4, "b": 6}
    with pytest.raises(ValueError, match="same nested structure"):
        tree.map_structure_up_to([None, [None, None]], str, [[1, 1], 2])


def test_assert_same_structure_as_keras(keras):
    tree.assert_same_structure([(0, 1)], [(2, 3)])
    tree.assert_same_structure(Point(0, 1), Point(2, 3))
    tree.assert_same_structure({"a": 1}, collections.OrderedDict(a=1))
    mismatches = [
        ([1, 2], (1, 2)),
        ([1, 2], [1, [2]]),
        ([1, [2]], [1, 2]),
        (Point(0, 1), OtherPoint(2, 3)),
        (Point(0, 1), [2, 3]),
        ({"a": 1}, {"b": 1}),
        ([1, 2], [1, 2, 3]),
    ]
    for a, b in mismatches:
        with pytest.raises(ValueError):
            keras.tree.assert_same_structure(a, b)
        with pytest.raises(ValueError, match="don't have the same nested structure"):
            tree.assert_same_structure(a, b)
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)


def test_assert_same_paths():
    tree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths(Point(0, 1), OtherPoint(2, 3))
    with pytest.raises(ValueError, match=r"Paths in `b` missing in `a`:\n\{\(2,\)\}"):
        tree.assert_same_paths([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="Paths in `a` missing in `b`"):
        tree.assert_same_paths({"a": 1, "b": 2}, {"a": 1})


def test_traverse_matches_keras(keras):
    structure = [(1, 2), [3], {"b": 4, "a": 5}]
    for top_down in (True, False):
        ours, theirs = [], []
        assert tree.traverse(ours.append, structure, top_down=top_down) == (
            keras.tree.traverse(theirs.append, structure, top_down=top_down)
        )
        assert ours == theirs
    assert tree.traverse(lambda x: 7 if x == 2 else None, [1, [2, 3]]) == [1, [7, 3]]
    replaced = tree.traverse(lambda x: tree.MAP_TO_NONE if x == 2 else None, [1, [2, 3]], False)
    assert replaced == [1, [None, 3]]
    with pytest.raises(TypeError, match="callable"):
        tree.traverse(3, [1])


def test_lists_to_tuples_and_map_shape_structure(keras):
    structure = [1, [2, {"a": [3]}]]
    assert tree.lists_to_tuples(structure) == keras.tree.lists_to_tuples(structure)
    assert tree.lists_to_tuples(structure) == (1, (2, {"a": (3,)}))
    shapes = {"a": (None, 3), "b": [(1, 2), [4]], "c": ()}
    assert tree.map_shape_structure(len, shapes) == keras.tree.map_shape_structure(len, shapes)


def test_subclasses_of_containers_are_leaves(keras):
    class MyList(list):
        pass

    value = MyList([1, 2])
    assert tree.is_nested(value) is keras.tree.is_nested(value) is False
    assert tree.flatten([value])[0] is value
    assert not tree.is_nested({1, 2})
