"""LossScaleOptimizer: dynamic loss scaling around another optimizer, for float16 training."""

import numpy as np

from cornu import backend, ops
from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer
from cornu.saving import serialization_lib

# Base-optimizer arguments that belong on the inner optimizer, with their neutral values.
_INNER_ONLY = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(Optimizer):
    """An optimizer that scales the loss dynamically, so that float16 gradients do not
    underflow.

    The training step multiplies the loss by the current scale (``scale_loss``); ``apply``
    divides the gradients by it and hands them to the inner optimizer. When a gradient is not
    finite (inf or nan), the step is skipped and the scale halved; after
    ``dynamic_growth_steps`` finite steps in a row, the scale doubles. ``compile`` wraps the
    optimizer in one automatically when the model's policy is ``"mixed_float16"``.

    Args:
        inner_optimizer: the optimizer that applies the unscaled gradients.
        initial_scale: the first loss scale (large: a scale too high falls fast).
        dynamic_growth_steps: how many finite steps in a row double the scale.
        name: the optimizer's name.

    On torch, deciding whether to skip the step reads one boolean from the device each step
    (as ``torch.amp.GradScaler`` does); everything else stays on the device. Inside a
    stateless (JAX, traced) step the decision is a ``where`` selection on tensors instead.
    """

    _saved_children = ("inner_optimizer",)

    def __init__(
        self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`."
            )
        for key, neutral in _INNER_ONLY.items():
            if key in kwargs and kwargs.pop(key) != neutral:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{key}`. Instead, set `{key}` on "
                    "the `inner_optimizer`."
                )
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`."
            )
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer: `inner_optimizer` must be an Optimizer instance. "
                f"Received: inner_optimizer={inner_optimizer!r}"
            )
        if not float(initial_scale) > 0:
            raise ValueError(
                f"LossScaleOptimizer: `initial_scale` must be positive. Received: {initial_scale}"
            )
        if not isinstance(dynamic_growth_steps, int) or dynamic_growth_steps < 1:
            raise ValueError(
                "LossScaleOptimizer: `dynamic_growth_steps` must be a positive int. "
                f"Received: {dynamic_growth_steps!r}"
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None

    def build(self, variables):
        """Creates the step counter and the scale, then builds the inner optimizer."""
        if self.built:
            return
        with backend.device_scope("cpu"):  # read as numbers by `apply`: no device wait
            self.step_counter = self._make("step_counter", 0, "int32")
            self.dynamic_scale = self._make("dynamic_scale", float(self.initial_scale), "float32")
        self.inner_optimizer.build(variables)
        super().build(variables)

    def _make(self, name, value, dtype):
        variable = backend.Variable(
            np.array(value, dtype=dtype), dtype=dtype, trainable=False, name=name
        )
        self._track_variable(variable)
        return variable

    @property
    def variables(self):
        """Its own variables (iteration, learning rate, step counter, scale), then the inner
        optimizer's, as Keras lists them."""
        return self._variables[:] + self.inner_optimizer.variables

    def _variables_in_file_order(self):
        return self.variables

    def check_finite(self, grads):
        """A boolean tensor: whether every gradient is finite (None gradients ignored)."""
        tensors = [g for g in grads if g is not None]
        if not tensors:
            return ops.convert_to_tensor(True)
        norms = foreach.norm(tensors)
        return ops.all(ops.isfinite(ops.stack([ops.cast(n, "float32") for n in norms])))

    def apply(self, grads, trainable_variables=None):
        """Unscales the gradients and applies them with the inner optimizer, or skips the
        step when one is not finite; then updates the scale."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            self._check_built_for_apply()
            trainable_variables = self._trainable_variables
        elif not self.built:
            self.build(list(trainable_variables))
        if backend.core.in_stateless_scope():
            self._apply_traced(grads, trainable_variables)
            return
        finite = bool(ops.convert_to_numpy(self.check_finite(grads)))
        with backend.no_grad():
            if not finite:
                self.step_counter.assign(0)
                self.dynamic_scale.assign(self.dynamic_scale.numpy() * 0.5)
                return
            scale = self.dynamic_scale.value
            unscaled = [None if g is None else g / ops.cast(scale, g.dtype) for g in grads]
        self.inner_optimizer.apply(unscaled, trainable_variables)
        with backend.no_grad():
            if int(self.step_counter.numpy()) == self.dynamic_growth_steps - 1:
                self.step_counter.assign(0)
                self.dynamic_scale.assign(self.dynamic_scale.numpy() * 2.0)
            else:
                self.step_counter.assign_add(1)

    def _apply_traced(self, grads, trainable_variables):
        """``apply`` inside a ``StatelessScope`` (the JAX step, where the finiteness is a tracer):
        the inner optimizer always runs, and ``where`` keeps its results only when every
        gradient is finite; the counter and the scale are selected the same way."""
        finite = self.check_finite(grads)
        scale = self.dynamic_scale.value
        counter = self.step_counter.value
        unscaled = [None if g is None else g / ops.cast(scale, g.dtype) for g in grads]
        touched = [v for v in trainable_variables if v is not None]
        touched += self.inner_optimizer.variables
        before = [v.value for v in touched]
        self.inner_optimizer.apply(unscaled, trainable_variables)
        for variable, old in zip(touched, before):
            variable.assign(ops.where(finite, variable.value, old))
        grow = ops.equal(counter, self.dynamic_growth_steps - 1)
        zero = ops.zeros_like(counter)
        self.step_counter.assign(ops.where(finite, ops.where(grow, zero, counter + 1), zero))
        self.dynamic_scale.assign(
            ops.where(finite, ops.where(grow, scale * 2.0, scale), scale * 0.5)
        )

    @property
    def learning_rate(self):
        """The inner optimizer's learning rate."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self):
        """The inner optimizer's iterations (skipped steps do not count)."""
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """The loss times the current scale (``initial_scale`` before the first step)."""
        if not self.built:
            return loss * self.initial_scale
        scale = self.dynamic_scale.value
        return loss * ops.cast(scale, backend.standardize_dtype(loss.dtype))

    def finalize_variable_values(self, var_list=None):
        """The inner optimizer's (EMA weights, when it keeps them)."""
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        """The name, the inner optimizer's config, ``initial_scale`` and
        ``dynamic_growth_steps``, as Keras writes them."""
        return {
            "name": self.name,
            "inner_optimizer": serialization_lib.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates the optimizer (and its inner one) from ``get_config()``'s output."""
        config = dict(config)
        inner = serialization_lib.deserialize_keras_object(
            config.pop("inner_optimizer"), custom_objects=custom_objects, kind="optimizer"
        )
        return cls(inner, **config)
