"""Pruning: stop a trial early when its intermediate objective values are hopeless."""

import numpy as np

from cornu.callbacks import Callback
from cornu.tuner.trial import TrialStatus


class MedianPruner:
    """Stops a trial whose best objective value so far is worse than the median of the
    values other trials had reached at the same epoch.

    Args:
        n_startup_trials: no pruning until this many trials have finished.
        n_warmup_steps: no pruning before this many epochs of the trial have run.
        interval_steps: prune only every this many epochs.
    """

    def __init__(self, n_startup_trials=5, n_warmup_steps=0, interval_steps=1):
        for name, value, low in (
            ("n_startup_trials", n_startup_trials, 0),
            ("n_warmup_steps", n_warmup_steps, 0),
            ("interval_steps", interval_steps, 1),
        ):
            if not isinstance(value, int) or value < low:
                raise ValueError(
                    f"MedianPruner: `{name}` must be an int >= {low}. Received: {name}={value!r}."
                )
        self.n_startup_trials = n_startup_trials
        self.n_warmup_steps = n_warmup_steps
        self.interval_steps = interval_steps

    def should_prune(self, objective, trial_id, step, history, other_trials):
        """Whether the trial with intermediate values `history` ({epoch: value}) should
        stop at `step`, given the other trials (finished ones count)."""
        if step < self.n_warmup_steps or (step - self.n_warmup_steps) % self.interval_steps:
            return False
        finished = [
            t
            for t in other_trials
            if t.trial_id != trial_id and t.status in (TrialStatus.COMPLETED, TrialStatus.PRUNED)
        ]
        if len(finished) < self.n_startup_trials:
            return False
        peers = []
        for trial in finished:
            reached = [v for s, v in trial.intermediate.items() if s <= step]
            if reached:
                peers.append(objective.best(reached))
        if not peers:
            return False
        mine = objective.best([v for s, v in history.items() if s <= step])
        return objective.better_than(float(np.median(peers)), mine)


class TrialReporter(Callback):
    """Records the objective's value after each epoch in the trial's file and, with a
    pruner, stops training when the trial is hopeless (the trial ends as PRUNED)."""

    def __init__(self, oracle, trial, pruner=None):
        super().__init__()
        self.oracle = oracle
        self.trial = trial
        self.pruner = pruner
        self.pruned = False

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.oracle.objective.name)
        if value is None:
            return
        self.trial.intermediate[epoch] = float(value)
        if self.oracle.project_dir:
            self.trial.save(self.oracle.project_dir)
        if self.pruner is not None and self.pruner.should_prune(
            self.oracle.objective,
            self.trial.trial_id,
            epoch,
            self.trial.intermediate,
            self.oracle.disk_trials(),
        ):
            self.pruned = True
            self.trial.message = (
                f"Pruned at epoch {epoch + 1}: {self.oracle.objective.name}={value:.6g} is worse "
                "than the median of the other trials at that epoch."
            )
            self.model.stop_training = True
