"""Stochastic gradient descent, with optional (Nesterov) momentum."""

from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Without momentum: `w = w - learning_rate * g`. With momentum:

    ```python
    velocity = momentum * velocity - learning_rate * g
    w = w + velocity
    ```

    and with `nesterov=True`, `w = w + momentum * velocity - learning_rate * g`.

    Variables: one `momentum` slot per weight, only when `momentum` is not 0.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.01`.
        momentum: float in `[0, 1]` that accelerates descent along consistent directions.
            `0.0` (the default) is plain gradient descent.
        nesterov: whether to apply Nesterov momentum. Defaults to `False`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if isinstance(momentum, bool) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: {momentum!r}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        """Creates one `momentum` slot per variable when `momentum` is not 0."""
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def _update(self, params, grads, slots, lr, step):
        if self.momentum == 0:
            foreach.add_(params, grads, alpha=-lr)
            return
        velocities = slots["momentum"]
        foreach.mul_(velocities, self.momentum)
        foreach.add_(velocities, grads, alpha=-lr)
        if self.nesterov:
            foreach.add_(params, grads, alpha=-lr)
            foreach.add_(params, velocities, alpha=self.momentum)
        else:
            foreach.add_(params, velocities)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
