"""cornu.Function: a callable graph of layer calls, compared with keras.Function."""

import numpy as np
import pytest

import cornu


def _graph(lib):
    a = lib.Input((3,), name="a")
    hidden = lib.layers.Dense(2, name="h")(a)
    out = lib.layers.Dense(1, name="o")(hidden)
    return a, hidden, out


def test_runs_the_graph_as_keras(keras, oracle):
    a, hidden, out = _graph(cornu)
    ka, khidden, kout = _graph(keras)
    ours = cornu.Function(a, {"out": out, "hidden": hidden}, name="f")
    theirs = keras.Function(ka, {"out": kout, "hidden": khidden})
    for mine, their in zip(ours.operations[1:], theirs.operations[1:]):
        mine.set_weights([keras.ops.convert_to_numpy(w) for w in their.get_weights()])
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    oracle.values(ours(x), theirs(x), atol=1e-5)
    assert [op.name for op in ours.operations] == ["a", "h", "o"]
    assert ours.name == "f" and ours.inputs == [a] and ours.input is a
    assert ours.outputs == [hidden, out]  # flattened: dict values by sorted key


def test_symbolic_specs_and_shapes():
    a, hidden, out = _graph(cornu)
    f = cornu.Function(a, [out, hidden])
    specs = f.compute_output_spec(cornu.KerasTensor((5, 3)))
    assert [s.shape for s in specs] == [(5, 1), (5, 2)]
    assert f.compute_output_shape((7, 3)) == [(7, 1), (7, 2)]
    assert f.name == "function" and cornu.Function(a, out).name == "function_1"
    symbolic = f(cornu.Input((3,)))
    assert [s.shape for s in symbolic] == [(None, 1), (None, 2)]


def test_errors():
    a, _, out = _graph(cornu)
    f = cornu.Function(a, out, name="f")
    with pytest.raises(ValueError, match="Function 'f' was called with an invalid input"):
        f([np.ones((2, 3)), np.ones((2, 3))])
    with pytest.raises(ValueError, match="must be symbolic tensors"):
        cornu.Function(a, np.ones(3))
    with pytest.raises(ValueError, match="Graph disconnected"):
        cornu.Function(cornu.Input((3,)), out)
