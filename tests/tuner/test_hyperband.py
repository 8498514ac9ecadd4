"""Hyperband: KerasTuner's bracket schedule, and continued trials resume from their parent's
weights for the remaining epochs."""

import pytest
from toys import regression_data, tiny_model

from cornu import tuner as kt


def schedule(trials):
    keys = ("tuner/epochs", "tuner/initial_epoch", "tuner/bracket", "tuner/round")
    return [tuple(t.hyperparameters.values[k] for k in keys) for t in trials]


def build(hp):
    return tiny_model(learning_rate=hp.Float("learning_rate", 1e-3, 1e-1, sampling="log"))


def test_hyperband_schedule_and_continued_training(tmp_path):
    x, y = regression_data()
    tuner = kt.Hyperband(
        build, objective="val_loss", max_epochs=9, factor=3, seed=0, directory=tmp_path
    )
    tuner.search(x, y, batch_size=16, validation_split=0.25, verbose=0)
    trials = [tuner.oracle.trials[i] for i in sorted(tuner.oracle.trials)]
    assert schedule(trials) == (
        [(1, 0, 2, 0)] * 9
        + [(3, 1, 2, 1)] * 3
        + [(9, 3, 2, 2)]
        + [(3, 0, 1, 0)] * 5
        + [(9, 3, 1, 1)] * 2
        + [(9, 0, 0, 0)] * 3
    )
    round_zero, continued = trials[13:18], trials[18]
    parent = min(round_zero, key=lambda t: t.score)
    assert continued.hyperparameters["tuner/trial_id"] == parent.trial_id
    assert continued.hyperparameters["learning_rate"] == parent.hyperparameters["learning_rate"]
    assert len(continued.metrics["val_loss"]) == 6  # epochs 4 to 9 only
    assert continued.metrics["val_loss"][0] < parent.score * 1.5  # started from its weights
    assert all(len(t.metrics["val_loss"]) == 9 for t in trials[20:])
    assert tuner.get_best_models(1)[0].predict(x[:2], verbose=0).shape == (2, 1)


def drive(oracle, completed_trial):
    """Runs an oracle by hand: each trial scores its learning rate."""
    trials = []
    while True:
        trial = oracle.create_trial("tuner0")
        if trial.status == "STOPPED":
            return trials
        trial.score = trial.hyperparameters["lr"]
        completed_trial(trial)
        trials.append(trial)


@pytest.mark.parametrize("max_epochs, factor, iterations", [(9, 3, 1), (27, 3, 2), (8, 2, 1)])
def test_hyperband_schedule_matches_keras_tuner(tmp_path, max_epochs, factor, iterations):
    keras_tuner = pytest.importorskip("keras_tuner")
    theirs = keras_tuner.oracles.HyperbandOracle(
        objective=keras_tuner.Objective("score", "min"),
        max_epochs=max_epochs,
        factor=factor,
        hyperband_iterations=iterations,
        seed=0,
    )
    theirs.hyperparameters.Float("lr", 1e-3, 1e-1, sampling="log")
    theirs._set_project_dir(str(tmp_path), "theirs")

    def their_end(trial):
        theirs.update_trial(trial.trial_id, {"score": trial.score})
        trial.status = "COMPLETED"
        theirs.end_trial(trial)

    ours = kt.HyperbandOracle(
        objective=kt.Objective("score", "min"),
        max_epochs=max_epochs,
        factor=factor,
        hyperband_iterations=iterations,
        seed=0,
    )
    ours.hyperparameters.Float("lr", 1e-3, 1e-1, sampling="log")

    def our_end(trial):
        trial.status = kt.TrialStatus.COMPLETED
        ours.end_trial(trial)

    reference = schedule(drive(theirs, their_end))
    assert schedule(drive(ours, our_end)) == reference
    assert len(reference) > 10


def test_hyperband_factor_is_checked():
    with pytest.raises(ValueError, match="factor needs to be a int larger than 1"):
        kt.Hyperband(build, max_epochs=3, factor=1)
