"""The ``Optimizer`` base: learning rate, iteration count, slot variables, gradient clipping,
weight decay, EMA and gradient accumulation. A rule adds its slots in ``build`` and writes one
multi-tensor ``_update`` over lists of tensors.
"""

import inspect
import re
import warnings

import numpy as np

from cornu import backend, core, ops
from cornu.ops import foreach
from cornu.optimizers import clipping
from cornu.optimizers.schedules import learning_rate_schedule
from cornu.saving import serialization_lib


class Optimizer:
    """Base class of the optimizers.

    A subclass creates its slot variables in `build` (with `add_optimizer_variables`) and
    implements `_update(params, grads, slots, lr, step)`: `params` and `grads` are lists of
    backend tensors, `slots` maps each slot name to the list of its tensors (aligned with
    `params`), `lr` is the learning rate as a Python float and `step` the 1-based number of this
    update. It updates everything in place with `cornu.ops.foreach` operations. A Keras-style
    subclass that implements `update_step(gradient, variable, learning_rate)` instead works too,
    one variable at a time.

    Each update (`apply`) runs, as Keras 3 does: loss-scale division of the gradients,
    gradient accumulation (when set), clipping, decoupled weight decay
    (`w -= w * weight_decay * learning_rate`), the rule's own update, the EMA of the weights
    (when `use_ema`), then each variable's `constraint`, and finally `iterations += 1`. The
    learning rate and the iteration count are scalar variables kept on the CPU: reading them
    never waits for an accelerator, and the updates themselves are multi-tensor kernels.

    Variables (`optimizer.variables`) come in Keras's order, which is also the order of a
    `.keras` file's `optimizer/vars/0..n`: `iteration` (int32), `learning_rate` (only when
    it is a number, not a schedule or callable), then what `build` creates: the EMA
    `{path}_average` slots (with `use_ema`), the `{path}_gradient_accumulator` slots (with
    `gradient_accumulation_steps`), then the rule's own slots in its `build` order (see each
    optimizer), where `{path}` is the weight's path with `/` replaced by `_`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` (called with `iterations` before each
            update), or a callable returning the rate. A callable that takes no argument is
            called without one (as in Keras); one that takes an argument receives the
            iteration count, as a schedule does.
        weight_decay: float; if set, each step first multiplies every weight by
            `1 - weight_decay * learning_rate` (decoupled weight decay).
        clipnorm: float; if set, each gradient is clipped to this L2 norm.
        clipvalue: float; if set, each gradient element is clipped to `[-clipvalue, clipvalue]`.
        global_clipnorm: float; if set, all gradients are scaled together so their global norm
            is at most this value. At most one of the three clipping arguments may be set.
        use_ema: whether to keep an exponential moving average of the weights.
        ema_momentum: the EMA's momentum: `average = ema_momentum * average + (1 -
            ema_momentum) * weight`.
        ema_overwrite_frequency: int or None; every this many iterations the weights are
            overwritten with their average. When None, call `finalize_variable_values()` (fit
            does) to copy the averages into the weights at the end.
        loss_scale_factor: float or None; `scale_loss()` multiplies the loss by it and the
            gradients are divided by it before the update.
        gradient_accumulation_steps: int >= 2 or None; if set, the weights change only every
            this many calls, with the mean of the gradients received since the last update.
        name: the optimizer's name, used as the prefix of its variables' paths.
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored.", stacklevel=2
            )
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        _check_clipping(clipnorm, clipvalue, global_clipnorm)
        _check_ema(use_ema, ema_momentum, ema_overwrite_frequency)
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        self.name = name if name is not None else core.auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False

        self._variables = []
        self._trainable_variables = []
        self._variable_indices = {}
        self._slot_groups = {}
        self._model_variables_moving_average = []
        self._accumulated_gradients = []
        self._excluded_ids = set()
        self._excluded_pattern = None
        self._state = None
        self._per_variable = type(self)._update is Optimizer._update

        # The two scalars live on the CPU: reading them as Python numbers never waits on a GPU.
        # The counter's dtype is Keras's "int" on the same backend: int64 on TensorFlow, else int32.
        dtype = "int64" if backend.backend() == "tensorflow" else "int32"
        with backend.device_scope("cpu"):
            self._iterations = backend.Variable(0, dtype=dtype, trainable=False, name="iteration")
        self._track_variable(self._iterations)
        self._learning_rate = None
        self._set_learning_rate(learning_rate)

    # ----------------------------------------------------------------------------------------
    # Learning rate and iterations.

    @property
    def iterations(self):
        """The number of updates applied so far (a variable; divided by
        `gradient_accumulation_steps` when accumulating)."""
        if self.gradient_accumulation_steps:
            return self._iterations.value // self.gradient_accumulation_steps
        return self._iterations

    @property
    def learning_rate(self):
        """The current learning rate: a variable (settable), or the schedule's current value."""
        if isinstance(self._learning_rate, backend.Variable):
            return self._learning_rate
        return self._call_schedule()

    @learning_rate.setter
    def learning_rate(self, value):
        self._set_learning_rate(value)

    def _set_learning_rate(self, value):
        is_schedule = isinstance(value, learning_rate_schedule.LearningRateSchedule)
        if is_schedule or (callable(value) and not isinstance(value, backend.Variable)):
            if isinstance(self._learning_rate, backend.Variable):
                self._variables.remove(self._learning_rate)
                self._state = None
            self._learning_rate = value
            self._schedule_takes_step = is_schedule or _takes_an_argument(value)
            return
        number = _learning_rate_as_float(value)
        if isinstance(self._learning_rate, backend.Variable):
            with backend.device_scope("cpu"):
                self._learning_rate.assign(number)
        elif self._learning_rate is None:
            with backend.device_scope("cpu"):
                variable = backend.Variable(
                    number, dtype=core.floatx(), trainable=False, name="learning_rate"
                )
            self._track_variable(variable)
            self._learning_rate = variable
        else:
            kind = (
                "a `LearningRateSchedule`"
                if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule)
                else "a callable"
            )
            raise TypeError(
                f"Optimizer {self.name!r} was created with {kind} as its `learning_rate`, so "
                f"its learning rate is not settable to a number (received {value!r}). Assign "
                "a new schedule or callable instead, or create the optimizer with a float "
                "`learning_rate` to be able to set it."
            )

    def _call_schedule(self, on_host=True):
        if not on_host:
            return self._schedule_value()
        with backend.device_scope("cpu"):
            return self._schedule_value()

    def _schedule_value(self):
        if self._schedule_takes_step:
            return self._learning_rate(self._iterations)
        return self._learning_rate()

    def _current_learning_rate(self, traced=False):
        """The learning rate of this update: a Python float, or (`traced`) a tensor computed
        from the variables' current values, so a compiled step reads it when it runs."""
        if isinstance(self._learning_rate, backend.Variable):
            value = self._learning_rate.value
        else:
            value = self._call_schedule(on_host=not traced)
        return value if traced else float(value)

    # ----------------------------------------------------------------------------------------
    # Variables.

    @property
    def variables(self):
        """All the optimizer's variables, in Keras's order (that of a `.keras` file's
        `optimizer/vars/0..n`): the iteration count, the learning rate (when it is a number),
        then those `build` created: EMA averages, gradient accumulators, the rule's slots."""
        return self._variables[:]

    def _track_variable(self, variable):
        variable._path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        self._state = None

    def build(self, variables):
        """Creates the optimizer's variables for `variables` (the model's trainable weights).

        Subclasses call `super().build(variables)` first, then add their slots.
        """
        variables = list(variables)
        if self.use_ema:
            self._model_variables_moving_average = self._add_groups(
                variables, ["average"], ["zeros"]
            )[0]
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self._add_groups(
                variables, ["gradient_accumulator"], ["zeros"]
            )[0]
        self._variable_indices = {id(v): i for i, v in enumerate(variables)}
        self._trainable_variables = variables
        self._state = None
        self.built = True

    def add_variable(
        self, shape, initializer="zeros", dtype=None, aggregation="none", layout=None, name=None
    ):
        """Adds a (non-trainable) variable to the optimizer and returns it.

        Args:
            shape: the variable's shape.
            initializer: an initializer or its name; `"zeros"` by default.
            dtype: the dtype; `floatx()` when None.
            aggregation: accepted for compatibility with Keras; unused.
            layout: accepted for compatibility with Keras; unused.
            name: the variable's name.
        """
        return self._create_variable(shape, initializer, dtype, name, device=None)

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """Adds a variable shaped like `reference_variable`, on its device, named
        `"{reference path with '/' as '_'}_{name}"` (e.g. `dense_kernel_momentum`)."""
        name = name or "var"
        prefix = getattr(reference_variable, "path", None) or str(reference_variable.name)
        prefix = prefix.replace("/", "_").replace(":", "_")
        device = getattr(getattr(reference_variable, "value", None), "device", None)
        return self._create_variable(
            reference_variable.shape,
            initializer,
            reference_variable.dtype,
            f"{prefix}_{name}",
            device=device,
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Adds one slot variable per trainable variable, for each name in `name`.

        Args:
            trainable_variables: the variables to shadow.
            name: a slot name, or a list of names (their variables are created interleaved, one
                variable at a time, as Keras orders them).
            initializer: an initializer, or one per name.

        Returns:
            The list of new variables, or a tuple of lists when `name` is a list. The lists are
            what `_update` receives, as tensors, in `slots[name]`.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(initializer, (list, tuple)):
            initializers = list(initializer)
        else:
            initializers = [initializer] * len(names)
        if len(initializers) != len(names):
            raise ValueError(
                f"The number of names must match the number of initializers. Received "
                f"name={name!r}, initializer={initializer!r}"
            )
        groups = self._add_groups(trainable_variables, names, initializers)
        for slot_name, group in zip(names, groups):
            self._slot_groups[slot_name] = group
        return groups[0] if isinstance(name, str) else tuple(groups)

    def _add_groups(self, variables, names, initializers):
        groups = tuple([] for _ in names)
        for variable in variables:
            for group, slot_name, init in zip(groups, names, initializers):
                group.append(self.add_variable_from_reference(variable, slot_name, init))
        return groups

    def _create_variable(self, shape, initializer, dtype, name, device):
        shape = tuple(shape)
        dtype = core.standardize_dtype(dtype)
        if isinstance(initializer, str):
            from cornu import initializers

            initializer = initializers.get(initializer)
        with backend.device_scope(device if device is not None else backend.get_device()):
            variable = backend.Variable(
                initializer, shape=shape, dtype=dtype, trainable=False, name=name
            )
        self._track_variable(variable)
        return variable

    def _get_variable_index(self, variable):
        return self._variable_indices[id(variable)]

    def assign(self, variable, value):
        """Sets `variable` to `value` (for `update_step` implementations)."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """Adds `value` to `variable` (for `update_step` implementations)."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """Subtracts `value` from `variable` (for `update_step` implementations)."""
        variable.assign_sub(value)

    # ----------------------------------------------------------------------------------------
    # Applying gradients.

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns the iteration variable."""
        grads, variables = zip(*grads_and_vars)
        self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates the variables with their gradients: one optimizer step.

        Args:
            grads: a list of backend tensors (e.g. each parameter's `.grad`); a None gradient
                skips its variable.
            trainable_variables: the variables, in the order of `grads`. The first call builds
                the optimizer on them; when omitted, the variables it was built with.
        """
        if len(grads) == 0:
            return
        if trainable_variables is None:
            self._check_built_for_apply()
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    f"Received {len(grads)} gradients, but the optimizer was built with "
                    f"{len(self._trainable_variables)} variables."
                )
            trainable_variables = self._trainable_variables
        elif not self.built:
            self.build(list(trainable_variables))
            self.built = True
        state = self._state or self._gather_all()
        if any(g is None for g in grads) or not (
            trainable_variables is self._trainable_variables
            or tuple(map(id, trainable_variables)) == state.ids
        ):
            selected, grads = self._select(grads, trainable_variables, state)
        else:
            selected, grads = state, list(grads)
        with backend.no_grad():
            self._apply(grads, selected, state)

    def _check_built_for_apply(self):
        """The ValueError of ``apply`` called without variables before the optimizer is
        built."""
        if not self.built:
            raise ValueError(
                "When passing `grads` without `variables`, the optimizer must already be "
                "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                "first."
            )

    def _apply(self, grads, selected, state):
        if self.loss_scale_factor is not None:
            grads = foreach.div(grads, self.loss_scale_factor)
        if backend.core.in_stateless_scope():
            # A stateless (possibly traced) step: the iteration is a tensor, not a number.
            self._apply_traced(grads, selected, state)
            return
        iteration = int(self._iterations.value)
        steps = self.gradient_accumulation_steps
        if steps:
            if (iteration + 1) % steps == 0:
                grads = foreach.add(grads, selected.accumulators)
                foreach.div_(grads, steps)
                self._update_step(grads, selected, iteration // steps + 1)
                foreach.zero_(state.accumulators)
            else:
                foreach.add_(selected.accumulators, grads)
        else:
            self._update_step(grads, selected, iteration + 1)
        if self.use_ema:
            self._update_moving_averages(state, iteration // steps if steps else iteration)
        for variable in selected.constrained:
            variable.assign(variable.constraint(variable))
        self._iterations.assign_add(1)

    def _apply_traced(self, grads, selected, state):
        """`_apply` for a step whose iteration count is a tensor (under `jax.jit` inside a
        `StatelessScope`): what depends on the iteration (accumulation, EMA) is computed for
        both outcomes and selected with `where`, and the scalars stay tensors."""
        iteration = self._iterations.value
        steps = self.gradient_accumulation_steps
        if steps:
            update_now = ops.equal((iteration + 1) % steps, 0)
            summed = foreach.add(grads, selected.accumulators)
            foreach.div_(summed, steps)
            # What the update may change: the weights and the rule's own variables.
            kept = [self._iterations, *self._accumulated_gradients]
            kept += self._model_variables_moving_average
            kept = set(map(id, kept))
            touched = foreach.values(
                selected.variables + [v for v in self._variables if id(v) not in kept]
            )
            before = [ops.copy(t) for t in touched]
            self._update_step(summed, selected, iteration // steps + 1, traced=True)
            foreach.copy_(
                touched, [ops.where(update_now, new, old) for new, old in zip(touched, before)]
            )
            foreach.copy_(
                selected.accumulators,
                [
                    ops.where(update_now, ops.zeros_like(a), a + g)
                    for a, g in zip(selected.accumulators, grads)
                ],
            )
            if selected is not state:
                foreach.copy_(
                    state.accumulators,
                    [ops.where(update_now, ops.zeros_like(a), a) for a in state.accumulators],
                )
        else:
            self._update_step(grads, selected, iteration + 1, traced=True)
        if self.use_ema:
            self._update_moving_averages_traced(state, iteration // steps if steps else iteration)
        for variable in selected.constrained:
            variable.assign(variable.constraint(variable))
        self._iterations.assign_add(1)

    def _update_step(self, grads, selected, step, traced=False):
        grads = self._clip_gradients(grads)
        lr = self._current_learning_rate(traced)
        for rate, tensors in selected.decayed:
            foreach.mul_(tensors, 1 - rate * lr)
        if self._per_variable:
            learning_rate = self.learning_rate
            for grad, variable in zip(grads, selected.variables):
                self.update_step(grad, variable, learning_rate)
        else:
            self._selected = selected
            self._update(selected.params, grads, selected.slots, lr, step)

    def _update(self, params, grads, slots, lr, step):
        """Updates `params` (and the slot tensors in `slots`) in place with `grads`.

        All arguments are lists of backend tensors aligned with `params`, except `lr` (a Python
        float) and `step` (the 1-based number of this update); in a traced step (`jax.jit`)
        both are scalar tensors (see `step_scalars.StepScalars`). An in-place op writes into
        the lists (on JAX they are views whose items assign the variables), so a rule that
        works on a subset of them takes its lists from `foreach.values(...)` of the variables
        in `self._selected` (`variables`, `slot_variables[name]`).
        """
        raise NotImplementedError

    def update_step(self, gradient, variable, learning_rate):
        """Updates one variable: the Keras-style alternative to `_update`."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `_update` (or Keras's `update_step`)."
        )

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return clipping.clip_by_norm(grads, self.clipnorm)
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clipping.clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return clipping.clip_by_value(grads, self.clipvalue)
        return grads

    def _update_moving_averages(self, state, iteration):
        if iteration == 0:
            foreach.copy_(state.averages, state.params)
        else:
            foreach.mul_(state.averages, self.ema_momentum)
            foreach.add_(state.averages, state.params, alpha=1 - self.ema_momentum)
        frequency = self.ema_overwrite_frequency
        if frequency and (iteration + 1) % frequency == 0:
            foreach.copy_(state.params, state.averages)

    def _update_moving_averages_traced(self, state, iteration):
        averages, params = state.averages, state.params
        blended = foreach.mul(averages, self.ema_momentum)
        foreach.add_(blended, params, alpha=1 - self.ema_momentum)
        first = ops.equal(iteration, 0)
        foreach.copy_(averages, [ops.where(first, p, b) for p, b in zip(params, blended)])
        frequency = self.ema_overwrite_frequency
        if frequency:
            overwrite = ops.equal((iteration + 1) % frequency, 0)
            foreach.copy_(params, [ops.where(overwrite, a, p) for a, p in zip(averages, params)])

    def _gather_all(self):
        self._state = _UpdateState(self, range(len(self._trainable_variables)))
        return self._state

    def _select(self, grads, variables, state):
        indices, kept, missing = [], [], []
        for grad, variable in zip(grads, variables):
            index = self._variable_indices.get(id(variable))
            if index is None:
                raise ValueError(
                    f"Unknown variable: {variable}. This optimizer can only be called for the "
                    "variables it was originally built with. When working with a new set of "
                    "variables, you should recreate a new optimizer instance."
                )
            if grad is None:
                missing.append(getattr(variable, "path", variable.name))
            else:
                indices.append(index)
                kept.append(grad)
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. "
                "If using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=3,
            )
        key = tuple(indices)
        selected = state.subsets.get(key)
        if selected is None:
            selected = state.subsets[key] = _UpdateState(self, indices)
        return selected, kept

    # ----------------------------------------------------------------------------------------
    # Weight decay, EMA, loss scaling.

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables from weight decay.

        Args:
            var_list: variables to exclude.
            var_names: strings; a variable whose name contains (as a regular expression) any
                of them is excluded, e.g. `var_names=["bias"]`.

        Keras documents that this must be called before the optimizer is built but does not
        enforce it; here, as there, a later call takes effect from the next step.
        """
        self._excluded_ids = {id(v) for v in var_list} if var_list else set()
        if var_names:
            self._excluded_pattern = re.compile("|".join(set(var_names)))
        else:
            self._excluded_pattern = None
        self._state = None

    def _weight_decay_rate(self, variable):
        """The decoupled weight decay applied to `variable` before each update; None for
        none. (An optimizer with several rates, as Muon, overrides it.)"""
        if self.weight_decay is None or not self._use_weight_decay(variable):
            return None
        return self.weight_decay

    def _use_weight_decay(self, variable):
        if id(variable) in self._excluded_ids:
            return False
        pattern = self._excluded_pattern
        return pattern is None or pattern.search(variable.name) is None

    def scale_loss(self, loss):
        """The loss multiplied by `loss_scale_factor` (unchanged when it is None)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def finalize_variable_values(self, var_list=None):
        """With `use_ema`, copies the moving averages into the variables (fit calls this at
        the end of training); does nothing otherwise.

        It also does nothing while the optimizer is unbuilt or has applied no update (as
        after `fit(..., epochs=0)`): its averages hold no weights yet. (Keras copies them
        anyway, setting the weights to zero when `fit` ran no epoch after `initial_epoch`.)

        Args:
            var_list: the model's trainable variables, in the order the optimizer was built
                with; the variables it was built with when omitted.
        """
        if not self.use_ema or not self.built or int(self._iterations.value) == 0:
            return
        if var_list is None:
            var_list = self._trainable_variables
        averages = self._model_variables_moving_average
        if len(var_list) != len(averages):
            raise ValueError(
                f"The length of model variables ({len(var_list)}) to override does not match "
                f"the number of averages stored in the optimizer ({len(averages)}). Check "
                "that the optimizer was used on this model."
            )
        for variable, average in zip(var_list, averages):
            variable.assign(average.value)

    # ----------------------------------------------------------------------------------------
    # State and config.

    def set_weights(self, weights):
        """Sets the optimizer's variables from a list of arrays, in `variables` order."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Call `optimizer.build(trainable_variables)` first."
            )
        for variable, weight in zip(self.variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(
                    f"Optimizer variable {variable.path!r} has shape {variable.shape}, "
                    f"incompatible with the provided weight's shape {np.shape(weight)}."
                )
            variable.assign(weight)

    # ---- the saving protocol (see cornu/saving/saving_lib.py) ----

    _saveable = True
    _saved_kind = "Optimizer"

    def _saveable_children(self):
        """The optimizers this one wraps, under the attributes it names in
        ``_saved_children`` (a MultiOptimizer's ``optimizers``), as Keras's walk visits them;
        its variables are all its own."""
        return [(name, getattr(self, name)) for name in getattr(self, "_saved_children", ())]

    def _variables_in_file_order(self):
        """The variables a weights file stores for this optimizer, or None when its own
        ``save_own_variables`` decides."""
        if type(self).save_own_variables is Optimizer.save_own_variables:
            return self.variables
        return None

    def save_own_variables(self, store):
        """Writes the variables' values into `store` under the keys "0", "1", ..."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads the variables' values from `store` (written by `save_own_variables`)."""
        if len(store.keys()) != len(self.variables):
            message = (
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self.variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables."
            )
            if len(self.variables) == 0:
                message += " This is likely because the optimizer has not been built yet."
            warnings.warn(message, stacklevel=2)
            return
        for i, variable in enumerate(self.variables):
            variable.assign(np.asarray(store[str(i)]))

    def get_config(self):
        """The optimizer's constructor arguments, as a JSON-friendly dict (a schedule as its
        serialized form, as Keras writes it)."""
        rate = self._learning_rate
        if isinstance(rate, backend.Variable):
            learning_rate = float(rate.numpy())
        elif isinstance(rate, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(rate)
        else:
            learning_rate = serialization_lib.serialize_keras_object(rate)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from `get_config()`'s output (without its state).

        Args:
            config: the dict returned by `get_config` (Keras's works too).
            custom_objects: optional dict mapping names to user-defined schedule classes or
                functions used as the learning rate.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)


class _UpdateState:
    """The tensors that one update touches, gathered once for a set of variables."""

    def __init__(self, optimizer, indices):
        variables = [optimizer._trainable_variables[i] for i in indices]
        self.variables = variables
        self.ids = tuple(map(id, variables))
        self.params = foreach.values(variables)
        # A slot that some weights lack (as Muon's `velocity`) holds None for them.
        self.slot_variables = {
            name: [group[i] for i in indices] for name, group in optimizer._slot_groups.items()
        }
        self.slots = {name: _values(group) for name, group in self.slot_variables.items()}
        self.decayed = _by_decay_rate(optimizer, variables)
        self.accumulators = []
        if optimizer._accumulated_gradients:
            self.accumulators = foreach.values(
                [optimizer._accumulated_gradients[i] for i in indices]
            )
        self.averages = foreach.values(optimizer._model_variables_moving_average)
        self.constrained = [v for v in variables if getattr(v, "constraint", None) is not None]
        self.subsets = {}  # index tuple -> _UpdateState, for calls that skip some variables


def _values(variables):
    """`foreach.values(variables)`, or (when some are None) their values with the Nones."""
    if any(v is None for v in variables):
        return [None if v is None else v.value for v in variables]
    return foreach.values(variables)


def _by_decay_rate(optimizer, variables):
    """`[(rate, tensors)]`: the weights that decay, grouped by their decay rate."""
    groups = {}
    for variable in variables:
        rate = optimizer._weight_decay_rate(variable)
        if rate is not None:
            groups.setdefault(rate, []).append(variable)
    return [(rate, foreach.values(group)) for rate, group in groups.items()]


def _check_clipping(clipnorm, clipvalue, global_clipnorm):
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
            f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
        )


def _check_ema(use_ema, ema_momentum, ema_overwrite_frequency):
    if not use_ema:
        return
    if ema_momentum > 1 or ema_momentum < 0:
        raise ValueError(
            f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
        )
    if ema_overwrite_frequency and (
        not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
    ):
        raise ValueError(
            "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
            f"ema_overwrite_frequency={ema_overwrite_frequency}"
        )


def _learning_rate_as_float(value):
    if not isinstance(value, (str, bool)):
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    raise ValueError(
        "Argument `learning_rate` should be a float, a `LearningRateSchedule` or a callable "
        "(that takes the current iteration, or nothing, and returns the learning rate). "
        f"Received instead: learning_rate={value!r}"
    )


def _takes_an_argument(fn):
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(
        p.kind == inspect.Parameter.VAR_POSITIONAL or p.kind in positional for p in parameters
    )
