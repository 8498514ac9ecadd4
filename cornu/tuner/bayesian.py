"""Bayesian optimization: a Gaussian process models the score over the search space, and
each trial goes where the lower confidence bound promises the most (KerasTuner's method)."""

import numpy as np

from cornu.tuner.hyperparameters import HyperParameters
from cornu.tuner.oracle import Oracle, _key
from cornu.tuner.trial import TrialStatus
from cornu.tuner.tuner import Tuner


def _matern52(a, b, length_scale):
    distance = (
        np.sqrt(np.maximum(np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1), 0.0))
        / length_scale
    )
    root5 = np.sqrt(5.0) * distance
    return (1.0 + root5 + root5**2 / 3.0) * np.exp(-root5)


class GaussianProcess:
    """A Gaussian process regressor with a Matern 5/2 kernel and normalized targets; the
    length scale is the one, of a log-spaced set, with the best marginal likelihood."""

    def __init__(self, alpha=1e-4):
        self.alpha = alpha

    def _factor(self, x, length_scale):
        kernel = _matern52(x, x, length_scale) + self.alpha * np.eye(len(x))
        return np.linalg.cholesky(kernel)

    def fit(self, x, y):
        self.x = np.asarray(x, dtype="float64")
        y = np.asarray(y, dtype="float64")
        self.mean, self.scale = y.mean(), y.std() or 1.0
        target = (y - self.mean) / self.scale
        best = None
        for length_scale in np.geomspace(0.05, 5.0, 24):
            try:
                chol = self._factor(self.x, length_scale)
            except np.linalg.LinAlgError:
                continue
            weights = np.linalg.solve(chol.T, np.linalg.solve(chol, target))
            log_likelihood = -0.5 * target @ weights - np.sum(np.log(np.diag(chol)))
            if best is None or log_likelihood > best[0]:
                best = (log_likelihood, length_scale, chol, weights)
        _, self.length_scale, self.chol, self.weights = best
        return self

    def predict(self, x):
        """The posterior mean and standard deviation at the rows of `x`."""
        cross = _matern52(np.asarray(x, dtype="float64"), self.x, self.length_scale)
        mean = cross @ self.weights
        v = np.linalg.solve(self.chol, cross.T)
        variance = np.maximum(1.0 - np.sum(v * v, axis=0), 1e-12)
        return mean * self.scale + self.mean, np.sqrt(variance) * self.scale


class BayesianOptimizationOracle(Oracle):
    """Bayesian optimization with a Gaussian process.

    After `num_initial_points` random trials (default: 3 per hyperparameter, at least 3),
    each trial's values minimize the lower confidence bound `mean - beta * std` of the
    process fitted to the finished trials (scores negated for "max" objectives).

    Args:
        alpha: the noise added to the kernel's diagonal (default 1e-4).
        beta: the balance of exploration against exploitation (default 2.6).
        Other arguments as `Oracle`.
    """

    def __init__(
        self,
        objective=None,
        max_trials=10,
        num_initial_points=None,
        alpha=1e-4,
        beta=2.6,
        seed=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        super().__init__(
            objective=objective,
            max_trials=max_trials,
            hyperparameters=hyperparameters,
            allow_new_entries=allow_new_entries,
            tune_new_entries=tune_new_entries,
            seed=seed,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        if num_initial_points is not None and (
            not isinstance(num_initial_points, int) or num_initial_points < 1
        ):
            raise ValueError(
                "`num_initial_points` must be a positive int or None. Received: "
                f"num_initial_points={num_initial_points!r}."
            )
        self.num_initial_points = num_initial_points
        self.alpha, self.beta = alpha, beta

    def _vector(self, hps_values, space):
        vector = []
        for hp in space:
            value = hps_values.get(hp.name, hp.default)
            vector.append(hp.value_to_prob(value if value is not None else hp.default))
        return vector

    def populate_space(self, trial_id):
        space = self.tunable_space()
        finished = [
            t
            for t in self.trials.values()
            if t.status == TrialStatus.COMPLETED and t.score is not None
        ]
        initial = self.num_initial_points or max(3 * len(space), 3)
        if len(finished) < initial or not space:
            values = self._random_values()
            status = TrialStatus.STOPPED if values is None else TrialStatus.RUNNING
            return {"status": status, "values": values}
        x = np.array([self._vector(t.hyperparameters.active_values(), space) for t in finished])
        y = np.array([t.score for t in finished], dtype="float64")
        y = np.nan_to_num(-y if self.objective.direction == "max" else y, posinf=0, neginf=0)
        gp = GaussianProcess(self.alpha).fit(x, y)
        rng = np.random.default_rng(self._seed_state)
        self._seed_state += 1
        best_points = x[np.argsort(y)[:5]]
        local = best_points[rng.integers(0, len(best_points), 1000)]
        local = np.clip(local + rng.normal(0, 0.05, local.shape), 0, 1)
        candidates = np.concatenate([rng.random((2000, len(space))), local])
        mean, std = gp.predict(candidates)
        for index in np.argsort(mean - self.beta * std)[:200]:
            values = self._values_of(candidates[index], space)
            if _key(values) not in self._tried_so_far:
                return {"status": TrialStatus.RUNNING, "values": values}
        values = self._random_values()
        status = TrialStatus.STOPPED if values is None else TrialStatus.RUNNING
        return {"status": status, "values": values}

    def _values_of(self, vector, space):
        hps = HyperParameters()
        hps.merge(self.hyperparameters)
        for hp, prob in zip(space, vector):
            hps.values[hp.name] = hp.prob_to_value(float(prob))
        return hps.active_values()


class BayesianOptimization(Tuner):
    """Bayesian optimization tuner (see `BayesianOptimizationOracle`).

    Args:
        hypermodel: a `HyperModel` or a `build(hp)` function returning a compiled model.
        objective: the metric to optimize.
        max_trials: the most trials (default 10).
        num_initial_points: random trials before the Gaussian process takes over.
        alpha, beta: the process's noise and the exploration weight.
        Other arguments as `RandomSearch`.
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=10,
        num_initial_points=None,
        alpha=1e-4,
        beta=2.6,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        self.seed = seed
        oracle = BayesianOptimizationOracle(
            objective=objective,
            max_trials=max_trials,
            num_initial_points=num_initial_points,
            alpha=alpha,
            beta=beta,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle, hypermodel, **kwargs)
