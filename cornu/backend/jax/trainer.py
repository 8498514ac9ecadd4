"""The JAX training, evaluation and prediction steps.

Each step is a pure function of the model's state and a batch: the trainable values, the
non-trainable values (moving statistics, seed-generator states), the optimizer's and the
metrics' values go in as arrays and come out updated, computed inside ``StatelessScope``s that
map the variables to them. With ``jit_compile`` (True, or "auto": the JAX default) the step is
compiled once by ``jax.jit``, donating the state; the new state is written back into the
variables after each call, so eager code (callbacks, ``get_weights``) sees it.
"""

import jax
import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import StatelessScope, Variable, in_stateless_scope
from cornu.core import tree
from cornu.core.global_state import weights_version
from cornu.core.masking import get_keras_mask, set_keras_mask


class JaxTrainer:
    """The backend half of ``Model``: one step of training, evaluation or prediction."""

    def _reset_step_functions(self):
        self._jax_steps = {}
        self._jax_state = None
        self._jax_trace_count = 0
        self._jax_owned = {}  # id(variable) -> the array a step gave it (see `_values`)

    def _regularized_variables(self):
        return [v for v in self.weights if v.regularizer is not None and v.trainable]

    # ---- the state -----------------------------------------------------------------------

    def _state_variables(self, metric_variables=None):
        """``(trainable, non_trainable, optimizer, metrics)`` variable lists, recomputed when
        the model's weights, its optimizer or its metrics may have changed
        (``metric_variables``: the model's ``metrics_variables`` when the caller has them)."""
        optimizer = self.optimizer
        if metric_variables is None:
            metric_variables = self.metrics_variables
        key = (
            weights_version(),
            id(optimizer),
            len(optimizer.variables) if optimizer is not None else 0,
            len(metric_variables),
        )
        if self._jax_state is not None and self._jax_state[0] == key:
            return self._jax_state[1]
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
        self._jax_state = (key, lists)
        return lists

    def _values(self, lists):
        """The variables' arrays, to give to a step that donates them. Only arrays that a
        step returned are given as they are: another (assigned from outside, as a metric's
        reset or a user's array, or held by two variables) is copied first, so donating it
        never invalidates an array that something else holds."""
        owned = self._jax_owned
        seen = set()
        out = []
        for variables in lists:
            values = []
            for variable in variables:
                value = variable.value
                if owned.get(id(variable)) is not value or id(value) in seen:
                    value = jnp.copy(value)
                seen.add(id(value))
                values.append(value)
            out.append(values)
        return tuple(out)

    def _write_back(self, lists, values):
        """Assigns a step's new state to the variables and remembers the arrays as the
        step's own (see ``_values``).

        A step returns each value with its variable's shape and dtype, so outside a
        ``StatelessScope`` the array is stored as it is: no checks or conversions per step.
        """
        owned = self._jax_owned
        direct = not in_stateless_scope()
        for variables, new_values in zip(lists, values):
            for variable, value in zip(variables, new_values):
                if direct:
                    variable._value = value
                else:
                    variable.assign(value)
                owned[id(variable)] = variable.value

    def _compiled(self, kind, fn):
        """``fn`` (a pure step ``(kept, state, data) -> (out, new state)``) compiled by
        ``jax.jit`` with ``state`` donated, or as it is when ``jit_compile`` is False; kept
        until the variables change."""
        entry = self._jax_steps.get(kind)
        key = (self._jax_state[0], bool(self.jit_compile))
        if entry is None or entry[0] != key:
            step = jax.jit(fn, donate_argnums=1) if self.jit_compile else fn
            entry = self._jax_steps[kind] = (key, step)
        return entry[1]

    # ---- the pure steps ------------------------------------------------------------------

    def _forward(self, x, training):
        wrapped = self.__dict__.get("_data_parallel_module")
        if wrapped is not None and training:
            return wrapped(x, training=training)
        return self(x, training=training)

    def _pure_train_step(self, kept, state, data):
        self._jax_trace_count += 1
        trainable_vars, non_trainable_vars, optimizer_vars, metric_vars = self._jax_state[1]
        trainable, non_trainable, optimizer_values, metric_values = state
        x, y, sample_weight = _unpack(data)
        scale = self.__dict__.get("_shard_loss_scale", 1.0)

        # Non-trainable variables that take their gradient as new value (float8 layers'
        # output-gradient scales, known only in the backward pass), as Keras's optimizer does.
        overwritten = [
            i for i, v in enumerate(non_trainable_vars) if getattr(v, "overwrite_with_gradient", 0)
        ]

        def loss_fn(trainable_values, overwrite_values=()):
            # Layers may update metrics in `call`: the metrics are mapped here too.
            mapping = list(zip(trainable_vars, trainable_values))
            given = dict(zip(overwritten, overwrite_values))
            mapping += (
                (v, given.get(i, t))
                for i, (v, t) in enumerate(zip(non_trainable_vars, non_trainable))
            )
            mapping += zip(metric_vars, metric_values)
            with StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
                y_pred = self._forward(x, training=True)
                loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
                new_non_trainable = _current(scope, non_trainable_vars, non_trainable)
                new_metrics = _current(scope, metric_vars, metric_values)
            scaled = self.optimizer.scale_loss(loss)
            if scale != 1.0:
                scaled = scaled * scale
            masks = [get_keras_mask(leaf) for leaf in tree.flatten(y_pred)]
            return scaled, (loss, y_pred, masks, new_non_trainable, new_metrics)

        if trainable_vars:
            grad_fn = jax.value_and_grad(loss_fn, argnums=(0, 1), has_aux=True)
            (_, aux), (grads, new_values) = grad_fn(
                trainable, [non_trainable[i] for i in overwritten]
            )
        else:
            _, aux = loss_fn(trainable)
            grads, new_values = [], []
        loss, y_pred, masks, non_trainable, metric_values = aux
        if new_values:
            non_trainable = list(non_trainable)
            for i, value in zip(overwritten, new_values):
                non_trainable[i] = value
        y_pred = _with_masks(jax.lax.stop_gradient(y_pred), masks)
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
                    self._jax_state[1], (trainable, non_trainable, optimizer_values, metric_values)
                )
            )
        return logs, new_state

    def _pure_train_steps(self, kept, state, batches):
        """Several train steps in one call (``steps_per_execution``), unrolled as Keras's
        JAX trainer does; returns the last step's logs."""
        logs = None
        for data in batches:
            logs, state = self._pure_train_step(kept, state, data)
            self._jax_trace_count -= 1  # one trace of the group counts once
        self._jax_trace_count += 1
        return logs, state

    def _pure_test_step(self, trainable, state, data):
        self._jax_trace_count += 1
        trainable_vars, non_trainable_vars, _, metric_vars = self._jax_state[1]
        non_trainable, metric_values = state
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
                _current(scope, non_trainable_vars, non_trainable),
                _current(scope, metric_vars, metric_values),
            )
        return logs, new_state

    def _pure_predict_step(self, trainable, state, data):
        self._jax_trace_count += 1
        trainable_vars, non_trainable_vars = self._jax_state[1][:2]
        (non_trainable,) = state
        x = _unpack(data)[0]
        mapping = list(zip(trainable_vars, trainable)) + list(
            zip(non_trainable_vars, non_trainable)
        )
        with StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
            outputs = self(x, training=False)
            new_non_trainable = _current(scope, non_trainable_vars, non_trainable)
        return outputs, (new_non_trainable,)

    # ---- building what the first step would create ----------------------------------------

    def _build_for_step(self, pure_step, split, data):
        """Creates what a first step creates lazily (the model's weights, the compiled loss
        and metrics and their variables, the optimizer's slots) before the state is
        gathered: a compiled step cannot add variables to its own inputs. The step is traced
        once abstractly (``jax.eval_shape``: nothing runs, no state changes). Returns the
        state's variable lists (the model's metrics are walked once per step)."""
        metric_variables = self.metrics_variables
        if self.__dict__.get("_jax_built_version") == _build_key(self, metric_variables):
            return self._state_variables(metric_variables)
        if self.optimizer is not None and not self.optimizer.built and self.trainable_weights:
            self.optimizer.build(self.trainable_weights)
        self._jax_state = None
        lists = self._state_variables()
        values = tuple([v.value for v in variables] for variables in lists)
        jax.eval_shape(pure_step, *split(values), data)
        self._jax_trace_count -= 1
        if self.optimizer is not None and not self.optimizer.built and self.trainable_weights:
            self.optimizer.build(self.trainable_weights)
        self._jax_state = None
        lists = self._state_variables()
        self._jax_built_version = _build_key(self)
        return lists

    # ---- the steps the loop calls ---------------------------------------------------------

    def train_step(self, data):
        """One optimization step on a batch (``x``, ``(x, y)`` or ``(x, y, sample_weight)``);
        returns the logs (the metrics' results, as arrays)."""
        data = _as_arrays(data, self.jit_compile)
        lists = self._build_for_step(self._pure_train_step, lambda values: ((), values), data)
        step = self._compiled("train", self._pure_train_step)
        state = self._values(lists)
        wrapped = self.__dict__.get("_data_parallel_module")
        if wrapped is not None:
            # Data parallelism: the state replicated over the mesh, the batch split on it.
            state, data = wrapped.place(state, data)
        logs, new_state = step((), state, data)
        self._write_back(lists, new_state)
        return logs

    def _train_steps(self, batches):
        """Runs the train steps of ``batches`` (a group of ``steps_per_execution``) in one
        compiled call; returns the last step's logs."""
        batches = [_as_arrays(data, self.jit_compile) for data in batches]
        lists = self._build_for_step(self._pure_train_step, lambda values: ((), values), batches[0])
        step = self._compiled(("train", len(batches)), self._pure_train_steps)
        state = self._values(lists)
        logs, new_state = step((), state, batches)
        self._write_back(lists, new_state)
        return logs

    def test_step(self, data):
        """The loss and metrics of a batch, without training; returns the logs."""
        data = _as_arrays(data, self.jit_compile)

        def split(values):
            return values[0], (values[1], values[3])

        lists = self._build_for_step(self._pure_test_step, split, data)
        step = self._compiled("test", self._pure_test_step)
        trainable = [v.value for v in lists[0]]
        logs, new_state = step(trainable, self._values((lists[1], lists[3])), data)
        self._write_back((lists[1], lists[3]), new_state)
        return logs

    def predict_step(self, data):
        """The model's outputs for the inputs of a batch."""
        data = _as_arrays(data, self.jit_compile)
        if not self.built:
            self._build_for_step(
                self._pure_predict_step, lambda values: (values[0], (values[1],)), data
            )
        lists = self._state_variables()
        step = self._compiled("predict", self._pure_predict_step)
        trainable = [v.value for v in lists[0]]
        outputs, new_state = step(trainable, self._values((lists[1],)), data)
        self._write_back((lists[1],), new_state)
        return outputs

    def _train_function(self):
        if self.jit_compile and self.__dict__.get("_data_parallel_module") is None:
            return _TrainFunction(self.train_step, self._train_steps)
        return self.train_step

    def _test_function(self):
        return self.test_step

    def _predict_function(self):
        return self.predict_step


class _TrainFunction:
    """The train step, called per batch, with ``many(batches)``: a group of batches in one
    compiled call (the loop uses it for ``steps_per_execution`` > 1)."""

    __slots__ = ("_one", "many")

    def __init__(self, one, many):
        self._one = one
        self.many = many

    def __call__(self, data):
        return self._one(data)


def _build_key(model, metric_variables=None):
    optimizer = model.optimizer
    if metric_variables is None:
        metric_variables = model.metrics_variables
    return (
        weights_version(),
        id(optimizer),
        bool(optimizer is not None and optimizer.built),
        len(metric_variables),
    )


def _current(scope, variables, values):
    """The values of ``variables`` in ``scope``: assigned there, else the given ones."""
    out = []
    for variable, value in zip(variables, values):
        current = scope.get_current_value(variable)
        out.append(value if current is None else current)
    return out


def _materialize(logs):
    """The logs as a dict of arrays (a lazy results view is read inside the step)."""
    return {name: logs[name] for name in logs}


def _with_masks(y_pred, masks):
    """``y_pred`` with the masks its leaves carried inside the differentiated function (the
    gradient transform hands out new arrays, without them)."""
    for leaf, mask in zip(tree.flatten(y_pred), masks):
        if mask is not None:
            set_keras_mask(leaf, mask)
    return y_pred


def _as_arrays(data, jitted=False):
    """The batch with its Variable leaves as jax arrays, and its NumPy leaves too unless the
    step is ``jitted``: a compiled step takes NumPy arrays as they are, and its call sends
    them with no dispatch of their own (as Keras's JAX trainer gives it NumPy batches on CPU)."""

    def convert(x):
        if isinstance(x, Variable):
            return x.value
        if jitted and type(x) is np.ndarray:
            return x
        if hasattr(x, "__array__") and not isinstance(x, jax.Array):
            return jnp.asarray(x)
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
    return tree.flatten(x)[0].shape[0]
