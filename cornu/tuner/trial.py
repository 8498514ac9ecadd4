"""A trial: one set of hyperparameter values, its status, metrics and score, stored as JSON."""

import json
import os
import time

from cornu.tuner.hyperparameters import HyperParameters
from cornu.utils.durable_files import atomic_write


class TrialStatus:
    """The states of a trial."""

    RUNNING = "RUNNING"
    IDLE = "IDLE"  # no trial can start now: wait for running ones
    STOPPED = "STOPPED"  # the search is over
    COMPLETED = "COMPLETED"
    INVALID = "INVALID"
    FAILED = "FAILED"
    PRUNED = "PRUNED"


class Trial:
    """One trial of a search.

    Attributes:
        trial_id: its id, a zero-padded string ("00", "01", ...).
        hyperparameters: the `HyperParameters` holding its values.
        status: a `TrialStatus`.
        metrics: `{name: [value per epoch]}` of its best execution, as `fit` reported them.
        score: the objective's value (best epoch, averaged over executions), or None.
        best_step: the epoch where the score was reached.
        message: the error of a failed trial, or why it was pruned.
    """

    def __init__(self, hyperparameters, trial_id=None, status=TrialStatus.RUNNING):
        self.hyperparameters = hyperparameters
        self.trial_id = trial_id
        self.status = status
        self.metrics = {}
        self.score = None
        self.best_step = 0
        self.message = None
        self.intermediate = {}  # {epoch: objective value} of the running execution
        self.started = None
        self.ended = None
        self.pid = None

    def summary(self):
        """Prints the trial's hyperparameters and score."""
        print(f"Trial {self.trial_id} summary")
        print("Hyperparameters:")
        values = self.hyperparameters.active_values()
        if values:
            for name, value in values.items():
                print(f"{name}:", value)
        else:
            print("default configuration")
        if self.score is not None:
            print(f"Score: {self.score}")
        if self.message is not None:
            print(self.message)

    def get_state(self):
        return {
            "trial_id": self.trial_id,
            "hyperparameters": self.hyperparameters.get_config(),
            "metrics": self.metrics,
            "score": self.score,
            "best_step": self.best_step,
            "status": self.status,
            "message": self.message,
            "intermediate": {str(k): v for k, v in self.intermediate.items()},
            "started": self.started,
            "ended": self.ended,
            "pid": self.pid,
        }

    @classmethod
    def from_state(cls, state):
        trial = cls(
            HyperParameters.from_config(state["hyperparameters"]),
            state["trial_id"],
            state["status"],
        )
        trial.metrics = state["metrics"]
        trial.score = state["score"]
        trial.best_step = state["best_step"]
        trial.message = state["message"]
        trial.intermediate = {int(k): v for k, v in state.get("intermediate", {}).items()}
        trial.started, trial.ended = state.get("started"), state.get("ended")
        trial.pid = state.get("pid")
        return trial

    def save(self, project_dir):
        """Writes `trial_<id>/trial.json` atomically (a crash leaves the old file whole)."""
        folder = trial_dir(project_dir, self.trial_id)
        os.makedirs(folder, exist_ok=True)
        with atomic_write(os.path.join(folder, "trial.json")) as f:
            json.dump(self.get_state(), f, indent=1)

    def mark_started(self):
        self.started, self.pid = time.time(), os.getpid()

    def mark_ended(self):
        self.ended = time.time()


def trial_dir(project_dir, trial_id):
    return os.path.join(project_dir, f"trial_{trial_id}")


def load_trial(path):
    with open(path) as f:
        return Trial.from_state(json.load(f))
