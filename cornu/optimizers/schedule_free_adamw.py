"""Schedule-Free AdamW: interpolation and averaging instead of a learning-rate schedule."""

from cornu import config
from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.step_scalars import StepScalars


class ScheduleFreeAdamW(Optimizer):
    """Optimizer that implements the Schedule-Free AdamW algorithm.

    Replaces the learning-rate schedule by averaging: the `momentum` slot `z` takes the
    Adam-normalized gradient steps, an average `x` of the `z` iterates is kept implicitly,
    and the weights `y` are the interpolation `(1 - beta_1) * z + beta_1 * x`. At step `t`:

    ```python
    v = beta_2 * v + (1 - beta_2) * g**2
    z = z - lr_t * g / (sqrt(v / (1 - beta_2**t)) + epsilon)
    x_old = (y - (1 - beta_1) * z) / beta_1
    x = (1 - 1 / t) * x_old + z / t
    y = (1 - beta_1) * z + beta_1 * x
    ```

    where `lr_t = learning_rate * min(t / warmup_steps, 1)` (just `learning_rate` without
    warmup). As in Keras on torch, `x_old` is recovered with the `z` of this step (Keras reads
    the momentum after updating it in place); on JAX, as in Keras on JAX, with the `z` before
    it. The numbers are Keras's on each backend.

    Variables: `momentum` (starting at the weights' values) and `velocity` slots,
    interleaved per weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.0025`.
        beta_1: the interpolation between `z` and `x`. Defaults to `0.9`.
        beta_2: decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: small constant for numerical stability. Defaults to `1e-8`.
        warmup_steps: number of steps over which the learning rate grows linearly from 0.
            Defaults to `0`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    References:
        [Defazio et al., 2024](https://arxiv.org/abs/2405.15682).
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        warmup_steps=0,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, variables):
        """Creates the `momentum` (a copy of each weight) and `velocity` slots."""
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        for momentum, variable in zip(self._momentums, variables):
            momentum.assign(variable.value)

    def _update(self, params, grads, slots, lr, step):
        # Every scalar in the weights' precision and every product rounded apart, in Keras's
        # order: the averaging divides by beta_1, which would magnify any other rounding.
        cast = StepScalars(params[0].dtype, lr, step)
        t = cast(step)
        lr = cast(lr)
        if self.warmup_steps > 0:
            lr = lr * cast.minimum(t / cast(self.warmup_steps), cast(1))
        one, beta_1, beta_2 = cast(1), cast(self.beta_1), cast(self.beta_2)
        bias_correction = cast.out(one - beta_2**t)
        weight = one / t
        interpolation = cast.out(one - beta_1)
        momentums, velocities = slots["momentum"], slots["velocity"]
        foreach.lerp_(velocities, foreach.mul(grads, grads), cast.out(one - beta_2))
        denominators = foreach.div(velocities, bias_correction)
        foreach.sqrt_(denominators)
        foreach.add_(denominators, self.epsilon)
        steps = foreach.mul(grads, cast.out(lr))
        foreach.div_(steps, denominators)
        # Keras on JAX recovers x_old with the z before this step (its copy is a real one).
        old_z_part = foreach.mul(momentums, interpolation) if _OLD_Z_RECOVERS_X else None
        foreach.sub_(momentums, steps)
        # The weights hold x_old, then the new average x, then the new interpolation y.
        foreach.sub_(params, old_z_part or foreach.mul(momentums, interpolation))
        foreach.div_(params, cast.out(beta_1))
        foreach.mul_(params, cast.out(one - weight))
        foreach.add_(params, foreach.mul(momentums, cast.out(weight)))
        foreach.mul_(params, cast.out(beta_1))
        foreach.add_(params, foreach.mul(momentums, interpolation))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "warmup_steps": self.warmup_steps,
            }
        )
        return config


# Keras's numbers differ by backend: on torch `x_old` is recovered with the updated `z` (its
# "copy" of the momentum sees the in-place update), on JAX with the `z` before the step.
_OLD_Z_RECOVERS_X = config.backend() == "jax"
