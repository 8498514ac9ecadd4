"""Tuner: runs the trials an oracle proposes (in this process or in several), records their
results, and gives back the best hyperparameters and models."""

import contextlib
import copy
import multiprocessing
import os
import shutil
import sys
import time
import traceback
import warnings

import numpy as np

from cornu import backend
from cornu.callbacks import Callback
from cornu.models import Model
from cornu.saving import load_model
from cornu.tuner.hypermodel import get_hypermodel
from cornu.tuner.pruning import TrialReporter
from cornu.tuner.trial import TrialStatus, load_trial, trial_dir

_OBJECTIVE_MISSING = "The objective"
_WORKER = {}  # what forked workers inherit: the tuner and the fit arguments


class _BestWeights(Callback):
    """Saves the trial's weights whenever its objective reaches a new best."""

    def __init__(self, objective, path, best):
        super().__init__()
        self.objective, self.path, self.best = objective, path, best

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.objective.name)
        if value is None:
            return
        if self.best[0] is None or self.objective.better_than(float(value), self.best[0]):
            self.best[0] = float(value)
            self.model.save_weights(self.path)


class Tuner:
    """Base class of the tuners: give it an oracle (the search algorithm) and a hypermodel.

    Args:
        oracle: the `Oracle` that proposes trials.
        hypermodel: a `HyperModel`, or a function `build(hp)` returning a compiled model.
        max_model_size: the most parameters a model may have (larger ones are INVALID).
        optimizer, loss, metrics: when given, each built model is compiled with them.
        directory: the folder of the search's files (default ".").
        project_name: the subfolder of this search (default "untitled_project").
        overwrite: start afresh instead of resuming from `directory/project_name`.
        executions_per_trial: how many models are trained per trial (their scores averaged).
        pruner: an optional `MedianPruner` stopping hopeless trials early.
        tuner_id, logger, distribution_strategy: accepted for KerasTuner compatibility.
    """

    def __init__(
        self,
        oracle,
        hypermodel=None,
        max_model_size=None,
        optimizer=None,
        loss=None,
        metrics=None,
        distribution_strategy=None,
        directory=None,
        project_name=None,
        logger=None,
        tuner_id=None,
        overwrite=False,
        executions_per_trial=1,
        pruner=None,
        **kwargs,
    ):
        if kwargs:
            raise TypeError(f"Unrecognized arguments for {type(self).__name__}: {sorted(kwargs)}.")
        if not isinstance(executions_per_trial, int) or executions_per_trial < 1:
            raise ValueError(
                "`executions_per_trial` must be a positive int. Received: "
                f"executions_per_trial={executions_per_trial!r}."
            )
        self.oracle = oracle
        self.hypermodel = get_hypermodel(hypermodel)
        if self.hypermodel is None and type(self).run_trial is Tuner.run_trial:
            raise ValueError(
                "Received `hypermodel=None`. Pass a `HyperModel` or a build(hp) "
                "function, or override `run_trial()`."
            )
        self.max_model_size = max_model_size
        self.optimizer, self.loss, self.metrics = optimizer, loss, metrics
        self.directory = directory or "."
        self.project_name = project_name or "untitled_project"
        self.tuner_id = tuner_id or "tuner0"
        self.executions_per_trial = executions_per_trial
        self.pruner = pruner
        self.logger = logger
        self.distribution_strategy = distribution_strategy
        if overwrite and os.path.exists(self.project_dir):
            shutil.rmtree(self.project_dir)
        os.makedirs(self.project_dir, exist_ok=True)
        reloaded = self.oracle._set_project_dir(self.project_dir, overwrite)
        if reloaded:
            print(f"Reloading Tuner from {self.project_dir}")
        elif self.hypermodel is not None:
            self._populate_initial_space()
        self.oracle.save()

    @property
    def project_dir(self):
        return os.path.join(str(self.directory), str(self.project_name))

    # ----- the space
    def _populate_initial_space(self):
        """Builds the model once with default values (and once per branch of each
        conditional scope) to learn the search space."""
        hp = self.oracle.hyperparameters.copy()
        self._activate_all_conditions(hp)
        self.oracle.update_space(hp)

    def _activate_all_conditions(self, hp):
        seen = set()
        while True:
            self.hypermodel.declare_hyperparameters(hp)
            self.hypermodel.build(hp)
            scopes = []
            for item in hp.space:
                for condition in item.conditions:
                    for value in condition["values"]:
                        key = (condition["name"], repr(value))
                        if key not in seen:
                            scopes.append((condition["name"], value, key))
            if not scopes:
                return
            name, value, key = scopes[0]
            seen.add(key)
            hp.values[name] = value

    def search_space_summary(self, extended=False):
        """Prints the search space."""
        space = self.oracle.hyperparameters.space
        print("Search space summary")
        print(f"Default search space size: {len(space)}")
        for hp in space:
            config = hp.get_config()
            config.pop("name")
            print(f"{hp.name} ({hp.kind})")
            print(config)

    # ----- running
    def search(self, *fit_args, n_jobs=1, **fit_kwargs):
        """Runs the search: each trial builds a model and calls its `fit(*fit_args,
        **fit_kwargs)` (x, y, epochs, validation_data, callbacks, ...).

        Args:
            n_jobs: how many trials run at once, each in its own process (1: in this one).
        """
        if not isinstance(n_jobs, int) or n_jobs < 1:
            raise ValueError(f"`n_jobs` must be a positive int. Received: n_jobs={n_jobs!r}.")
        if n_jobs > 1 and backend.backend() == "jax":
            raise ValueError(
                f"`n_jobs={n_jobs}` runs trials in forked processes, and a process forked after "
                "JAX has started its runtime threads hangs. On the JAX backend use n_jobs=1, or "
                "run the search on the torch backend (CORNU_BACKEND=torch)."
            )
        if not self.oracle.tunable_space() and self.hypermodel is not None:
            raise ValueError(
                "The search space is empty: the model-building function declared no tunable "
                "hyperparameter (hp.Int, hp.Float, hp.Choice or hp.Boolean), so every trial "
                "would train the same model."
            )
        if "verbose" in fit_kwargs:
            self._verbose = fit_kwargs["verbose"]
        self._check_grid_budget()
        self.on_search_begin()
        if n_jobs == 1:
            self._search_here(fit_args, fit_kwargs)
        else:
            self._search_in_processes(n_jobs, fit_args, fit_kwargs)
        self.on_search_end()

    def _check_grid_budget(self):
        pass

    def on_search_begin(self):
        pass

    def on_search_end(self):
        """Saves the best model as `project_dir/best_model.keras`."""
        best = self.oracle.get_best_trials(1)
        if best:
            with contextlib.suppress(Exception):
                model = self._load_trial_model(best[0])
                model.save(os.path.join(self.project_dir, "best_model.keras"))

    def _search_here(self, fit_args, fit_kwargs):
        while True:
            trial = self.oracle.create_trial(self.tuner_id)
            if trial.status in (TrialStatus.STOPPED, TrialStatus.IDLE):
                return
            self._print_trial_start(trial)
            self._run_and_record(trial, fit_args, fit_kwargs)
            self._after_trial(trial)

    def _search_in_processes(self, n_jobs, fit_args, fit_kwargs):
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        _WORKER.update(tuner=self, fit_args=fit_args, fit_kwargs=fit_kwargs)
        running = {}  # sentinel -> (process, trial)
        stopped = False
        try:
            while running or not stopped:
                while not stopped and len(running) < n_jobs:
                    trial = self.oracle.create_trial(self.tuner_id)
                    if trial.status == TrialStatus.STOPPED:
                        stopped = True
                    if trial.status != TrialStatus.RUNNING:
                        break
                    self._print_trial_start(trial)
                    process = context.Process(target=_run_in_worker, args=(trial.trial_id,))
                    process.start()
                    running[process.sentinel] = (process, trial)
                if not running:
                    if stopped:
                        break
                    stopped = True  # IDLE with nothing running: nothing can unblock it
                    continue
                ready = multiprocessing.connection.wait(list(running))
                for sentinel in ready:
                    process, trial = running.pop(sentinel)
                    process.join()
                    self._collect_worker_trial(trial, process.exitcode)
                    self._after_trial(trial)
        finally:
            for process, _ in running.values():
                process.terminate()
                process.join()
            _WORKER.clear()

    def _collect_worker_trial(self, trial, exitcode):
        path = os.path.join(trial_dir(self.project_dir, trial.trial_id), "trial.json")
        finished = load_trial(path)
        if finished.status == TrialStatus.RUNNING:
            finished.status = TrialStatus.FAILED
            finished.message = f"The trial's process exited with code {exitcode} before it ended."
        finished._retries = getattr(trial, "_retries", 0)
        for name in (
            "status",
            "metrics",
            "score",
            "best_step",
            "message",
            "intermediate",
            "started",
            "ended",
            "pid",
            "hyperparameters",
        ):
            setattr(trial, name, getattr(finished, name))
        self.oracle.update_space(trial.hyperparameters)
        self.oracle.end_trial(trial)

    def _after_trial(self, trial):
        self._print_trial_end(trial)
        if trial.status == TrialStatus.INVALID and (trial.message or "").startswith(
            _OBJECTIVE_MISSING
        ):
            raise ValueError(trial.message)
        failures = self.oracle.consecutive_failures()
        if failures >= self.oracle.max_consecutive_failed_trials:
            raise RuntimeError(
                f"Number of consecutive failures exceeded the limit of "
                f"{self.oracle.max_consecutive_failed_trials}.\n{trial.message}"
            )

    def _run_and_record(self, trial, fit_args, fit_kwargs):
        """Runs one trial and records its result with the oracle (a failure is recorded,
        not raised)."""
        trial.mark_started()
        trial.save(self.project_dir)
        try:
            self.run_trial(trial, *fit_args, **fit_kwargs)
        except _ObjectiveMissing as error:
            trial.status = TrialStatus.INVALID
            trial.message = str(error)
        except Exception as error:  # a build or fit that raised: the trial failed
            trial.status = TrialStatus.FAILED
            trial.message = "".join(
                traceback.format_exception(type(error), error, error.__traceback__)
            )
            if getattr(self, "_verbose", 1):
                print(f"Trial {trial.trial_id} failed: {error!r}", file=sys.stderr)
        trial.mark_ended()
        self.oracle.update_space(trial.hyperparameters)
        self.oracle.end_trial(trial)

    def _build(self, hp):
        model = self.hypermodel.build(hp)
        if not isinstance(model, Model):
            raise TypeError(
                f"The model-building function must return a cornu `Model`. Received: {model!r}."
            )
        if self.optimizer is not None or self.loss is not None or self.metrics is not None:
            model.compile(
                optimizer=self.optimizer or "rmsprop", loss=self.loss, metrics=self.metrics
            )
        if self.max_model_size is not None and model.count_params() > self.max_model_size:
            raise _TooLarge(
                f"The model has {model.count_params()} parameters, more than "
                f"max_model_size={self.max_model_size}."
            )
        return model

    def run_trial(self, trial, *args, **kwargs):
        """Trains `executions_per_trial` models for `trial` and sets its score: the best
        epoch's objective value, averaged over the executions."""
        objective = self.oracle.objective
        weights_path = self._checkpoint(trial.trial_id)
        best, scores, best_metrics = [None], [], None
        for _ in range(self.executions_per_trial):
            hp = trial.hyperparameters.copy()
            try:
                model = self._build(hp)
            except _TooLarge as error:
                trial.status, trial.message = TrialStatus.INVALID, str(error)
                return
            trial.hyperparameters = hp
            reporter = TrialReporter(self.oracle, trial, self.pruner)
            callbacks = [copy.copy(c) for c in kwargs.get("callbacks") or []]
            callbacks += [reporter, _BestWeights(objective, weights_path, best)]
            fit_kwargs = self._fit_kwargs(trial, model, dict(kwargs, callbacks=callbacks))
            result = self.hypermodel.fit(hp, model, *args, **fit_kwargs)
            metrics = _metrics_of(result, objective)
            if objective.name not in metrics:
                raise _ObjectiveMissing(
                    f"{_OBJECTIVE_MISSING} '{objective.name}' is not among the metrics the trial "
                    f"reported: {sorted(metrics)}. Pick one of these as the objective (add "
                    "`validation_data` for 'val_' metrics, or `metrics=[...]` in `compile`)."
                )
            values = metrics[objective.name]
            best_value = objective.best(values)
            if best_metrics is None or objective.better_than(
                best_value, objective.best(best_metrics[objective.name])
            ):
                best_metrics = metrics
                trial.best_step = int(values.index(best_value))
            scores.append(best_value)
            if reporter.pruned:
                break
        trial.metrics = best_metrics
        trial.score = float(np.mean(scores))
        trial.status = TrialStatus.PRUNED if reporter.pruned else TrialStatus.COMPLETED

    def _checkpoint(self, trial_id):
        """The weights file of a trial's best epoch."""
        return os.path.join(trial_dir(self.project_dir, trial_id), "checkpoint.weights.h5")

    def _fit_kwargs(self, trial, model, kwargs):
        return kwargs

    # ----- results
    def get_best_hyperparameters(self, num_trials=1):
        """The `HyperParameters` of the best `num_trials` trials, best first."""
        return [t.hyperparameters for t in self.oracle.get_best_trials(num_trials)]

    def get_best_models(self, num_models=1):
        """The best `num_models` models, rebuilt with their weights at the best epoch."""
        return [self._load_trial_model(t) for t in self.oracle.get_best_trials(num_models)]

    def _load_trial_model(self, trial):
        model = self._build(trial.hyperparameters.copy())
        path = self._checkpoint(trial.trial_id)
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"Trial {trial.trial_id} saved no weights ({path} is missing): its training "
                f"never reported the objective '{self.oracle.objective.name}' to a `fit` "
                "callback (a HyperModel.fit that does not call model.fit with its callbacks)."
            )
        model.load_weights(path)
        return model

    def load_best_model(self):
        """The best model from `best_model.keras` (written when a search ends)."""
        return load_model(os.path.join(self.project_dir, "best_model.keras"))

    def results_summary(self, num_trials=10):
        """Prints the best `num_trials` trials: their hyperparameters and scores."""
        print("Results summary")
        print(f"Results in {self.project_dir}")
        print(f"Showing {num_trials} best trials")
        print(f"{self.oracle.objective}")
        for trial in self.oracle.get_best_trials(num_trials):
            print()
            trial.summary()
        failed = [t for t in self.oracle.trials.values() if t.status == TrialStatus.FAILED]
        if failed:
            print()
            print(f"{len(failed)} trial(s) failed: {', '.join(t.trial_id for t in failed)}")

    @property
    def remaining_trials(self):
        """How many trials are left (None without `max_trials`)."""
        return self.oracle.remaining_trials()

    # ----- output
    def _print_trial_start(self, trial):
        self._trial_start = time.time()
        if getattr(self, "_verbose", 1):
            print(f"\nSearch: Running Trial #{int(trial.trial_id) + 1}")
            for name, value in trial.hyperparameters.active_values().items():
                print(f"{name}: {value}")

    def _print_trial_end(self, trial):
        if not getattr(self, "_verbose", 1):
            return
        print(f"Trial {trial.trial_id} {trial.status}: score {trial.score}")
        best = self.oracle.get_best_trials(1)
        if best:
            print(f"Best {self.oracle.objective.name} So Far: {best[0].score}")


class _TooLarge(Exception):
    pass


class _ObjectiveMissing(Exception):
    pass


def _metrics_of(result, objective):
    """`{name: [values]}` from a History, a dict of numbers, or one number."""
    if hasattr(result, "history"):
        return {k: [float(v) for v in values] for k, values in result.history.items()}
    if isinstance(result, dict):
        return {k: [float(v)] for k, v in result.items()}
    if isinstance(result, (int, float, np.floating, np.integer)):
        return {objective.name: [float(result)]}
    raise TypeError(
        "HyperModel.fit must return a History, a dict of metrics or a number. "
        f"Received: {result!r}."
    )


def _run_in_worker(trial_id):
    """The body of a worker process: runs one trial, leaving its result in its file."""
    tuner = _WORKER["tuner"]
    trial = tuner.oracle.trials[trial_id]
    warnings.simplefilter("ignore")
    tuner.oracle.save = lambda: None  # the parent alone writes the oracle's file
    tuner.oracle.end_trial = lambda t: t.save(tuner.project_dir)
    tuner.oracle.update_space = lambda hps: None
    tuner._run_and_record(trial, _WORKER["fit_args"], _WORKER["fit_kwargs"])
