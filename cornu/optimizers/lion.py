"""Lion: sign-based updates from an interpolated momentum (EvoLved Sign Momentum)."""

from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Optimizer that implements the Lion algorithm.

    Every weight moves by exactly `learning_rate` per step, in the direction of the sign of an
    interpolation between the momentum and the gradient; only the momentum is kept, so it uses
    less memory than Adam:

    ```python
    w = w - learning_rate * sign(beta_1 * m + (1 - beta_1) * g)
    m = beta_2 * m + (1 - beta_2) * g
    ```

    Its learning rate is usually 3-10 times smaller than Adam's, and its weight decay 3-10
    times larger. Variables: one `momentum` slot per weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        beta_1: the interpolation factor of the update direction; in `(0, 1]`.
            Defaults to `0.9`.
        beta_2: the decay rate of the momentum. Defaults to `0.99`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [Chen et al., 2023](http://arxiv.org/abs/2302.06675).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                f"degenerates to SignSGD. Received: beta_1={beta_1}."
            )

    def build(self, var_list):
        """Creates one `momentum` slot per variable."""
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def _update(self, params, grads, slots, lr, step):
        momentums = slots["momentum"]
        directions = foreach.mul(momentums, self.beta_1)
        foreach.add_(directions, grads, alpha=1 - self.beta_1)
        foreach.sign_(directions)
        foreach.add_(params, directions, alpha=-lr)
        foreach.mul_(momentums, self.beta_2)
        foreach.add_(momentums, grads, alpha=1 - self.beta_2)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
