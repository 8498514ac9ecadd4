"""The training loop shared by every backend: compile, fit, evaluate, predict.

The backend's trainer supplies ``train_step``, ``test_step`` and ``predict_step``; this class
turns the data into batches, runs the epochs and steps, and drives the callbacks.
"""

import inspect
import warnings
from collections.abc import Mapping

import numpy as np

from cornu import backend, config, ops
from cornu import metrics as metrics_module
from cornu import optimizers as optimizers_module
from cornu.core import tree
from cornu.distribution import distribution_lib
from cornu.layers import call_context
from cornu.layers.layer import Layer, tracking_version
from cornu.metrics.metric import leaf_metrics
from cornu.trainers import data_adapters
from cornu.trainers.compile_utils import CompileLoss, CompileMetrics
from cornu.trainers.data_adapters.array_data_adapter import tensor_from_array
from cornu.trainers.epoch_iterator import EpochIterator
from cornu.utils import traceback_utils


def _is_one_array(x):
    return isinstance(x, np.ndarray) or ops.is_tensor(x)


def _fits_one_batch(x, batch_size):
    """True for one NumPy array or tensor of at most one batch (``batch_size``, else 32)."""
    return _is_one_array(x) and len(x.shape) > 0 and 0 < x.shape[0] <= (batch_size or 32)


def _verbosity(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"`verbose` must be 'auto', 0, 1 or 2. Received: verbose={verbose!r}")
    return verbose


def _pythonify(logs):
    # Keras's order: the keys sorted, a nested dict (a metric with several results) flattened.
    out = {}
    for key, value in sorted(logs.items()):
        if isinstance(value, Mapping):
            out.update(_pythonify(value))
        elif ops.is_tensor(value) or hasattr(value, "dtype"):
            array = ops.convert_to_numpy(value)
            out[key] = float(array) if array.size == 1 else array
        else:
            out[key] = value
    return out


class Trainer(backend.BackendTrainer):
    """Adds ``compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.stop_evaluating = False
        self.stop_predicting = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._label_ranges = None
        self._results_view = None
        self.jit_compile = False
        self.run_eagerly = False
        self.steps_per_execution = 1
        self._reset_step_functions()

    # ---- compile -------------------------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures the model for training.

        Args:
            optimizer: an optimizer or its name (``"rmsprop"``, ``"adam"``, ``"sgd"``).
            loss: a loss (name, function or object), or one per output (list or dict).
            loss_weights: weights of the outputs' losses in the total (list or dict).
            metrics: metrics to track (names, functions or objects), or per output.
            weighted_metrics: metrics that also use ``sample_weight``/``class_weight``.
            run_eagerly: ``True`` runs the steps uncompiled (it turns ``jit_compile`` off).
            steps_per_execution: the number of batches each call of the step runs.
            jit_compile: ``True`` compiles the step with the backend's compiler
                (``torch.compile`` on torch, ``jax.jit`` on JAX, XLA on TensorFlow);
                ``"auto"`` compiles where Keras does: on JAX, and on TensorFlow when an
                accelerator is present (else a ``tf.function`` without XLA), not on torch.
            auto_scale_loss: under a ``"mixed_float16"`` policy, wrap the optimizer in a
                ``LossScaleOptimizer`` (dynamic loss scaling).
        """
        self.optimizer = optimizers_module.get(optimizer)
        if (
            auto_scale_loss
            and self.dtype_policy.name == "mixed_float16"
            and self.optimizer is not None
            and not isinstance(self.optimizer, optimizers_module.LossScaleOptimizer)
        ):  # as Keras: float16 gradients underflow without loss scaling
            self.optimizer = optimizers_module.LossScaleOptimizer(
                self.optimizer, name="loss_scale_optimizer"
            )
        self.loss = loss
        self._compile_loss = CompileLoss(loss, loss_weights) if loss is not None else None
        if metrics is not None and not isinstance(metrics, (list, tuple, dict)):
            raise TypeError(
                f"`metrics` must be a list or a dict. Received: metrics={metrics!r}. "
                "Example: `metrics=['accuracy']`."
            )
        for spec in tree.flatten(metrics) + tree.flatten(weighted_metrics):
            if isinstance(spec, str) and spec.lower() not in ("accuracy", "acc"):
                metrics_module.get(spec)
        if isinstance(loss, str):
            from cornu import losses

            losses.get(loss)
        self._compile_metrics = (
            CompileMetrics(metrics, weighted_metrics, getattr(self, "output_names", None))
            if (metrics or weighted_metrics)
            else None
        )
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = run_eagerly
        if not isinstance(steps_per_execution, int) or steps_per_execution <= 0:
            raise ValueError(
                "`steps_per_execution` must be a positive int. "
                f"Received: steps_per_execution={steps_per_execution!r}"
            )
        self.steps_per_execution = steps_per_execution
        self._results_view = None
        self._compile_arguments = {
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile is True,
        }
        self.jit_compile = _resolve_jit_compile(jit_compile, run_eagerly)
        self.compiled = True
        self._reset_step_functions()

    def get_compile_config(self):
        """The arguments of ``compile`` as Keras's ``compile_config`` (names kept as given,
        objects serialized)."""
        from cornu.saving.serialization_lib import serialize_keras_object

        if not self.compiled:
            return {}  # as Keras: an empty dict (falsy) for a model that was never compiled
        config = {"optimizer": serialize_keras_object(self.optimizer)}
        for key, value in self._compile_arguments.items():
            config[key] = serialize_keras_object(value)
        return config

    def compile_from_config(self, config):
        """Compiles the model from ``get_compile_config()``'s output (cornu's or Keras's) and
        builds the optimizer, so that saved optimizer variables can be loaded into it."""
        from cornu import losses, metrics, optimizers

        config = dict(config)
        optimizer = optimizers.deserialize(config.pop("optimizer"))

        def rebuild(value, get):
            if isinstance(value, dict) and "class_name" in value:
                return get(value)
            if isinstance(value, list):
                return [rebuild(v, get) for v in value]
            if isinstance(value, dict):
                return {k: rebuild(v, get) for k, v in value.items()}
            return value

        config["loss"] = rebuild(config.get("loss"), losses.get)
        for key in ("metrics", "weighted_metrics"):
            config[key] = rebuild(config.get(key), metrics.get)
        allowed = (
            "loss",
            "loss_weights",
            "metrics",
            "weighted_metrics",
            "run_eagerly",
            "steps_per_execution",
            "jit_compile",
        )
        self.compile(optimizer=optimizer, **{k: v for k, v in config.items() if k in allowed})
        if self.built:
            optimizer.build(self.trainable_variables)

    def _assert_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(
                f"You must call `compile()` before using `{method}()` on model '{self.name}'."
            )

    # The compiled trackers are listed by `metrics` itself, not as tracked attributes.
    _untracked_metric_attributes = frozenset({"_loss_tracker", "_compile_metrics"})

    @property
    def metrics(self):
        """Keras's list: the loss tracker, the compiled metrics as one metric named
        ``compile_metrics`` (its ``result()`` is a dict), each output's loss tracker, then
        the metrics assigned as attributes of the model and of its layers (which update them
        in ``call``), so they are reset with the others and reported in the logs.

        As in Keras, each layer below the model adds its ``metrics`` (its own and its
        sublayers'), so a metric two levels down is listed twice (its logs entry is one);
        the layers of a nested model are left out, which has metrics of its own."""
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compile_metrics is not None:
            out.append(self._compile_metrics)
        if self._compile_loss is not None:
            out.extend(self._compile_loss.output_trackers)
        out.extend(self._tracked_metrics())
        return out

    def _tracked_metrics(self):
        # Walking the layers at every step would cost; the list is kept until a layer gains
        # a sublayer or a metric.
        version = tracking_version()
        cached = self.__dict__.get("_tracked_metrics_cache")
        if cached is not None and cached[0] == version:
            return cached[1]
        found = list(self._metrics)
        for layer in self._flatten_layers(include_self=False):
            if not isinstance(layer, Trainer):
                found.extend(layer.metrics)
        self.__dict__["_tracked_metrics_cache"] = (version, found)
        return found

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        """Resets the state of every metric."""
        for metric in self.metrics:
            metric.reset_state()

    # ---- loss and metrics of one batch (used by the backend's steps) ---------------------

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss of a batch: the compiled loss plus added and regularization losses."""
        total = None
        if self._compile_loss is not None:
            if not self._compile_loss.built:
                self._compile_loss.build(self, y, y_pred, self._label_ranges)
                self._results_view = None
            total = self._compile_loss(y, y_pred, sample_weight)
        for loss in self._collect_extra_losses():
            total = loss if total is None else total + loss
        if total is None:
            raise ValueError(
                f"Model '{self.name}' has no loss to minimize: pass `loss=` to `compile()` or "
                "add losses with `add_loss()`."
            )
        return total

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """What the steps call: `compute_loss`, given `training` only when its signature takes
        it (an override written before Keras 3.3 may not). The signature is read once."""
        takes_training = self.__dict__.get("_compute_loss_takes_training")
        if takes_training is None:
            parameters = inspect.signature(self.compute_loss).parameters
            takes_training = self._compute_loss_takes_training = "training" in parameters
        if takes_training:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def _collect_extra_losses(self):
        extra = [v.regularizer(v.value) for v in self._regularized_variables()]
        scope = backend.core.get_stateless_scope()
        if scope is not None and scope.collect_losses:
            # A stateless step (JAX): the layers' `add_loss` calls went to the scope.
            extra.extend(scope.losses)
        elif call_context.add_loss_used():
            extra.extend(self._collect_added_losses())
        return extra

    def _collect_added_losses(self):
        out = []
        stack = [self]
        while stack:
            layer = stack.pop()
            out.extend(layer._losses)
            stack.extend(layer._layers)
        return out

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch and returns the current results."""
        if self._compile_metrics is not None:
            if not self._compile_metrics.built:
                self._compile_metrics.build(self, y, y_pred)
                self._results_view = None
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        view = self._results_view
        if view is None or not view.covers(self.metrics):
            view = self._results_view = MetricResults(self.metrics)
        return view

    def get_metrics_result(self):
        """The current value of every metric, as a dict of backend scalars (under data
        parallelism, the value over all processes' data)."""
        if distribution_lib.active_data_parallel() is not None:
            return _results_over_processes(self.metrics)
        return _results(self.metrics)

    # ---- building before the loop -------------------------------------------------------

    def _build_before_loop(self, iterator):
        """Builds an unbuilt model (and with it the compiled loss and metrics) and the
        optimizer before any callback runs, as Keras does: a callback such as
        ``BackupAndRestore`` finds the weights, and data parallelism wraps a model that has
        them. Runs once per ``fit``/``evaluate``, not per step, and does nothing once the
        model and optimizer are built.

        The model runs (without gradients, ``training=False``) on one batch: from arrays the
        first samples, unshuffled; from a one-pass source (a generator) its next batch, which
        the first step then takes. A model without ``call`` (a GAN whose ``train_step`` calls
        its parts) is left to its first step. For a model already built, the compiled loss
        and metrics build in the first step, from its outputs: no extra forward pass."""
        if not self.built and type(self).call is not Layer.call:
            self._build_compiled_from_a_batch(iterator)
        if self.optimizer is not None and not self.optimizer.built:
            self.optimizer.build(self.trainable_variables)

    def _build_compiled_from_a_batch(self, iterator):
        """Builds the model, its compiled loss and metrics from one forward pass (no
        gradients, ``training=False``, so no random stream moves) on a batch from ``peek``."""
        batch = iterator.peek()
        if batch is None:
            return
        x, y, _ = data_adapters.unpack_x_y_sample_weight(batch)
        with backend.no_grad():
            y_pred = self(x, training=False)
        if y is not None:
            if self._compile_loss is not None and not self._compile_loss.built:
                self._compile_loss.build(self, y, y_pred, self._label_ranges)
            if self._compile_metrics is not None and not self._compile_metrics.built:
                self._compile_metrics.build(self, y, y_pred)
        self._results_view = None

    # ---- data parallelism ----------------------------------------------------------------

    def _prepare_data_parallel(self, mode):
        """This process's ``shard`` under an active DataParallel distribution (None otherwise).
        ``_wrap_data_parallel`` then routes training through torch's DistributedDataParallel."""
        current = distribution_lib.active_data_parallel()
        self._shard_loss_scale = 1.0
        if current is None:
            self._data_parallel_module = None
            return None
        if not current.auto_shard_dataset:
            return None
        return (current.process_id, current.num_processes, mode)

    def _wrap_data_parallel(self):
        """Wraps the model (once its weights exist) in DistributedDataParallel, which also
        gives every process the first process's weights."""
        if distribution_lib.active_data_parallel() is None:
            return
        if getattr(self, "_data_parallel_module", None) is None and self.trainable_weights:
            # Kept out of the module tree: the wrapper holds the model, not the reverse.
            object.__setattr__(
                self, "_data_parallel_module", backend.distribution.wrap_data_parallel(self)
            )

    # ---- fit / evaluate / predict ----------------------------------------------------------

    @traceback_utils.filter_traceback
    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for ``epochs`` passes over the data; returns a ``History``.

        Args:
            x: inputs: arrays or tensors (or lists/dicts of them), a pandas DataFrame, a
                ``PyDataset``, a torch ``DataLoader`` or a generator (the last three yield
                ``(x, y)`` or ``(x, y, sample_weight)`` batches and take no ``y``).
            y: targets for array inputs.
            batch_size: samples per step for array inputs (when None: 32, or the data split
                evenly over ``steps_per_epoch`` steps when that is given).
            epochs: the index of the last epoch to run.
            verbose: 0 silent, 1 progress bar, 2 one line per epoch ("auto" is 1).
            callbacks: a list of ``Callback``.
            validation_split: the fraction of the array data (taken from the end) held out.
            validation_data: ``(x_val, y_val)``, ``(x_val, y_val, sample_weight_val)``, or a
                PyDataset, DataLoader or generator.
            shuffle: shuffle the samples before each epoch (``"batch"``: batch-sized chunks).
            class_weight: ``{class_index: weight}`` weighting the loss per class.
            sample_weight: per-sample loss weights.
            initial_epoch: the epoch to start at (for resuming).
            steps_per_epoch: steps per epoch (one pass over the data when None).
            validation_steps: validation steps at the end of each epoch (all when None).
            validation_batch_size: batch size of the validation data (``batch_size`` when None).
            validation_freq: validate every ``validation_freq`` epochs (an int), or after
                the epochs listed (a list of 1-based epoch numbers, e.g. ``[1, 5, 10]``).
        """
        from cornu.callbacks import CallbackList

        self._assert_compiled("fit")
        verbose = _verbosity(verbose)
        shard = self._prepare_data_parallel("batch")
        if shard is not None and shard[0] != 0:
            verbose = 0
        _check_validation_freq(validation_freq)
        _check_epochs(epochs, initial_epoch)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_for_validation(
                x, y, sample_weight, validation_split
            )
        max_epochs = config.max_epochs()  # a debugging cap, as Keras's
        if max_epochs and max_epochs < epochs:
            warnings.warn(f"Limiting epochs to {max_epochs}", stacklevel=2)
            epochs = max_epochs
        iterator = EpochIterator(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
            steps_per_execution=self.steps_per_execution,
            shard=shard,
        )
        self._label_ranges = iterator.adapter.label_ranges
        val_iterator = None
        if validation_data is not None:
            val_x, val_y, val_sw = data_adapters.unpack_x_y_sample_weight(validation_data)
            val_iterator = EpochIterator(
                val_x,
                val_y,
                val_sw,
                batch_size=validation_batch_size or batch_size,
                steps_per_epoch=validation_steps,
                steps_per_execution=self.steps_per_execution,
                shard=shard,
            )
        self._build_before_loop(iterator)
        self._wrap_data_parallel()
        callbacks = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=iterator.num_steps,
        )
        train_step = self._train_function()
        self.stop_training = False
        callbacks.on_train_begin()
        logs = {}
        # BackupAndRestore sets `_initial_epoch` when it resumes an interrupted run.
        initial_epoch = getattr(self, "_initial_epoch", None) or initial_epoch
        # A mid-epoch backup's position: the batches of the first epoch already trained, and
        # what puts the random streams and metrics back once they have been skipped.
        skip, on_resumed = self.__dict__.pop("_resume_position", None) or (0, None)
        if skip and self._compile_metrics is not None and not self._compile_metrics.built:
            self._build_compiled_from_a_batch(iterator)  # its state is restored on resuming
        for epoch in range(initial_epoch, epochs):
            if not iterator.has_data():
                break  # a one-pass source (a generator) ran out: no epoch is begun
            if not skip:
                self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            batch_hooks = callbacks.has_train_batch_hooks
            step_logs = None
            for begin, end, batches in iterator.enumerate_epoch():
                if skip:
                    if end < skip:
                        continue  # drawn in the same order as before, trained already
                    iterator.scales = iterator.scales[skip - begin :]
                    batches, begin, skip = batches[skip - begin :], skip, 0
                    on_resumed()
                if batch_hooks:
                    callbacks.on_train_batch_begin(begin)
                if shard is None and len(batches) > 1 and hasattr(train_step, "many"):
                    # The backend runs the group in one compiled call (JAX).
                    step_logs = train_step.many(batches)
                elif shard is None:
                    for batch in batches:
                        step_logs = train_step(batch)
                else:
                    for batch, scale in zip(batches, iterator.scales):
                        self._shard_loss_scale = scale
                        step_logs = train_step(batch)
                if batch_hooks:
                    callbacks.on_train_batch_end(end, step_logs)
                if self.stop_training:
                    break
            if skip:  # the backup was taken after the epoch's last batch
                skip = 0
                on_resumed()
                step_logs = self.get_metrics_result()
            if step_logs is None:
                if iterator.exhausted:
                    break
                raise ValueError("`fit` ran an epoch without any batch: the data is empty.")
            logs = self._epoch_logs(step_logs)
            if val_iterator is not None and _should_validate(epoch, validation_freq):
                val_logs = self._run_test_loop(val_iterator, callbacks)
                logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, logs)
            if self.stop_training or iterator.exhausted:
                break
        if self.optimizer is not None and epochs > 0:
            # Does nothing for an optimizer that has applied no update (see the optimizer).
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(logs)
        return self.history

    def _epoch_logs(self, step_logs):
        """The epoch's logs: the metrics' results, or what a custom ``train_step`` returned."""
        metric_logs = self.get_metrics_result()
        if isinstance(step_logs, MetricResults) or (
            isinstance(step_logs, Mapping) and set(step_logs) == set(metric_logs)
        ):
            return _pythonify(metric_logs)
        if not isinstance(step_logs, Mapping):
            raise TypeError(
                "`train_step` and `test_step` must return a dict of logs (metric name to value)."
                f" Received: {type(step_logs).__name__}"
            )
        return _pythonify(step_logs)

    @traceback_utils.filter_traceback
    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
    ):
        """Returns the loss and metrics on the data: a scalar (loss only), a list
        ``[loss, *metrics]``, or a dict when ``return_dict=True``.

        ``x`` takes the same kinds of data as in ``fit``; ``steps`` limits the batches read.
        """
        from cornu.callbacks import CallbackList

        self._assert_compiled("evaluate")
        verbose = _verbosity(verbose)
        shard = self._prepare_data_parallel("batch")
        if shard is not None and shard[0] != 0:
            verbose = 0
        iterator = EpochIterator(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps,
            steps_per_execution=self.steps_per_execution,
            shard=shard,
        )
        self._label_ranges = iterator.adapter.label_ranges
        self._build_before_loop(iterator)
        self._wrap_data_parallel()
        callbacks = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=iterator.num_steps,
        )
        logs = self._run_test_loop(iterator, callbacks)
        if return_dict:
            return logs
        return self._flatten_in_order(logs)

    def _run_test_loop(self, iterator, callbacks):
        test_step = self._test_function()
        self.reset_metrics()
        self.stop_evaluating = False
        callbacks.on_test_begin()
        batch_hooks = callbacks.has_test_batch_hooks
        step_logs = None
        for begin, end, batches in iterator.enumerate_epoch():
            if batch_hooks:
                callbacks.on_test_batch_begin(begin)
            for batch, scale in zip(batches, iterator.scales):
                if scale == 0.0:
                    continue  # a repeated sample that only keeps the processes in step
                step_logs = test_step(batch)
            if batch_hooks:
                callbacks.on_test_batch_end(end, step_logs)
            if self.stop_evaluating:
                break
        if step_logs is None and distribution_lib.active_data_parallel() is not None:
            step_logs = MetricResults(self.metrics)
        if step_logs is None:
            raise ValueError("The evaluation data is empty: no batch was read.")
        logs = self._epoch_logs(step_logs)
        callbacks.on_test_end(logs)
        return logs

    def _flatten_in_order(self, logs):
        # Keras's order: the metrics' names in `metrics` order (a compiled metric by its own
        # name, which is its log key only for a single output), then the other keys sorted.
        # As in Keras, a name shared by two compiled metrics (`metrics=["mae"]` and
        # `weighted_metrics=["mae"]`) lists that value twice.
        names = []
        for metric in self.metrics:
            names.extend(getattr(metric, "_order_names", None) or [metric.name])
        values = [logs[n] for n in names if n in logs]
        values += [logs[k] for k in sorted(logs) if k not in names]
        return values[0] if len(values) == 1 else values

    @traceback_utils.filter_traceback
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for ``x`` as NumPy arrays (nested like the outputs).

        ``x`` takes the same kinds of data as in ``fit``; targets in its batches are ignored.
        """
        from cornu.callbacks import CallbackList

        if (
            callbacks is None
            and steps is None
            and (verbose == 0 or verbose == "auto")
            and _fits_one_batch(x, batch_size)
            and distribution_lib.active_data_parallel() is None
        ):
            # One batch and nothing to report it to: no adapter, iterator, callbacks or
            # progress bar to set up (the full loop gives the same values).
            return self._predict_array(x)
        verbose = _verbosity(verbose)
        shard = self._prepare_data_parallel("contiguous")
        self._wrap_data_parallel()
        if shard is not None and shard[0] != 0:
            verbose = 0
        iterator = EpochIterator(
            x,
            batch_size=batch_size,
            steps_per_epoch=steps,
            steps_per_execution=self.steps_per_execution,
            shard=shard,
        )
        callbacks = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=iterator.num_steps,
        )
        predict_step = self._predict_function()
        self.stop_predicting = False
        callbacks.on_predict_begin()
        batch_hooks = callbacks.has_predict_batch_hooks
        outputs = []
        for begin, end, batches in iterator.enumerate_epoch():
            if batch_hooks:
                callbacks.on_predict_batch_begin(begin)
            for batch in batches:
                out = predict_step(batch)
                outputs.append(out)
            if batch_hooks:
                callbacks.on_predict_batch_end(end, {"outputs": out})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if shard is not None:
            return self._gather_outputs(outputs)
        return self._concatenate_outputs(outputs)

    def _gather_outputs(self, outputs):
        """Every process's predictions, in order, on every process."""
        if not outputs:
            raise ValueError("`predict` received no data on this process.")
        flat = [tree.flatten(o) for o in outputs]
        joined = [
            ops.convert_to_numpy(
                backend.distribution.all_gather_rows(backend.numpy.concatenate(parts, axis=0))
            )
            for parts in zip(*flat)
        ]
        return tree.pack_sequence_as(outputs[0], joined)

    @staticmethod
    def _concatenate_outputs(outputs):
        if not outputs:
            raise ValueError("`predict` received no data.")
        flat = [tree.flatten(o) for o in outputs]
        joined = [
            ops.convert_to_numpy(backend.numpy.concatenate(parts, axis=0)) for parts in zip(*flat)
        ]
        return tree.pack_sequence_as(outputs[0], joined)

    # ---- single batches ------------------------------------------------------------------

    @traceback_utils.filter_traceback
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step on one batch; returns the metrics as ``evaluate`` does."""
        self._assert_compiled("train_on_batch")
        adapter = data_adapters.ArrayDataAdapter(
            x,
            y,
            sample_weight,
            batch_size=_batch_length(x),
            shuffle=False,
            class_weight=class_weight,
        )
        self._label_ranges = adapter.label_ranges
        self.reset_metrics()  # as Keras on torch: the logs are this batch's
        logs = self._train_function()(next(adapter.batches()))
        return self._batch_result(logs, return_dict)

    @traceback_utils.filter_traceback
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Computes the loss and metrics of one batch (without training)."""
        self._assert_compiled("test_on_batch")
        adapter = data_adapters.ArrayDataAdapter(
            x, y, sample_weight, batch_size=_batch_length(x), shuffle=False
        )
        self._label_ranges = adapter.label_ranges
        self.reset_metrics()
        logs = self._test_function()(next(adapter.batches()))
        return self._batch_result(logs, return_dict)

    @traceback_utils.filter_traceback
    def predict_on_batch(self, x):
        """The model's outputs for one batch, as NumPy arrays."""
        if _is_one_array(x):
            return self._predict_array(x)
        adapter = data_adapters.ArrayDataAdapter(x, batch_size=_batch_length(x), shuffle=False)
        return self._concatenate_outputs([self._predict_function()(next(adapter.batches()))])

    def _predict_array(self, x):
        """The predictions for one array or tensor taken as one batch: converted and cast as
        ``fit`` converts its inputs, with the conversion chosen once per array type and dtype."""
        outputs = self._predict_function()(_batch_tensor(x))
        if ops.is_tensor(outputs):
            return ops.convert_to_numpy(outputs)
        return tree.map_structure(ops.convert_to_numpy, outputs)

    def _batch_result(self, step_logs, return_dict):
        logs = self._epoch_logs(step_logs)
        return logs if return_dict else self._flatten_in_order(logs)


class MetricResults(Mapping):
    """The metrics' current values, each computed only when read: a step whose logs nobody
    reads costs no extra work."""

    def __init__(self, metrics):
        self._metrics = {m.name: m for m in leaf_metrics(metrics)}
        self._count = len(metrics)

    def covers(self, metrics):
        return len(metrics) == self._count

    def __getitem__(self, name):
        return self._metrics[name].result()

    def __iter__(self):
        return iter(self._metrics)

    def __len__(self):
        return len(self._metrics)


def _results(metrics, convert=None):
    """Every metric's result by name; a dict result (the compiled metrics') is merged in.
    The compiled metrics are left out while not built (nothing updated them yet)."""
    out = {}
    for metric in metrics:
        if isinstance(metric, CompileMetrics) and not metric.built:
            continue
        result = metric.result()
        if isinstance(result, Mapping):
            for name, value in result.items():
                out[name] = value if convert is None else convert(value)
        else:
            out[metric.name] = result if convert is None else convert(result)
    return out


def _resolve_jit_compile(jit_compile, run_eagerly):
    """Whether the steps compile with the backend's compiler: ``"auto"`` is Keras's rule
    (``jax.jit`` on JAX; XLA on TensorFlow only when an accelerator is present, else a
    ``tf.function`` without XLA; uncompiled on torch), and ``run_eagerly`` turns compilation
    off."""
    if jit_compile == "auto":
        if run_eagerly:
            return False
        if config.backend() == "tensorflow":
            devices = backend.distribution.list_devices()
            return bool(devices) and not devices[0].startswith("cpu")
        return config.backend() == "jax"
    if jit_compile and run_eagerly:
        warnings.warn(
            "If `run_eagerly` is True, then `jit_compile` cannot also be True. Disabling "
            "`jit_compile`.",
            stacklevel=3,
        )
        return False
    return jit_compile is True


def _check_epochs(epochs, initial_epoch):
    """Keras accepts any ``epochs`` and trains nothing when it is not above
    ``initial_epoch``; cornu says so (a type error for what is not an integer)."""
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)):
        raise TypeError(f"`epochs` must be an int. Received: epochs={epochs!r}")
    if epochs <= initial_epoch:
        warnings.warn(
            f"fit(epochs={epochs}, initial_epoch={initial_epoch}) runs no epoch: `epochs` is the "
            "index of the last epoch to run, so it must be above `initial_epoch` for any "
            "training to happen. Nothing was trained.",
            stacklevel=3,
        )


def _check_validation_freq(validation_freq):
    if isinstance(validation_freq, list):
        return
    if not isinstance(validation_freq, int):
        raise ValueError(
            "Expected `validation_freq` to be a list or int. Received: "
            f"validation_freq={validation_freq} of the type {type(validation_freq)}."
        )
    if validation_freq < 1:
        raise ValueError(
            "`validation_freq` must be an int >= 1 (validate every that many epochs) or a list "
            f"of 1-based epoch numbers. Received: validation_freq={validation_freq}"
        )


def _should_validate(epoch, validation_freq):
    """Whether to validate after ``epoch`` (0-based); ``validation_freq`` counts from 1."""
    if isinstance(validation_freq, list):
        return epoch + 1 in validation_freq
    return (epoch + 1) % validation_freq == 0


def _results_over_processes(metrics):
    """Each metric's result over the data of all processes: its state variables are summed
    across processes (averaged for ``aggregation="mean"``), read, then put back."""
    variables = [v for m in metrics for v in m.variables]
    saved = [backend.numpy.copy(v.value) for v in variables]
    summed = backend.distribution.all_reduce_sum([v.value for v in variables])
    count = backend.distribution.num_processes()
    try:
        for variable, total in zip(variables, summed):
            aggregation = getattr(variable, "aggregation", "sum")
            if aggregation == "mean":
                total = total / count
            if aggregation in ("sum", "mean"):
                variable.assign(total)
        return _results(metrics, ops.convert_to_numpy)
    finally:
        for variable, value in zip(variables, saved):
            variable.assign(value)


# (array type, dtype, floatx) -> the dtype a batch is cast to (None: kept), for arrays whose
# conversion `tensor_from_array` has already checked.
_BATCH_CASTS = {}


def _batch_tensor(x):
    """``tensor_from_array(x)`` for one NumPy array or tensor, its checks made once per array
    type and dtype: a one-sample prediction pays for the conversion alone."""
    key = (type(x), x.dtype, config.floatx())
    try:
        cast_to = _BATCH_CASTS[key]
    except (KeyError, TypeError):
        tensor = tensor_from_array(x)
        if isinstance(x, np.ndarray) and len(_BATCH_CASTS) < 64:
            same = backend.standardize_dtype(tensor.dtype) == backend.standardize_dtype(x.dtype)
            _BATCH_CASTS[key] = None if same else backend.standardize_dtype(tensor.dtype)
        return tensor
    if cast_to is not None:
        x = x.astype(cast_to)
    return ops.convert_to_tensor(x)


def _batch_length(x):
    leaf = tree.flatten(x)[0]
    return max(1, int(np.shape(leaf)[0]) if not ops.is_tensor(leaf) else int(leaf.shape[0]))
