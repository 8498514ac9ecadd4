"""Adamax: Adam with the infinity norm in place of the second moment."""

from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.step_scalars import StepScalars


class Adamax(Optimizer):
    """Optimizer that implements the Adamax algorithm, a variant of Adam based on the
    infinity norm:

    ```python
    m = beta_1 * m + (1 - beta_1) * g
    u = max(beta_2 * u, abs(g))
    w = w - learning_rate * m / ((1 - beta_1**t) * (u + epsilon))
    ```

    Variables: `momentum` (`m`) and `norm` (`u`) slots, interleaved per weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        beta_1: decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: decay rate of the exponentially weighted infinity norm. Defaults to `0.999`.
        epsilon: small constant for numerical stability. Defaults to `1e-7`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [Kingma and Ba, 2014](https://arxiv.org/abs/1412.6980), section 7.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates `momentum` and `norm` slots (interleaved per variable)."""
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def _update(self, params, grads, slots, lr, step):
        cast = StepScalars(params[0].dtype, lr, step)
        bias_1 = cast.out(cast(1) - cast(self.beta_1) ** cast(step))
        momentums, norms = slots["momentum"], slots["norm"]
        foreach.lerp_(momentums, grads, 1 - self.beta_1)
        foreach.mul_(norms, self.beta_2)
        foreach.maximum_(norms, foreach.abs(grads))
        denominators = foreach.add(norms, self.epsilon)
        foreach.mul_(denominators, bias_1)
        foreach.addcdiv_(params, momentums, denominators, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
