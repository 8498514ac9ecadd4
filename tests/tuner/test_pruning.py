"""Pruning: a planted bad trial is stopped early by the median rule; good ones run whole."""

import pytest
from toys import regression_data, tiny_model

from cornu import tuner as kt


def build(hp):
    mode = hp.Choice("mode", ["good_a", "good_b", "good_c", "bad"])
    if mode == "bad":  # starts far off and cannot learn
        return tiny_model(learning_rate=0.0, kernel_initializer="ones")
    return tiny_model(learning_rate={"good_a": 0.05, "good_b": 0.04, "good_c": 0.03}[mode])


def test_median_pruner_stops_the_planted_bad_trial(tmp_path):
    x, y = regression_data()
    pruner = kt.MedianPruner(n_startup_trials=3, n_warmup_steps=1)
    tuner = kt.GridSearch(build, objective="val_loss", pruner=pruner, directory=tmp_path)
    tuner.search(x, y, epochs=8, batch_size=8, validation_split=0.25, verbose=0)
    trials = {t.hyperparameters["mode"]: t for t in tuner.oracle.trials.values()}
    bad = trials["bad"]
    assert bad.status == kt.TrialStatus.PRUNED
    assert len(bad.metrics["val_loss"]) == 2  # stopped after the warm-up epoch
    assert "Pruned at epoch 2" in bad.message
    for mode in ("good_a", "good_b", "good_c"):
        assert trials[mode].status == kt.TrialStatus.COMPLETED
        assert len(trials[mode].metrics["val_loss"]) == 8
    assert tuner.get_best_hyperparameters()[0]["mode"] != "bad"


def test_no_pruning_before_the_startup_trials(tmp_path):
    x, y = regression_data()
    pruner = kt.MedianPruner(n_startup_trials=4)
    tuner = kt.GridSearch(build, objective="val_loss", pruner=pruner, directory=tmp_path)
    tuner.search(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0)
    assert all(t.status == kt.TrialStatus.COMPLETED for t in tuner.oracle.trials.values())


@pytest.mark.parametrize(
    "name, value", [("n_startup_trials", -1), ("interval_steps", 0), ("n_warmup_steps", 1.5)]
)
def test_pruner_arguments_are_checked(name, value):
    with pytest.raises(ValueError, match=f"MedianPruner: `{name}` must be an int"):
        kt.MedianPruner(**{name: value})
