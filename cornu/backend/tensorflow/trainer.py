"""The TensorFlow training, evaluation and prediction steps.

Each step is the JAX backend's pure step written with TensorFlow: the model's state (the
trainable and non-trainable values, the optimizer's and the metrics' values) is read from the
variables, the step runs inside ``StatelessScope``s that map the variables to those values
(gradients from a ``tf.GradientTape`` watching the trainable values; the optimizer takes its
traced path), and the new state is assigned back to the variables. The read, the step and the
assignments are one ``tf.function``, compiled by XLA under ``jit_compile`` (True, or "auto"
with an accelerator present, as in Keras); ``run_eagerly`` runs the step eagerly.
``steps_per_execution`` runs its group of steps in one call.
"""

import warnings

import tensorflow as tf

from cornu.backend.tensorflow.core import (
    StatelessScope,
    Variable,
    convert_to_tensor,
    in_stateless_scope,
)
from cornu.core import tree
from cornu.core.global_state import weights_version
from cornu.core.masking import get_keras_mask, set_keras_mask


class TensorflowTrainer:
    """The backend half of ``Model``: one step of training, evaluation or prediction."""

    def _reset_step_functions(self):
        self._tf_steps = {}
        self._tf_state = None
        self._tf_trace_count = 0

    def _regularized_variables(self):
        return [v for v in self.weights if v.regularizer is not None and v.trainable]

    # ---- the state -----------------------------------------------------------------------

    def _state_variables(self):
        """``(trainable, non_trainable, optimizer, metrics)`` variable lists, recomputed when
        the model's weights, its optimizer or its metrics may have changed."""
        optimizer = self.optimizer
        metric_variables = self.metrics_variables
        key = (
            weights_version(),
            id(optimizer),
            len(optimizer.variables) if optimizer is not None else 0,
            len(metric_variables),
        )
        state = self.__dict__.get("_tf_state")
        if state is not None and state[0] == key:
            return state[1]
        trainable = list(self.trainable_weights)
        seen = {id(v) for v in trainable}
        non_trainable = []
        for variable in self.variables:
            if id(variable) not in seen:
                seen.add(id(variable))
                non_trainable.append(variable)
        optimizer_variables = []
        if optimizer is not None:
            optimizer_variables = [v for v in optimizer.variables if id(v) not in seen]
            seen.update(map(id, optimizer_variables))
        metrics = []
        for variable in metric_variables:  # a layer's metric is listed once per level
            if id(variable) not in seen:
                seen.add(id(variable))
                metrics.append(variable)
        lists = (trainable, non_trainable, optimizer_variables, metrics)
        self._tf_state = (key, lists)
        return lists

    def _compiled(self, kind, fn):
        """``fn`` (a step ``data -> out`` that reads and assigns the variables) as a
        ``tf.function`` (compiled by XLA when ``jit_compile`` is set), or as it is under
        ``run_eagerly``; kept until the variables change."""
        steps = self.__dict__.setdefault("_tf_steps", {})
        entry = steps.get(kind)
        eager = bool(self.run_eagerly)
        key = (self._tf_state[0], bool(self.jit_compile), eager)
        if entry is None or entry[0] != key:
            if eager:
                step = fn
            elif self.jit_compile:
                step = _XlaStep(fn)
            else:
                step = tf.function(fn, autograph=False)
            entry = steps[kind] = (key, step)
        return entry[1]

    # ---- the pure steps ------------------------------------------------------------------

    def _forward(self, x, training):
        wrapped = self.__dict__.get("_data_parallel_module")
        if wrapped is not None and training:
            return wrapped(x, training=training)
        return self(x, training=training)

    def _pure_train_step(self, state, data):
        trainable_vars, non_trainable_vars, optimizer_vars, metric_vars = self._tf_state[1]
        trainable, non_trainable, optimizer_values, metric_values = state
        x, y, sample_weight = _unpack(data)
        scale = self.__dict__.get("_shard_loss_scale", 1.0)

        # Non-trainable variables that take their gradient as new value (float8 layers'
        # output-gradient scales, known only in the backward pass), as Keras's optimizer does.
        overwritten = [
            i for i, v in enumerate(non_trainable_vars) if getattr(v, "overwrite_with_gradient", 0)
        ]
        overwrite_values = [non_trainable[i] for i in overwritten]
        mapping = list(zip(trainable_vars, trainable))
        mapping += zip(non_trainable_vars, non_trainable)
        mapping += zip(metric_vars, metric_values)  # layers may update metrics in `call`
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(trainable + overwrite_values)
            with StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
                y_pred = self._forward(x, training=True)
                loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
                non_trainable = _current(scope, non_trainable_vars, non_trainable)
                metric_values = _current(scope, metric_vars, metric_values)
            scaled = self.optimizer.scale_loss(loss) if trainable_vars else loss
            if scale != 1.0:
                scaled = scaled * scale
        masks = [get_keras_mask(leaf) for leaf in tree.flatten(y_pred)]
        grads = tape.gradient(scaled, trainable + overwrite_values) if trainable_vars else []
        if overwritten:
            non_trainable = list(non_trainable)
            for i, grad in zip(overwritten, grads[len(trainable) :]):
                if grad is not None:
                    non_trainable[i] = tf.cast(grad, non_trainable[i].dtype)
            grads = grads[: len(trainable)]
        y_pred = _with_masks(tree.map_structure(_stop_gradient, y_pred), masks)
        mapping = list(zip(trainable_vars, trainable))
        mapping += zip(non_trainable_vars, non_trainable)
        mapping += zip(optimizer_vars, optimizer_values)
        mapping += zip(metric_vars, metric_values)
        with StatelessScope(state_mapping=mapping) as scope:
            if trainable_vars:
                self.optimizer.apply(grads, trainable_vars)
            weight = _batch_size(x) if scale else 0
            self._loss_tracker.update_state(loss, sample_weight=weight)
            logs = _materialize(self.compute_metrics(x, y, y_pred, sample_weight))
            new_state = tuple(
                _current(scope, variables, values)
                for variables, values in zip(
                    self._tf_state[1], (trainable, non_trainable, optimizer_values, metric_values)
                )
            )
        return logs, new_state

    def _pure_test_step(self, state, data):
        trainable_vars, non_trainable_vars, _, metric_vars = self._tf_state[1]
        trainable, non_trainable, _, metric_values = state
        x, y, sample_weight = _unpack(data)
        mapping = list(zip(trainable_vars, trainable))
        mapping += zip(non_trainable_vars, non_trainable)
        mapping += zip(metric_vars, metric_values)
        with StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
            y_pred = self(x, training=False)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
            self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
            logs = _materialize(self.compute_metrics(x, y, y_pred, sample_weight))
            new_state = (
                trainable,
                _current(scope, non_trainable_vars, non_trainable),
                state[2],
                _current(scope, metric_vars, metric_values),
            )
        return logs, new_state

    def _pure_predict_step(self, state, data):
        trainable_vars, non_trainable_vars = self._tf_state[1][:2]
        trainable, non_trainable = state[:2]
        x = _unpack(data)[0]
        mapping = list(zip(trainable_vars, trainable)) + list(
            zip(non_trainable_vars, non_trainable)
        )
        with StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
            outputs = self(x, training=False)
            new_state = (
                trainable,
                _current(scope, non_trainable_vars, non_trainable),
            ) + tuple(state[2:])
        return outputs, new_state

    def _stateful(self, pure_step, lists, count=None):
        """A step ``data -> out`` over the variables of ``lists`` (empty lists for the kinds
        the step does not touch): reads their values, runs ``pure_step`` (``count`` times
        over a group of batches when given: ``steps_per_execution``) and assigns the values
        that changed. Traced whole by ``tf.function``."""

        def step(data):
            self._tf_trace_count = self.__dict__.get("_tf_trace_count", 0) + 1
            state = tuple([_read(v) for v in variables] for variables in lists)
            if count is None:
                out, new_state = pure_step(state, data)
            else:
                new_state = state
                for batch in data:
                    out, new_state = pure_step(new_state, batch)
            _assign(lists, state, new_state)
            return out

        return step

    # ---- building what the first step would create ----------------------------------------

    def _build_for_step(self, pure_step, data):
        """Creates what a first step creates lazily (the model's weights, the compiled loss
        and metrics and their variables, the optimizer's slots) before the state is
        gathered: a compiled step cannot add variables to its own inputs. The step is traced
        once into a graph that never runs (no state changes)."""
        if self.__dict__.get("_tf_built_version") == _build_key(self):
            return
        if self.optimizer is not None and not self.optimizer.built and self.trainable_weights:
            self.optimizer.build(self.trainable_weights)
        self._tf_state = None
        lists = self._state_variables()
        count = self.__dict__.get("_tf_trace_count", 0)

        def trace(data):
            state = tuple([_read(v) for v in variables] for variables in lists)
            return pure_step(state, data)[0]

        tf.function(trace, autograph=False).get_concrete_function(data)
        self._tf_trace_count = count
        if self.optimizer is not None and not self.optimizer.built and self.trainable_weights:
            self.optimizer.build(self.trainable_weights)
        self._tf_state = None
        self._state_variables()
        self._tf_built_version = _build_key(self)

    # ---- the steps the loop calls ---------------------------------------------------------

    def train_step(self, data):
        """One optimization step on a batch (``x``, ``(x, y)`` or ``(x, y, sample_weight)``);
        returns the logs (the metrics' results, as tensors)."""
        data = _as_tensors(data)
        self._build_for_step(self._pure_train_step, data)
        lists = self._state_variables()
        step = self._compiled("train", self._stateful(self._pure_train_step, lists))
        return step(data)

    def _train_steps(self, batches):
        """Runs the train steps of ``batches`` (a group of ``steps_per_execution``) in one
        compiled call; returns the last step's logs."""
        batches = tuple(_as_tensors(data) for data in batches)
        self._build_for_step(self._pure_train_step, batches[0])
        lists = self._state_variables()
        step = self._compiled(
            ("train", len(batches)),
            self._stateful(self._pure_train_step, lists, count=len(batches)),
        )
        return step(batches)

    def test_step(self, data):
        """The loss and metrics of a batch, without training; returns the logs."""
        data = _as_tensors(data)
        self._build_for_step(self._pure_test_step, data)
        trainable, non_trainable, _, metrics = self._state_variables()
        lists = (trainable, non_trainable, [], metrics)
        return self._compiled("test", self._stateful(self._pure_test_step, lists))(data)

    def predict_step(self, data):
        """The model's outputs for the inputs of a batch."""
        data = _as_tensors(data)
        if not self.built:
            self._build_for_step(self._pure_predict_step, data)
        trainable, non_trainable = self._state_variables()[:2]
        lists = (trainable, non_trainable, [], [])
        return self._compiled("predict", self._stateful(self._pure_predict_step, lists))(data)

    def _train_function(self):
        if type(self).train_step is not TensorflowTrainer.train_step:
            return self.train_step  # a custom train_step runs as written, batch by batch
        if not self.run_eagerly and self.__dict__.get("_data_parallel_module") is None:
            return _TrainFunction(self.train_step, self._train_steps)
        return self.train_step

    def _test_function(self):
        return self.test_step

    def _predict_function(self):
        return self.predict_step


class _XlaStep:
    """A step as a ``tf.function`` compiled by XLA. A step that XLA cannot compile (an op
    without an XLA kernel) warns once and runs as a ``tf.function`` without XLA.

    Each batch shape is traced apart (no ``reduce_retracing``): shapes stay static inside the
    step, as under ``jax.jit``, which the shared loss and metric code relies on; XLA
    compiles each shape anyway."""

    __slots__ = ("_function", "_xla")

    def __init__(self, fn):
        self._function = tf.function(fn, jit_compile=True, autograph=False)
        self._xla = True

    def __call__(self, data):
        if not self._xla:
            return self._function(data)
        try:
            return self._function(data)
        except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError) as e:
            if not _is_xla_compile_error(e):
                raise
            warnings.warn(
                "The step could not be compiled by XLA (`jit_compile=True`); it runs as a "
                "`tf.function` without XLA. Pass `jit_compile=False` to run it eagerly. "
                f"XLA said: {str(e).splitlines()[0][:300]}",
                stacklevel=3,
            )
            self._function = tf.function(self._function.python_function, autograph=False)
            self._xla = False
            return self._function(data)


def _is_xla_compile_error(error):
    """True for an error of XLA's compilation of the step (not of running it)."""
    text = str(error).lower()
    return any(
        marker in text
        for marker in ("tf2xla", "xla compilation", "could not be compiled", "unsupported op")
    )


class _TrainFunction:
    """The train step, called per batch, with ``many(batches)``: a group of batches in one
    compiled call (the loop uses it for ``steps_per_execution`` > 1)."""

    __slots__ = ("_one", "many")

    def __init__(self, one, many):
        self._one = one
        self.many = many

    def __call__(self, data):
        return self._one(data)


def _build_key(model):
    optimizer = model.optimizer
    return (
        weights_version(),
        id(optimizer),
        bool(optimizer is not None and optimizer.built),
        len(model.metrics_variables),
    )


def _read(variable):
    """A variable's current value as a tensor: a read of its ``tf.Variable``, or its mapped
    value inside a ``StatelessScope`` (a user's stateless call around the step)."""
    value = variable._value
    if isinstance(value, tf.Variable) and not in_stateless_scope():
        return value.read_value()
    return convert_to_tensor(variable.value)


def _assign(lists, old_state, new_state):
    """Assigns each variable the value the step gave it; a value the step left as it was
    (the very tensor read at its start) is not written. Inside a ``StatelessScope`` the
    assignment goes through the variable's ``assign`` (the scope records it)."""
    direct = not in_stateless_scope()
    for variables, old_values, values in zip(lists, old_state, new_state):
        for variable, old, value in zip(variables, old_values, values):
            if value is old:
                continue
            target = variable._value
            if direct and isinstance(target, tf.Variable):
                if value.dtype != target.dtype:
                    value = tf.cast(value, target.dtype)
                target.assign(value)
            else:
                variable.assign(value)


def _current(scope, variables, values):
    """The values of ``variables`` in ``scope``: assigned there, else the given ones."""
    out = []
    for variable, value in zip(variables, values):
        current = scope.get_current_value(variable)
        out.append(value if current is None else current)
    return out


def _materialize(logs):
    """The logs as a dict of tensors (a lazy results view is read inside the step)."""
    return {name: logs[name] for name in logs}


def _stop_gradient(x):
    return tf.stop_gradient(x) if tf.is_tensor(x) else x


def _with_masks(y_pred, masks):
    """``y_pred`` with the masks its leaves carried before ``stop_gradient`` made new
    tensors of them."""
    for leaf, mask in zip(tree.flatten(y_pred), masks):
        if mask is not None:
            set_keras_mask(leaf, mask)
    return y_pred


def _as_tensors(data):
    """The batch with its NumPy, Python-number and Variable leaves as tensors (a
    ``tf.function`` takes a new Python value as a reason to trace again)."""

    def convert(x):
        if isinstance(x, Variable):
            return x.value
        if x is None or isinstance(x, (str, bytes)) or tf.is_tensor(x):
            return x
        if hasattr(x, "__array__") or isinstance(x, (int, float)):
            return convert_to_tensor(x)
        return x

    return tree.map_structure(convert, data)


def _unpack(data):
    """``(x, y, sample_weight)`` from a batch packed as Keras packs it."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if not 1 <= len(data) <= 3:
        raise ValueError(
            "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
            f"found a tuple of {len(data)} elements."
        )
    return data + (None,) * (3 - len(data))


def _batch_size(x):
    leaf = tree.flatten(x)[0]
    size = leaf.shape[0]
    if size is None:  # unknown while tracing: the batch's dynamic size
        return tf.shape(leaf)[0]
    return size
