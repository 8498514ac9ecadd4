"""BayesianOptimization beats random search on a smooth toy objective over a fixed budget."""

import numpy as np
import pytest
from toys import ScoreModel

from cornu import tuner as kt
from cornu.tuner.bayesian import GaussianProcess


def declare(hp):
    hp.Float("x", 0.0, 1.0)
    hp.Float("y", 0.0, 1.0)


def bowl(values):
    return (values["x"] - 0.3) ** 2 + (values["y"] - 0.7) ** 2


def best_found(tuner_class, tmp_path, seed, **kwargs):
    tuner = tuner_class(
        ScoreModel(declare, bowl),
        objective=kt.Objective("score", "min"),
        max_trials=16,
        seed=seed,
        directory=tmp_path,
        project_name=f"s{seed}",
        **kwargs,
    )
    tuner.search(verbose=0)
    assert len(tuner.oracle.trials) == 16
    return tuner.oracle.get_best_trials(1)[0].score


def test_bayesian_beats_random_on_a_smooth_objective(tmp_path):
    seeds = [1, 2, 3]
    bayes = [
        best_found(kt.BayesianOptimization, tmp_path / "b", s, num_initial_points=5) for s in seeds
    ]
    random = [best_found(kt.RandomSearch, tmp_path / "r", s) for s in seeds]
    assert np.mean(bayes) < np.mean(random) / 3
    assert max(bayes) < 2e-3


def test_gaussian_process_interpolates_and_is_unsure_far_away():
    x = np.array([[0.1], [0.4], [0.9]])
    y = np.sin(3 * x[:, 0])
    gp = GaussianProcess(alpha=1e-8).fit(x, y)
    mean, std = gp.predict(x)
    np.testing.assert_allclose(mean, y, atol=1e-3)
    _, far = gp.predict(np.array([[0.65]]))
    assert far[0] > std.max()


def test_num_initial_points_is_checked():
    with pytest.raises(ValueError, match="`num_initial_points` must be a positive int"):
        kt.BayesianOptimization(ScoreModel(declare, bowl), num_initial_points=0)
