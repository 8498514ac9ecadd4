"""LAMB: Adam with layer-wise trust ratios, for large-batch training."""

from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.step_scalars import StepScalars


class Lamb(Optimizer):
    """Optimizer that implements the LAMB (Layer-wise Adaptive Moments for Batch training)
    algorithm.

    Computes Adam's bias-corrected step for each weight, then rescales it so that its norm is
    proportional to the weight's own norm (the "trust ratio"):

    ```python
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    update = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)
    ratio = norm(w) / norm(update)    # 1 when either norm is 0
    w = w - learning_rate * ratio * update
    ```

    Variables: `momentum` and `velocity` slots, interleaved per weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        beta_1: decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: small constant for numerical stability. Defaults to `1e-7`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [You et al., 2019](https://arxiv.org/abs/1904.00962).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates `momentum` and `velocity` slots (interleaved per variable)."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )

    def _update(self, params, grads, slots, lr, step):
        cast = StepScalars(params[0].dtype, lr, step)
        bias_1 = cast.out(cast(1) - cast(self.beta_1) ** cast(step))
        bias_2 = cast.out(cast(1) - cast(self.beta_2) ** cast(step))
        momentums, velocities = slots["momentum"], slots["velocity"]
        foreach.lerp_(momentums, grads, 1 - self.beta_1)
        foreach.lerp_(velocities, foreach.mul(grads, grads), 1 - self.beta_2)
        denominators = foreach.div(velocities, bias_2)
        foreach.sqrt_(denominators)
        foreach.add_(denominators, self.epsilon)
        updates = foreach.div(momentums, bias_1)
        foreach.div_(updates, denominators)
        foreach.mul_(updates, foreach.trust_ratios(params, updates))
        foreach.add_(params, updates, alpha=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
