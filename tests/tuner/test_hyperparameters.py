"""HyperParameters: declaring, defaults, sampling (against KerasTuner), conditional scopes,
config round trip, and the errors of a bad declaration."""

import numpy as np
import pytest

from cornu.tuner import HyperParameters


def test_declaring_returns_defaults_then_the_same_value():
    hp = HyperParameters()
    assert hp.Int("units", 8, 64, step=8) == 8
    assert hp.Float("lr", 1e-4, 1e-1, sampling="log") == pytest.approx(1e-4)
    assert hp.Choice("act", ["relu", "tanh"]) == "relu"
    assert hp.Boolean("dropout") is False
    assert hp.Fixed("batch", 32) == 32
    hp.values["units"] = 24
    assert hp.Int("units", 8, 64, step=8) == 24
    assert hp["units"] == 24 and hp.get("act") == "relu"
    assert [p.name for p in hp.space] == ["units", "lr", "act", "dropout", "batch"]


def test_sampling_matches_keras_tuner():
    kt = pytest.importorskip("keras_tuner")
    ours, theirs = HyperParameters(), kt.HyperParameters()
    for container in (ours, theirs):
        container.Int("units", 8, 64, step=8)
        container.Float("lr", 1e-4, 1e-1, sampling="log")
        container.Float("drop", 0.0, 0.5, step=0.1)
        container.Choice("act", ["relu", "tanh", "gelu"])
    for mine, reference in zip(ours.space, theirs.space):
        for prob in (0.0, 0.13, 0.5, 0.77, 0.999):
            assert mine.prob_to_value(prob) == pytest.approx(reference.prob_to_value(prob))
        assert (
            list(mine.values) == pytest.approx(list(reference.values))
            if hasattr(reference, "step") and reference.step
            else True
        )


def test_log_sampling_spreads_evenly_in_log_space():
    hp = HyperParameters()
    hp.Float("lr", 1e-5, 1e-1, sampling="log")
    rng = np.random.default_rng(0)
    draws = np.array([hp.space[0].random_sample(rng) for _ in range(4000)])
    assert draws.min() >= 1e-5 and draws.max() <= 1e-1
    fraction_below_1e3 = np.mean(draws < 1e-3)
    assert 0.45 < fraction_below_1e3 < 0.55  # half the decades, half the draws


def test_conditional_scope_activates_by_parent_value():
    hp = HyperParameters()
    kind = hp.Choice("kind", ["mlp", "cnn"])
    with hp.conditional_scope("kind", "cnn"):
        filters = hp.Int("filters", 4, 16, step=4)
    assert kind == "mlp" and filters is None
    assert not hp.is_active("filters")
    hp.values["kind"] = "cnn"
    assert hp.is_active("filters")
    assert hp.active_values() == {"kind": "cnn", "filters": 4}
    with hp.conditional_scope("kind", ["cnn"]):
        assert hp.Int("filters", 4, 16, step=4) == 4


def test_config_round_trip():
    hp = HyperParameters()
    hp.Int("units", 8, 64, step=8)
    with hp.conditional_scope("units", [16]):
        hp.Float("lr", 1e-4, 1e-1, sampling="log")
    hp.Boolean("b", default=True)
    hp.Fixed("f", "x")
    twin = HyperParameters.from_config(hp.get_config())
    assert twin.get_config() == hp.get_config()


def test_redefining_with_a_different_range_is_refused():
    hp = HyperParameters()
    hp.Int("units", 8, 64)
    with pytest.raises(ValueError, match="'units' is defined twice with different settings"):
        hp.Int("units", 8, 128)
    with pytest.raises(ValueError, match="defined twice"):
        hp.Choice("units", [8, 16])


@pytest.mark.parametrize(
    "declare, error, message",
    [
        (lambda hp: hp.Int("a", 5, 1), ValueError, r"`min_value` \(5\) must not exceed"),
        (lambda hp: hp.Int("a", 0.5, 3), ValueError, "`min_value` of Int must be an int"),
        (lambda hp: hp.Float("a", 0.0, 1.0, sampling="log"), ValueError, "needs `min_value` > 0"),
        (lambda hp: hp.Float("a", 0.1, 1.0, sampling="cubic"), ValueError, "`sampling` must be"),
        (lambda hp: hp.Choice("a", []), ValueError, "`values` must be provided"),
        (lambda hp: hp.Choice("a", [1, "x"]), TypeError, "one type of value"),
        (lambda hp: hp.Choice("a", [1, 2], default=3), ValueError, "should be one of the choices"),
        (lambda hp: hp.Fixed("a", [1]), ValueError, "`value` of Fixed must be"),
        (lambda hp: hp.conditional_scope("nope", [1]).__enter__(), ValueError, "nope not defined"),
    ],
)
def test_bad_declarations_name_the_hyperparameter(declare, error, message):
    with pytest.raises(error, match=message):
        declare(HyperParameters())


def test_unknown_name_lists_the_known_ones():
    hp = HyperParameters()
    hp.Int("units", 1, 2)
    with pytest.raises(KeyError, match="units"):
        hp.get("lr")
