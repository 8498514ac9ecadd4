"""search(..., n_jobs=2) runs two trials at once, each in its own process."""

import os

import pytest
from toys import ScoreModel, regression_data, tiny_model

from cornu import tuner as kt


def declare(hp):
    hp.Int("a", 0, 3)


# n_jobs forks the process: a fork after JAX has started its runtime threads hangs the child,
# so parallel trials run on torch only (known gap of the JAX backend).
@pytest.mark.backends("torch")
def test_two_jobs_run_two_trials_at_once(tmp_path):
    hypermodel = ScoreModel(declare, lambda v: float(v["a"]), sleep=1.0)
    tuner = kt.GridSearch(hypermodel, objective=kt.Objective("score", "min"), directory=tmp_path)
    tuner.search(n_jobs=2, verbose=0)
    trials = sorted(tuner.oracle.trials.values(), key=lambda t: t.started)
    assert len(trials) == 4 and all(t.status == kt.TrialStatus.COMPLETED for t in trials)
    assert all(t.pid != os.getpid() for t in trials)
    first, second = trials[0], trials[1]
    assert first.pid != second.pid
    assert second.started < first.ended  # they overlapped
    assert tuner.get_best_hyperparameters()[0]["a"] == 0


# n_jobs forks the process: a fork after JAX has started its runtime threads hangs the child,
# so parallel trials run on torch only (known gap of the JAX backend).
@pytest.mark.backends("torch")
def test_parallel_trials_train_real_models_and_keep_the_best(tmp_path):
    x, y = regression_data()

    def build(hp):
        return tiny_model(learning_rate=hp.Choice("learning_rate", [0.0, 0.05]))

    tuner = kt.RandomSearch(build, objective="val_loss", max_trials=2, seed=0, directory=tmp_path)
    tuner.search(x, y, epochs=4, batch_size=8, validation_split=0.25, verbose=0, n_jobs=2)
    best = tuner.oracle.get_best_trials()[0]
    assert best.hyperparameters["learning_rate"] == 0.05
    model = tuner.get_best_models()[0]
    assert float(model.evaluate(x[36:], y[36:], verbose=0)) == pytest.approx(best.score, rel=1e-4)


def test_n_jobs_is_checked(tmp_path):
    tuner = kt.GridSearch(
        ScoreModel(declare, lambda v: 1.0),
        objective=kt.Objective("score", "min"),
        directory=tmp_path,
    )
    with pytest.raises(ValueError, match="`n_jobs` must be a positive int. Received: n_jobs=0"):
        tuner.search(n_jobs=0)


@pytest.mark.backends("jax")
def test_parallel_trials_are_refused_on_jax_with_the_reason(tmp_path):
    hypermodel = ScoreModel(declare, lambda v: float(v["a"]))
    tuner = kt.GridSearch(hypermodel, objective=kt.Objective("score", "min"), directory=tmp_path)
    with pytest.raises(ValueError, match="n_jobs=2.*forked.*JAX.*n_jobs=1"):
        tuner.search(n_jobs=2, verbose=0)
