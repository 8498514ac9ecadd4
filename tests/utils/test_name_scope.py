"""cornu.name_scope: the paths of layers and weights built inside, as Keras gives them."""

import numpy as np
import pytest

import cornu


@pytest.fixture(autouse=True)
def _clean_session():
    yield
    cornu.utils.clear_session(free_memory=False)


def test_paths_of_layers_built_in_a_scope(keras):
    with cornu.name_scope("outer"):
        ours = cornu.layers.Dense(2, name="dense")
        ours(np.ones((1, 3), "float32"))
    with keras.name_scope("outer"):
        theirs = keras.layers.Dense(2, name="dense")
        theirs(np.ones((1, 3), "float32"))
    assert ours.path == theirs.path == "outer/dense"
    assert [w.path for w in ours.weights] == [w.path for w in theirs.weights]
    assert ours.kernel.path == "outer/dense/kernel"


def test_nested_scopes_and_paths_outside(keras):
    with cornu.name_scope("a"), cornu.name_scope("b"):
        layer = cornu.layers.Dense(1, name="d")
        layer(np.ones((1, 2), "float32"))
    assert layer.path == "a/b/d"
    plain = cornu.layers.Dense(1, name="p")
    assert plain.path is None  # as Keras: no path before it is built
    plain(np.ones((1, 2), "float32"))
    assert plain.path == "p" and plain.kernel.path == "p/kernel"
    with cornu.name_scope("x", override_parent="root/sub"):
        inner = cornu.layers.Dense(1, name="i")
        inner(np.ones((1, 2), "float32"))
    assert inner.path == "root/sub/x/i"


def test_deduplicated_scope_of_the_same_caller():
    from cornu.utils.name_scope import current_path

    owner = object()
    with cornu.name_scope("s", caller=owner):
        with cornu.name_scope("s", caller=owner):
            assert current_path() == "s"
        with cornu.name_scope("s", caller=object()):
            assert current_path() == "s/s"
    assert current_path() == ""


def test_bad_names():
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        cornu.name_scope("a/b")
    with pytest.raises(ValueError, match="must be a string"):
        cornu.name_scope(3)
