"""Random search: each trial draws its values at random from the search space."""

from cornu.tuner.oracle import Oracle
from cornu.tuner.trial import TrialStatus
from cornu.tuner.tuner import Tuner


class RandomSearchOracle(Oracle):
    """Draws each trial's values at random, never repeating a set already tried (the
    search stops when no new set turns up). Arguments as `Oracle`."""

    def __init__(
        self,
        objective=None,
        max_trials=10,
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

    def populate_space(self, trial_id):
        values = self._random_values()
        if values is None:
            return {"status": TrialStatus.STOPPED, "values": None}
        return {"status": TrialStatus.RUNNING, "values": values}


class RandomSearch(Tuner):
    """Random search tuner.

    Args:
        hypermodel: a `HyperModel` or a `build(hp)` function returning a compiled model.
        objective: the metric to optimize (a name, an `Objective`, or None: "val_loss").
        max_trials: the most trials to run (default 10).
        seed, hyperparameters, tune_new_entries, allow_new_entries, max_retries_per_trial,
        max_consecutive_failed_trials: as `Oracle`.
        **kwargs: `Tuner`'s arguments (`directory`, `project_name`, `overwrite`,
            `executions_per_trial`, `pruner`, ...).
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=10,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        self.seed = seed
        oracle = RandomSearchOracle(
            objective=objective,
            max_trials=max_trials,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle, hypermodel, **kwargs)
