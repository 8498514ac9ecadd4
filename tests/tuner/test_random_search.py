"""RandomSearch finds the known best trial of a small task; the KerasTuner workflow
(search with fit arguments, results_summary, best hyperparameters and models, the best model
as .keras) works end to end."""

import os

import numpy as np
import pytest
from toys import ScoreModel, regression_data, tiny_model

import cornu
from cornu import tuner as kt


def build(hp):
    return tiny_model(learning_rate=hp.Choice("learning_rate", [0.0, 1e-4, 0.05]))


def test_random_search_finds_the_known_best_and_keeps_its_model(tmp_path, capsys):
    x, y = regression_data()
    tuner = kt.RandomSearch(
        build, objective="val_loss", max_trials=3, seed=1, directory=tmp_path, project_name="random"
    )
    tuner.search(x, y, epochs=8, batch_size=8, validation_split=0.25, verbose=0)
    assert len(tuner.oracle.trials) == 3
    assert {t.hyperparameters["learning_rate"] for t in tuner.oracle.trials.values()} == {
        0.0,
        1e-4,
        0.05,
    }
    best_hp = tuner.get_best_hyperparameters(1)[0]
    assert best_hp["learning_rate"] == 0.05
    best_trial = tuner.oracle.get_best_trials(1)[0]
    assert best_trial.score == min(best_trial.metrics["val_loss"])

    model = tuner.get_best_models(1)[0]
    val_x, val_y = x[36:], y[36:]
    val_loss = float(model.evaluate(val_x, val_y, verbose=0))
    assert val_loss == pytest.approx(best_trial.score, rel=1e-4)
    saved = cornu.saving.load_model(os.path.join(tmp_path, "random", "best_model.keras"))
    np.testing.assert_allclose(
        saved.predict(val_x, verbose=0), model.predict(val_x, verbose=0), rtol=1e-6
    )

    capsys.readouterr()
    tuner.results_summary(2)
    out = capsys.readouterr().out
    assert out.startswith("Results summary\nResults in ")
    assert 'Objective(name="val_loss", direction="min")' in out
    assert out.count("summary\nHyperparameters:") == 2
    assert "learning_rate: 0.05\nScore: " in out


def test_executions_per_trial_average_the_scores(tmp_path):
    runs = []

    def score(values):
        runs.append(values["a"])
        return {"val_loss": float(len(runs))}

    tuner = kt.RandomSearch(
        ScoreModel(lambda hp: hp.Int("a", 0, 9), score),
        max_trials=1,
        executions_per_trial=3,
        directory=tmp_path,
        seed=0,
    )
    tuner.search(verbose=0)
    assert len(runs) == 3
    assert tuner.oracle.get_best_trials()[0].score == pytest.approx(2.0)  # mean of 1, 2, 3


def test_random_search_never_repeats_and_stops_when_space_is_exhausted(tmp_path):
    seen = []
    hypermodel = ScoreModel(lambda hp: hp.Boolean("flag"), lambda v: seen.append(v["flag"]) or 1.0)
    tuner = kt.RandomSearch(
        hypermodel,
        objective=kt.Objective("score", "min"),
        max_trials=10,
        directory=tmp_path,
        seed=3,
    )
    tuner.search(verbose=0)
    assert sorted(seen) == [False, True]


def test_fit_arguments_and_callbacks_are_passed_through(tmp_path):
    x, y = regression_data()
    epochs_seen = []

    class Count(cornu.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            epochs_seen.append(epoch)

    tuner = kt.RandomSearch(build, max_trials=1, directory=tmp_path, seed=0)
    tuner.search(x, y, epochs=3, validation_data=(x[:8], y[:8]), callbacks=[Count()], verbose=0)
    assert epochs_seen == [0, 1, 2]
    assert len(tuner.oracle.get_best_trials()[0].metrics["val_loss"]) == 3


def test_given_hyperparameters_override_the_build_and_new_entries_can_be_frozen(tmp_path):
    seen = []

    def declare(hp):
        hp.Int("units", 1, 64)
        hp.Choice("act", ["relu", "tanh", "gelu"])

    narrowed = kt.HyperParameters()
    narrowed.Int("units", 8, 10)
    tuner = kt.RandomSearch(
        ScoreModel(declare, lambda v: seen.append(dict(v)) or 1.0),
        objective=kt.Objective("score", "min"),
        max_trials=3,
        seed=0,
        hyperparameters=narrowed,
        tune_new_entries=False,
        directory=tmp_path,
    )
    tuner.search(verbose=0)
    assert sorted(v["units"] for v in seen) == [8, 9, 10]
    assert all(v["act"] == "relu" for v in seen)
