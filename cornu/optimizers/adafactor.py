"""Adafactor: Adam-like steps with factored second moments, in sublinear memory."""

import math

from cornu import ops
from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.step_scalars import StepScalars


class Adafactor(Optimizer):
    """Optimizer that implements the Adafactor algorithm (without first-moment momentum).

    For a weight of rank 2 or more, the moving average of the squared gradients is kept
    factored, as its row means `r` (over the last axis) and column means `c` (over the
    second-to-last axis), instead of the full matrix. With `t` the 1-based update number:

    ```python
    rho = min(learning_rate, 1 / sqrt(t))
    alpha = max(epsilon_2, rms(w)) * rho
    beta = 1 - t ** beta_2_decay
    g2 = g**2 + epsilon_1
    r = beta * r + (1 - beta) * mean(g2, axis=-1)      # rank >= 2
    c = beta * c + (1 - beta) * mean(g2, axis=-2)
    v = (r / mean(r, axis=-1))[..., None] * c[..., None, :]
    v = beta * v + (1 - beta) * g2                      # rank < 2, instead
    u = g / sqrt(v)
    w = w - alpha * u / max(1, rms(u) / clip_threshold)
    ```

    Variables, per weight and in this order: `r` and `c` (both named as the weight; for a
    weight of rank < 2 they are unused int32 scalars, as in Keras), then a
    `{path}_velocity` slot shaped like the weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        beta_2_decay: the exponent of the second-moment decay schedule. Defaults to `-0.8`.
        epsilon_1: added to the squared gradients. Defaults to `1e-30`.
        epsilon_2: the smallest weight scale used for the step. Defaults to `1e-3`.
        clip_threshold: the largest root mean square of an unscaled update.
            Defaults to `1.0`.
        relative_step: kept for compatibility with Keras, where it caps the learning rate at
            `1 / sqrt(t)`, which the step already does. Defaults to `True`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [Shazeer and Stern, 2018](https://arxiv.org/abs/1804.04235).
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        """Creates, for each variable in turn, its `r` and `c` factors and its `velocity`."""
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for variable in var_list:
            shape = tuple(variable.shape)
            device = getattr(getattr(variable, "value", None), "device", None)
            if len(shape) < 2:
                self._r.append(self._create_variable((), "zeros", "int32", variable.name, None))
                self._c.append(self._create_variable((), "zeros", "int32", variable.name, None))
            else:
                row_shape = shape[:-1]
                column_shape = shape[:-2] + shape[-1:]
                for group, factor_shape in ((self._r, row_shape), (self._c, column_shape)):
                    group.append(
                        self._create_variable(
                            factor_shape, "zeros", variable.dtype, variable.name, device
                        )
                    )
            self._v.append(self.add_variable_from_reference(variable, "velocity"))
        self._slot_groups.update({"r": self._r, "c": self._c, "velocity": self._v})

    def _update(self, params, grads, slots, lr, step):
        cast = StepScalars(params[0].dtype, lr, step)
        t = cast(step)
        if cast.traced:
            rho = ops.minimum(cast(lr), cast(1) / ops.sqrt(t))
        else:
            rho = min(lr, float(cast(1) / cast(math.sqrt(t))))
        beta = cast.out(cast(1) - t ** cast(self.beta_2_decay))
        slot_variables = self._selected.slot_variables
        targets, new_values, steps = [], [], []
        # One variable at a time (shapes differ by rank); the writes are batched below.
        rows = zip(params, grads, slots["r"], slots["c"], slots["velocity"])
        for i, (w, g, r, c, v) in enumerate(rows):
            r_var, c_var, v_var = (slot_variables[k][i] for k in ("r", "c", "velocity"))
            squared = ops.square(g) + self.epsilon_1
            if w.ndim >= 2:
                new_r = beta * r + (1 - beta) * ops.mean(squared, axis=-1)
                new_c = beta * c + (1 - beta) * ops.mean(squared, axis=-2)
                row_scale = new_r / ops.mean(new_r, axis=-1, keepdims=True)
                new_v = ops.expand_dims(row_scale, -1) * ops.expand_dims(new_c, -2)
                targets += [r_var, c_var, v_var]
                new_values += [new_r, new_c, new_v]
            else:
                new_v = beta * v + (1 - beta) * squared
                targets.append(v_var)
                new_values.append(new_v)
            u = g / ops.sqrt(new_v)
            u = u / ops.clip(_rms(u) / self.clip_threshold, 1.0, math.inf)
            alpha = ops.clip(_rms(w), self.epsilon_2, math.inf) * rho
            steps.append(u * alpha)
        foreach.copy_(foreach.values(targets), new_values)
        foreach.sub_(params, steps)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config


def _rms(x):
    return ops.sqrt(ops.mean(ops.square(x)))
