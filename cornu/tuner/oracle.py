"""The oracle: proposes the hyperparameter values of each trial, records the results, and
keeps the search's state in its project directory so a stopped search resumes."""

import glob
import json
import os
import random

from cornu.tuner.hyperparameters import HyperParameters
from cornu.tuner.objective import create_objective
from cornu.tuner.trial import Trial, TrialStatus, load_trial
from cornu.utils.durable_files import atomic_write


class Oracle:
    """Base class of the search algorithms.

    Args:
        objective: the metric to optimize: a name ("val_accuracy", direction inferred), an
            `Objective`, or None for "val_loss".
        max_trials: the most trials to run (None: until the algorithm stops).
        hyperparameters: an optional `HyperParameters` whose entries override the
            model-building function's (e.g. a narrower range, or `Fixed` values).
        allow_new_entries: whether the model-building function may declare hyperparameters
            that `hyperparameters` lacks.
        tune_new_entries: whether such new entries are searched (else held at defaults).
        seed: the random seed of the search.
        max_retries_per_trial: how often a failed trial is run again.
        max_consecutive_failed_trials: how many trials in a row may fail before the search
            stops with a `RuntimeError`.
    """

    def __init__(
        self,
        objective=None,
        max_trials=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        seed=None,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        self.objective = create_objective(objective)
        if max_trials is not None and (not isinstance(max_trials, int) or max_trials < 1):
            raise ValueError(
                f"`max_trials` must be a positive int or None. Received: max_trials={max_trials!r}."
            )
        self.max_trials = max_trials
        self.hyperparameters = hyperparameters.copy() if hyperparameters else HyperParameters()
        self.hyperparameters._overrides = set(self.hyperparameters.values)
        self._fixed_names = set()
        self.allow_new_entries = allow_new_entries
        self.tune_new_entries = tune_new_entries
        self.seed = random.randint(1, 10000) if seed is None else seed
        self._seed_state = self.seed
        self.max_retries_per_trial = max_retries_per_trial
        self.max_consecutive_failed_trials = max_consecutive_failed_trials
        self.trials = {}
        self.ongoing_trials = {}
        self._order = []
        self._retry_queue = []
        self._tried_so_far = set()
        self.project_dir = None

    # ----- the algorithm
    def populate_space(self, trial_id):
        """Returns `{"status": TrialStatus.RUNNING, "values": {...}}` for a new trial, or a
        status `IDLE` (wait for running trials) or `STOPPED` (the search is over)."""
        raise NotImplementedError

    def _random_values(self):
        """Random values for the active hyperparameters, never a set tried already."""
        rng = random.Random(self._seed_state)
        for _ in range(100):
            self._seed_state += 1
            hps = HyperParameters()
            hps.merge(self.hyperparameters)
            for hp in self.hyperparameters.space:
                if hp.name in self._fixed_names or not hps.is_active(hp):
                    continue
                hps.values[hp.name] = hp.prob_to_value(rng.random())
            values = hps.active_values()
            key = _key(values)
            if key not in self._tried_so_far:
                self._tried_so_far.add(key)
                return values
        return None

    def tunable_space(self):
        return [
            hp
            for hp in self.hyperparameters.space
            if hp.kind != "Fixed" and hp.name not in self._fixed_names
        ]

    # ----- trials
    def _next_id(self):
        width = len(str(self.max_trials)) if self.max_trials else 2
        return f"{len(self.trials):0{width}d}"

    def create_trial(self, tuner_id="tuner0"):
        """The next trial to run (status RUNNING), or one whose status says to wait (IDLE)
        or that the search is over (STOPPED)."""
        if self._retry_queue:
            trial = self.trials[self._retry_queue.pop(0)]
            trial.status, trial.message = TrialStatus.RUNNING, None
            trial.metrics, trial.score, trial.intermediate = {}, None, {}
            self.ongoing_trials[tuner_id + trial.trial_id] = trial
            self.save()
            return trial
        if self.max_trials is not None and len(self.trials) >= self.max_trials:
            return Trial(HyperParameters(), status=TrialStatus.STOPPED)
        trial_id = self._next_id()
        response = self.populate_space(trial_id)
        if response["status"] != TrialStatus.RUNNING or response.get("values") is None:
            status = response["status"]
            if status == TrialStatus.RUNNING:
                status = TrialStatus.STOPPED
            return Trial(HyperParameters(), status=status)
        hps = self.hyperparameters.copy()
        hps.values.update(response["values"])
        self._tried_so_far.add(_key(hps.active_values()))
        trial = Trial(hps, trial_id, TrialStatus.RUNNING)
        self.trials[trial_id] = trial
        self._order.append(trial_id)
        self.ongoing_trials[tuner_id + trial_id] = trial
        if self.project_dir:
            trial.save(self.project_dir)
        self.save()
        return trial

    def update_space(self, hyperparameters):
        """Adds the hyperparameters a build declared that the space lacks."""
        new = [hp for hp in hyperparameters.space if hp.name not in self.hyperparameters.values]
        if new and not self.allow_new_entries:
            raise RuntimeError(
                f"`allow_new_entries` is False, but the model-building function declared new "
                f"hyperparameters: {[hp.name for hp in new]}."
            )
        for hp in new:
            self.hyperparameters.merge([hp])
            if not self.tune_new_entries:
                self._fixed_names.add(hp.name)

    def end_trial(self, trial):
        """Records a finished trial (COMPLETED, PRUNED, INVALID or FAILED)."""
        for key, ongoing in list(self.ongoing_trials.items()):
            if ongoing.trial_id == trial.trial_id:
                del self.ongoing_trials[key]
        self.trials[trial.trial_id] = trial
        self._tried_so_far.add(_key(trial.hyperparameters.active_values()))
        if trial.status == TrialStatus.FAILED:
            retries = getattr(trial, "_retries", 0)
            if retries < self.max_retries_per_trial:
                trial._retries = retries + 1
                self._retry_queue.append(trial.trial_id)
        if self.project_dir:
            trial.save(self.project_dir)
        self.save()

    def consecutive_failures(self):
        count = 0
        for trial_id in reversed(self._order):
            status = self.trials[trial_id].status
            if status == TrialStatus.FAILED:
                count += 1
            elif status in (TrialStatus.COMPLETED, TrialStatus.PRUNED):
                break
        return count

    def get_best_trials(self, num_trials=1):
        """The best `num_trials` completed trials, best first."""
        done = [
            t
            for t in self.trials.values()
            if t.status == TrialStatus.COMPLETED and t.score is not None
        ]
        done.sort(key=lambda t: self.objective.sort_key(t.score))
        return done[:num_trials]

    def remaining_trials(self):
        if self.max_trials is None:
            return None
        return max(self.max_trials - len(self.trials), 0)

    def finished_trials(self):
        return [
            t
            for t in self.trials.values()
            if t.status in (TrialStatus.COMPLETED, TrialStatus.PRUNED)
        ]

    # ----- state on disk
    def get_state(self):
        return {
            "objective": self.objective.get_config(),
            "max_trials": self.max_trials,
            "seed": self.seed,
            "seed_state": self._seed_state,
            "hyperparameters": self.hyperparameters.get_config(),
            "fixed_names": sorted(self._fixed_names),
            "overrides": sorted(self.hyperparameters._overrides),
            "order": self._order,
        }

    def set_state(self, state):
        self.seed, self._seed_state = state["seed"], state["seed_state"]
        self.hyperparameters = HyperParameters.from_config(state["hyperparameters"])
        self._fixed_names = set(state["fixed_names"])
        self.hyperparameters._overrides = set(state.get("overrides", []))
        self._order = list(state["order"])

    def save(self):
        if not self.project_dir:
            return
        os.makedirs(self.project_dir, exist_ok=True)
        with atomic_write(os.path.join(self.project_dir, "oracle.json")) as f:
            json.dump(self.get_state(), f, indent=1)

    def _set_project_dir(self, project_dir, overwrite):
        """Uses `project_dir` for the search's state; without `overwrite`, reloads what a
        previous search left there (trials that were running are queued to run again)."""
        self.project_dir = project_dir
        path = os.path.join(project_dir, "oracle.json")
        if overwrite or not os.path.exists(path):
            return False
        with open(path) as f:
            self.set_state(json.load(f))
        for trial_file in sorted(glob.glob(os.path.join(project_dir, "trial_*", "trial.json"))):
            trial = load_trial(trial_file)
            self.trials[trial.trial_id] = trial
            self._tried_so_far.add(_key(trial.hyperparameters.active_values()))
            if trial.trial_id not in self._order:
                self._order.append(trial.trial_id)
            if trial.status == TrialStatus.RUNNING:  # cut short by a crash: run it again
                self._retry_queue.append(trial.trial_id)
        self._order.sort()
        return True

    def disk_trials(self):
        """The trials as their files say now (other processes' progress included)."""
        if not self.project_dir:
            return list(self.trials.values())
        trials = []
        for trial_file in glob.glob(os.path.join(self.project_dir, "trial_*", "trial.json")):
            try:
                trials.append(load_trial(trial_file))
            except (OSError, ValueError):
                continue
        return trials


def _key(values):
    """A hashable form of a trial's values (Hyperband's bookkeeping entries left out)."""
    values = {k: v for k, v in values.items() if not k.startswith("tuner/")}
    return json.dumps(values, sort_keys=True, default=str)
