"""Adam: adaptive moment estimation."""

from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.step_scalars import StepScalars


class Adam(Optimizer):
    """Optimizer that implements the Adam algorithm.

    Keeps moving averages of the gradients (`momentum`) and of their squares (`velocity`), and
    folds the bias correction into the step size, as Keras does (epsilon is added to the
    uncorrected `sqrt(velocity)`):

    ```python
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    w = w - alpha * m / (sqrt(v) + epsilon)
    ```

    Variables: `momentum` and `velocity` slots, interleaved per weight, then (with `amsgrad`)
    one `velocity_hat` slot per weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        beta_1: decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: small constant for numerical stability ("epsilon hat" in Kingma and Ba).
            Defaults to `1e-7`.
        amsgrad: whether to apply the AMSGrad variant (divide by the running maximum of `v`,
            kept in the `velocity_hat` slots). Defaults to `False`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [Kingma and Ba, 2014](https://arxiv.org/abs/1412.6980).
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, variables):
        """Creates `momentum` and `velocity` slots (interleaved per variable), then
        `velocity_hat` slots when `amsgrad`."""
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def _update(self, params, grads, slots, lr, step):
        alpha = _step_size(lr, self.beta_1, self.beta_2, step, params[0].dtype)
        momentums, velocities = slots["momentum"], slots["velocity"]
        foreach.lerp_(momentums, grads, 1 - self.beta_1)
        foreach.mul_(velocities, self.beta_2)
        foreach.addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            foreach.maximum_(slots["velocity_hat"], velocities)
            velocities = slots["velocity_hat"]
        denominators = foreach.sqrt(velocities)
        foreach.add_(denominators, self.epsilon)
        foreach.addcdiv_(params, momentums, denominators, value=-alpha)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "amsgrad": self.amsgrad,
            }
        )
        return config


def _step_size(lr, beta_1, beta_2, step, dtype):
    """`lr * sqrt(1 - beta_2**step) / (1 - beta_1**step)` computed in the weights' precision
    (float32 for float32 weights), as Keras computes it, so the numbers match Keras's; a
    tensor when `lr` or `step` is one (a traced step)."""
    cast = StepScalars(dtype, lr, step)
    t = cast(step)
    bias_1 = cast(1) - cast(beta_1) ** t
    bias_2 = cast(1) - cast(beta_2) ** t
    return cast.out(cast(lr) * cast.sqrt(bias_2) / bias_1)
