"""Grid search: every combination of the hyperparameters' values, in a fixed order."""

import itertools
import warnings

from cornu.tuner.hyperparameters import HyperParameters
from cornu.tuner.oracle import Oracle, _key
from cornu.tuner.trial import TrialStatus
from cornu.tuner.tuner import Tuner


class GridSearchOracle(Oracle):
    """Walks the grid in KerasTuner's order: the hyperparameters in the order they are
    declared, the last one changing fastest (nested loops, the first one outermost), each
    starting from its default and then its other values in order. `Int` walks
    every `step`, `Choice`/`Boolean` every value, a `Float` without a step 10 evenly spread
    values. Combinations that differ only in inactive (conditional) values run once."""

    def __init__(
        self,
        objective=None,
        max_trials=None,
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

    def _combinations(self):
        space = [hp for hp in self.hyperparameters.space if hp.name not in self._fixed_names]
        seen = set()
        walks = []
        for hp in space:
            values = list(hp.values)
            walks.append([hp.default] + [v for v in values if v != hp.default])
        for combination in itertools.product(*walks):
            hps = HyperParameters()
            hps.merge(self.hyperparameters)
            hps.values.update({hp.name: value for hp, value in zip(space, combination)})
            values = hps.active_values()
            key = _key(values)
            if key not in seen:
                seen.add(key)
                yield values

    def grid_size(self):
        """The number of distinct combinations in the grid."""
        return sum(1 for _ in self._combinations())

    def populate_space(self, trial_id):
        for values in self._combinations():
            if _key(values) not in self._tried_so_far:
                return {"status": TrialStatus.RUNNING, "values": values}
        return {"status": TrialStatus.STOPPED, "values": None}


class GridSearch(Tuner):
    """Grid search tuner: tries every combination (see `GridSearchOracle` for the order).

    Args:
        hypermodel: a `HyperModel` or a `build(hp)` function returning a compiled model.
        objective: the metric to optimize.
        max_trials: the most trials (None: the whole grid).
        Other arguments as `RandomSearch`.
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=None,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        self.seed = seed
        oracle = GridSearchOracle(
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

    def _check_grid_budget(self):
        size = self.oracle.grid_size()
        if self.oracle.max_trials is not None and self.oracle.max_trials > size:
            warnings.warn(
                f"GridSearch: max_trials={self.oracle.max_trials} is larger than the grid, "
                f"which has {size} combinations; the search stops after {size} trials.",
                stacklevel=3,
            )
