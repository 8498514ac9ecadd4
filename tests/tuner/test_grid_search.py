"""GridSearch: every combination once, in KerasTuner's order, conditional branches counted
once, and a warning when max_trials exceeds the grid."""

import pytest
from toys import ScoreModel

from cornu import tuner as kt


def declare(hp):
    hp.Int("a", 1, 3)
    hp.Choice("b", ["x", "y"])


def run_grid(tmp_path, declare, **kwargs):
    order = []
    hypermodel = ScoreModel(declare, lambda v: order.append(dict(v)) or 1.0)
    tuner = kt.GridSearch(
        hypermodel, objective=kt.Objective("score", "min"), directory=tmp_path, **kwargs
    )
    tuner.search(verbose=0)
    return tuner, [{k: v for k, v in o.items()} for o in order]


def test_grid_order_and_count(tmp_path):
    _, order = run_grid(tmp_path, declare)
    assert [(o["a"], o["b"]) for o in order] == [
        (1, "x"),
        (1, "y"),
        (2, "x"),
        (2, "y"),
        (3, "x"),
        (3, "y"),
    ]


def test_grid_starts_each_walk_at_the_default(tmp_path):
    def with_default(hp):
        hp.Choice("b", ["x", "y", "z"], default="y")
        hp.Boolean("c")

    _, order = run_grid(tmp_path, with_default)
    assert [(o["b"], o["c"]) for o in order] == [
        ("y", False),
        ("y", True),
        ("x", False),
        ("x", True),
        ("z", False),
        ("z", True),
    ]


def test_grid_order_matches_keras_tuner(tmp_path, keras):
    keras_tuner = pytest.importorskip("keras_tuner")
    _, ours = run_grid(tmp_path / "ours", declare)

    theirs = []

    class Theirs(keras_tuner.HyperModel):
        def build(self, hp):
            declare(hp)
            return keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])

        def fit(self, hp, model, *args, **kwargs):
            theirs.append((hp["a"], hp["b"]))
            return 1.0

    tuner = keras_tuner.GridSearch(
        Theirs(), objective=keras_tuner.Objective("score", "min"), directory=tmp_path / "theirs"
    )
    tuner.search(verbose=0)
    assert [(o["a"], o["b"]) for o in ours] == theirs


def test_grid_runs_each_conditional_branch_once(tmp_path):
    def conditional(hp):
        kind = hp.Choice("kind", ["small", "big"])
        if kind == "big":
            with hp.conditional_scope("kind", "big"):
                hp.Int("layers", 1, 2)

    _, order = run_grid(tmp_path, conditional)
    assert [(o["kind"], o.get("layers") if o["kind"] == "big" else None) for o in order] == [
        ("small", None),
        ("big", 1),
        ("big", 2),
    ]


def test_max_trials_larger_than_the_grid_warns_and_stops_at_the_grid(tmp_path):
    with pytest.warns(UserWarning, match=r"max_trials=20 is larger than the grid, which has 6"):
        tuner, order = run_grid(tmp_path, declare, max_trials=20)
    assert len(order) == 6


def test_max_trials_smaller_than_the_grid_cuts_it(tmp_path):
    _, order = run_grid(tmp_path, declare, max_trials=4)
    assert len(order) == 4
