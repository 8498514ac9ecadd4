"""The training loop shared by every backend: compile, fit, evaluate, predict.

The backend's trainer supplies ``train_step``, ``test_step`` and ``predict_step``; this class
turns the data into batches, runs the epochs and steps, and drives the callbacks.
"""

from collections.abc import Mapping

import numpy as np

from cornu import backend
from cornu import metrics as metrics_module
from cornu import optimizers as optimizers_module
from cornu.backend import tree
from cornu.layers import call_context
from cornu.trainers import data_adapter
from cornu.trainers.compile_utils import CompileLoss, CompileMetrics
from cornu.trainers.epoch_iterator import EpochIterator


def _verbosity(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"`verbose` must be 'auto', 0, 1 or 2. Received: verbose={verbose!r}")
    return verbose


def _pythonify(logs):
    return {k: float(backend.convert_to_numpy(v)) for k, v in logs.items()}


class Trainer(backend.BackendTrainer):
    """Adds ``compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._label_ranges = None
        self._results_view = None
        self.jit_compile = False
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
            jit_compile: ``True`` compiles the training step with ``torch.compile``.
        """
        self.optimizer = optimizers_module.get(optimizer)
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
            CompileMetrics(metrics, weighted_metrics) if (metrics or weighted_metrics) else None
        )
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile is True
        self.compiled = True
        self._reset_step_functions()

    def _assert_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(
                f"You must call `compile()` before using `{method}()` on model '{self.name}'."
            )

    @property
    def metrics(self):
        """The loss tracker and the compiled metrics."""
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compile_loss is not None:
            out.extend(self._compile_loss.output_trackers)
        if self._compile_metrics is not None:
            out.extend(self._compile_metrics.metrics)
        return out

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
            total = self._compile_loss(y, y_pred, sample_weight)
        for loss in self._collect_extra_losses():
            total = loss if total is None else total + loss
        if total is None:
            raise ValueError(
                f"Model '{self.name}' has no loss to minimize: pass `loss=` to `compile()` or "
                "add losses with `add_loss()`."
            )
        return total

    def _collect_extra_losses(self):
        extra = [v.regularizer(v.value) for v in self._regularized_variables()]
        if call_context.add_loss_used():
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
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        view = self._results_view
        if view is None or not view.covers(self.metrics):
            view = self._results_view = MetricResults(self.metrics)
        return view

    def get_metrics_result(self):
        """The current value of every metric, as a dict of backend scalars."""
        return {m.name: m.result() for m in self.metrics}

    # ---- fit / evaluate / predict ----------------------------------------------------------

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
            x, y: inputs and targets (arrays, tensors, or lists/dicts of them).
            batch_size: samples per step (32 when None).
            epochs: the index of the last epoch to run.
            verbose: 0 silent, 1 progress bar, 2 one line per epoch ("auto" is 1).
            callbacks: a list of ``Callback``.
            validation_split: the fraction of the data (taken from the end) held out.
            validation_data: ``(x_val, y_val)`` or ``(x_val, y_val, sample_weight_val)``.
            shuffle: shuffle the samples before each epoch.
            class_weight: ``{class_index: weight}`` weighting the loss per class.
            sample_weight: per-sample loss weights.
            initial_epoch: the epoch to start at (for resuming).
            steps_per_epoch: steps per epoch (all batches when None).
        """
        from cornu.callbacks import CallbackList

        self._assert_compiled("fit")
        verbose = _verbosity(verbose)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapter.split_for_validation(
                x, y, sample_weight, validation_split
            )
        iterator = EpochIterator(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
        )
        self._label_ranges = iterator.adapter.label_ranges
        val_iterator = None
        if validation_data is not None:
            val_x, val_y, val_sw = _unpack_validation(validation_data)
            val_iterator = EpochIterator(
                val_x,
                val_y,
                val_sw,
                batch_size=validation_batch_size or batch_size,
                steps_per_epoch=validation_steps,
            )
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
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            batch_hooks = callbacks.has_train_batch_hooks
            step_logs = None
            for step, batch in iterator.enumerate_epoch():
                if batch_hooks:
                    callbacks.on_train_batch_begin(step)
                step_logs = train_step(batch)
                if batch_hooks:
                    callbacks.on_train_batch_end(step, step_logs)
                if self.stop_training:
                    break
            if step_logs is None:
                raise ValueError("`fit` ran an epoch without any batch: the data is empty.")
            logs = _pythonify(self.get_metrics_result())
            if val_iterator is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._run_test_loop(val_iterator, callbacks)
                logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        if self.optimizer is not None:
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(logs)
        return self.history

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
        ``[loss, *metrics]``, or a dict when ``return_dict=True``."""
        from cornu.callbacks import CallbackList

        self._assert_compiled("evaluate")
        verbose = _verbosity(verbose)
        iterator = EpochIterator(x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps)
        self._label_ranges = iterator.adapter.label_ranges
        callbacks = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=iterator.num_steps,
        )
        logs = self._run_test_loop(iterator, callbacks, own_hooks=True)
        if return_dict:
            return logs
        return self._flatten_in_order(logs)

    def _run_test_loop(self, iterator, callbacks, own_hooks=False):
        test_step = self._test_function()
        self.reset_metrics()
        callbacks.on_test_begin()
        batch_hooks = callbacks.has_test_batch_hooks
        for step, batch in iterator.enumerate_epoch():
            if batch_hooks:
                callbacks.on_test_batch_begin(step)
            step_logs = test_step(batch)
            if batch_hooks:
                callbacks.on_test_batch_end(step, step_logs)
        logs = _pythonify(self.get_metrics_result())
        callbacks.on_test_end(logs)
        return logs

    def _flatten_in_order(self, logs):
        names = [m.name for m in self.metrics]
        values = [logs[n] for n in names if n in logs]
        values += [logs[k] for k in sorted(logs) if k not in names]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Returns the model's outputs for ``x`` as NumPy arrays (nested like the outputs)."""
        from cornu.callbacks import CallbackList

        verbose = _verbosity(verbose)
        iterator = EpochIterator(x, batch_size=batch_size, steps_per_epoch=steps)
        callbacks = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=iterator.num_steps,
        )
        predict_step = self._predict_function()
        callbacks.on_predict_begin()
        batch_hooks = callbacks.has_predict_batch_hooks
        outputs = []
        for step, batch in iterator.enumerate_epoch():
            if batch_hooks:
                callbacks.on_predict_batch_begin(step)
            out = predict_step(batch)
            outputs.append(out)
            if batch_hooks:
                callbacks.on_predict_batch_end(step, {"outputs": out})
        callbacks.on_predict_end()
        return self._concatenate_outputs(outputs)

    @staticmethod
    def _concatenate_outputs(outputs):
        if not outputs:
            raise ValueError("`predict` received no data.")
        flat = [tree.flatten(o) for o in outputs]
        joined = [
            backend.convert_to_numpy(backend.numpy.concatenate(parts, axis=0))
            for parts in zip(*flat)
        ]
        return tree.pack_sequence_as(outputs[0], joined)

    # ---- single batches ------------------------------------------------------------------

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step on one batch; returns the metrics as ``evaluate`` does."""
        self._assert_compiled("train_on_batch")
        adapter = data_adapter.ArrayDataAdapter(
            x,
            y,
            sample_weight,
            batch_size=_batch_length(x),
            shuffle=False,
            class_weight=class_weight,
        )
        self._label_ranges = adapter.label_ranges
        self._train_function()(next(adapter.batches()))
        return self._batch_result(return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Computes the loss and metrics of one batch (without training)."""
        self._assert_compiled("test_on_batch")
        adapter = data_adapter.ArrayDataAdapter(
            x, y, sample_weight, batch_size=_batch_length(x), shuffle=False
        )
        self._label_ranges = adapter.label_ranges
        self.reset_metrics()
        self._test_function()(next(adapter.batches()))
        return self._batch_result(return_dict)

    def predict_on_batch(self, x):
        """The model's outputs for one batch, as NumPy arrays."""
        adapter = data_adapter.ArrayDataAdapter(x, batch_size=_batch_length(x), shuffle=False)
        return self._concatenate_outputs([self._predict_function()(next(adapter.batches()))])

    def _batch_result(self, return_dict):
        logs = _pythonify(self.get_metrics_result())
        return logs if return_dict else self._flatten_in_order(logs)


class MetricResults(Mapping):
    """The metrics' current values, each computed only when read: a step whose logs nobody
    reads costs no extra work."""

    def __init__(self, metrics):
        self._metrics = {m.name: m for m in metrics}
        self._count = len(metrics)

    def covers(self, metrics):
        return len(metrics) == self._count

    def __getitem__(self, name):
        return self._metrics[name].result()

    def __iter__(self):
        return iter(self._metrics)

    def __len__(self):
        return len(self._metrics)


def _batch_length(x):
    leaf = tree.flatten(x)[0]
    return max(1, int(np.shape(leaf)[0]) if not backend.is_tensor(leaf) else int(leaf.shape[0]))


def _unpack_validation(data):
    if isinstance(data, (list, tuple)) and len(data) in (2, 3):
        return (data[0], data[1], data[2] if len(data) == 3 else None)
    raise ValueError(
        "`validation_data` must be a tuple `(x_val, y_val)` or `(x_val, y_val, val_sample_weight)`."
        f" Received: {type(data).__name__}"
    )
