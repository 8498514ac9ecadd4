"""Hyperband: many models trained for few epochs, the best of them trained longer, in
brackets that trade the number of models against their epochs (Li et al., 2018)."""

import math

from cornu.tuner.oracle import Oracle
from cornu.tuner.trial import TrialStatus
from cornu.tuner.tuner import Tuner


class HyperbandOracle(Oracle):
    """KerasTuner's Hyperband schedule.

    Bracket `b` (from the most models down to 0) has `b + 1` rounds; round `r` trains
    `ceil(ceil(1 + log_factor(max_epochs)) / (b + 1) * factor ** (b - r))` models for
    `ceil(max_epochs / factor ** (b - r))` epochs, each round continuing the best models of
    the round before from their saved weights. Trials carry the entries `tuner/epochs`,
    `tuner/initial_epoch`, `tuner/bracket`, `tuner/round` (and `tuner/trial_id` for a
    continued model).

    Args:
        max_epochs: the most epochs a model is trained (default 100).
        factor: the reduction factor between rounds (default 3).
        hyperband_iterations: how many times the whole set of brackets runs (default 1).
        Other arguments as `Oracle`.
    """

    def __init__(
        self,
        objective=None,
        max_epochs=100,
        factor=3,
        hyperband_iterations=1,
        seed=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        super().__init__(
            objective=objective,
            hyperparameters=hyperparameters,
            allow_new_entries=allow_new_entries,
            tune_new_entries=tune_new_entries,
            seed=seed,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        if not isinstance(factor, int) or factor < 2:
            raise ValueError(
                f"factor needs to be a int larger than 1. Received: factor={factor!r}."
            )
        if not isinstance(max_epochs, int) or max_epochs < 1:
            raise ValueError(f"`max_epochs` must be a positive int. Received: {max_epochs!r}.")
        self.hyperband_iterations = hyperband_iterations or float("inf")
        self.max_epochs, self.min_epochs, self.factor = max_epochs, 1, factor
        self._current_iteration = 0
        self._current_bracket = self._num_brackets() - 1  # the most aggressive bracket first
        self._brackets = [self._new_bracket()]

    def _new_bracket(self):
        return {
            "bracket_num": self._current_bracket,
            "rounds": [[] for _ in range(self._current_bracket + 1)],
        }

    def _num_brackets(self):
        epochs, brackets = self.max_epochs, 0
        while epochs >= self.min_epochs:
            epochs, brackets = epochs / self.factor, brackets + 1
        return brackets

    def _size(self, bracket_num, round_num):
        end_size = math.ceil(1 + math.log(self.max_epochs, self.factor)) / (bracket_num + 1)
        return math.ceil(end_size * self.factor ** (bracket_num - round_num))

    def _epochs(self, bracket_num, round_num):
        return math.ceil(self.max_epochs / self.factor ** (bracket_num - round_num))

    def _next_id(self):
        return f"{len(self.trials):04d}"

    def populate_space(self, trial_id):
        self._brackets = [
            b
            for b in self._brackets
            if len(b["rounds"][-1]) != self._size(b["bracket_num"], len(b["rounds"]) - 1)
        ]
        for bracket in self._brackets:
            bracket_num, rounds = bracket["bracket_num"], bracket["rounds"]
            if len(rounds[0]) < self._size(bracket_num, 0):
                return self._random_trial(trial_id, bracket)
            for round_num in range(1, len(rounds)):
                selected = [info["past_id"] for info in rounds[round_num]]
                candidates = [
                    self.trials[info["id"]]
                    for info in rounds[round_num - 1]
                    if info["id"] not in selected
                    and self.trials[info["id"]].status == TrialStatus.COMPLETED
                ]
                size, past_size = (
                    self._size(bracket_num, round_num),
                    self._size(bracket_num, round_num - 1),
                )
                if len(candidates) > past_size - size:
                    best = sorted(candidates, key=lambda t: self.objective.sort_key(t.score))[0]
                    values = dict(best.hyperparameters.values)
                    values.update(
                        {
                            "tuner/trial_id": best.trial_id,
                            "tuner/epochs": self._epochs(bracket_num, round_num),
                            "tuner/initial_epoch": self._epochs(bracket_num, round_num - 1),
                            "tuner/bracket": bracket_num,
                            "tuner/round": round_num,
                        }
                    )
                    rounds[round_num].append({"past_id": best.trial_id, "id": trial_id})
                    return {"status": TrialStatus.RUNNING, "values": values}
        if self._current_bracket == 0 and self._current_iteration + 1 == self.hyperband_iterations:
            if self.ongoing_trials:
                return {"status": TrialStatus.IDLE}
            return {"status": TrialStatus.STOPPED}
        self._current_bracket -= 1
        if self._current_bracket < 0:
            self._current_bracket = self._num_brackets() - 1
            self._current_iteration += 1
        self._brackets.append(
            {
                "bracket_num": self._current_bracket,
                "rounds": [[] for _ in range(self._current_bracket + 1)],
            }
        )
        return self._random_trial(trial_id, self._brackets[-1])

    def _random_trial(self, trial_id, bracket):
        values = self._random_values()
        if values is None:
            status = TrialStatus.IDLE if self.ongoing_trials else TrialStatus.STOPPED
            return {"status": status}
        values.update(
            {
                "tuner/epochs": self._epochs(bracket["bracket_num"], 0),
                "tuner/initial_epoch": 0,
                "tuner/bracket": bracket["bracket_num"],
                "tuner/round": 0,
            }
        )
        bracket["rounds"][0].append({"past_id": None, "id": trial_id})
        return {"status": TrialStatus.RUNNING, "values": values}

    def get_state(self):
        return {
            **super().get_state(),
            "hyperband_iterations": self.hyperband_iterations,
            "max_epochs": self.max_epochs,
            "factor": self.factor,
            "brackets": self._brackets,
            "current_bracket": self._current_bracket,
            "current_iteration": self._current_iteration,
        }

    def set_state(self, state):
        super().set_state(state)
        self.hyperband_iterations = state["hyperband_iterations"]
        self.max_epochs, self.factor = state["max_epochs"], state["factor"]
        self._brackets = state["brackets"]
        self._current_bracket = state["current_bracket"]
        self._current_iteration = state["current_iteration"]


class Hyperband(Tuner):
    """Hyperband tuner (see `HyperbandOracle`): `search`'s `epochs` is replaced by each
    trial's `tuner/epochs`, and continued models start from their parent trial's weights.

    Args:
        hypermodel: a `HyperModel` or a `build(hp)` function returning a compiled model.
        objective: the metric to optimize.
        max_epochs, factor, hyperband_iterations: the schedule.
        Other arguments as `RandomSearch`.
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_epochs=100,
        factor=3,
        hyperband_iterations=1,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        oracle = HyperbandOracle(
            objective=objective,
            max_epochs=max_epochs,
            factor=factor,
            hyperband_iterations=hyperband_iterations,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle, hypermodel, **kwargs)

    def _fit_kwargs(self, trial, model, kwargs):
        values = trial.hyperparameters.values
        if "tuner/epochs" in values:
            kwargs["epochs"] = values["tuner/epochs"]
            kwargs["initial_epoch"] = values["tuner/initial_epoch"]
        return kwargs

    def _build(self, hp):
        model = super()._build(hp)
        if "tuner/trial_id" in hp.values:
            model.load_weights(self._checkpoint(hp.values["tuner/trial_id"]))
        return model
