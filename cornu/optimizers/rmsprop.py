"""RMSprop: gradients divided by a moving root mean square of their recent values."""

from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """Optimizer that implements the RMSprop algorithm.

    Keeps a moving average of the squared gradients and divides each gradient by its root
    (epsilon inside the square root, as Keras does):

    ```python
    velocity = rho * velocity + (1 - rho) * g**2
    w = w - learning_rate * g / sqrt(velocity + epsilon)
    ```

    With `centered=True` the moving average of the gradients, `average_gradient`, is also kept
    and the denominator becomes `sqrt(velocity - average_gradient**2 + epsilon)`. With
    `momentum > 0` the increment goes through a momentum buffer:
    `m = momentum * m + increment; w = w - m`.

    Variables: one `velocity` slot per weight, then `momentum` slots (when `momentum > 0`),
    then `average_gradient` slots (when `centered`).

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        rho: discounting factor of the old gradients. Defaults to `0.9`.
        momentum: plain (not Nesterov) momentum. Defaults to `0.0`.
        epsilon: small constant for numerical stability. Defaults to `1e-7`.
        centered: whether to normalize by the estimated variance of the gradient rather than
            its uncentered second moment. Defaults to `False`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).
    """

    def __init__(
        self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables):
        """Creates the `velocity` slots, then `momentum` (when `momentum > 0`) and
        `average_gradient` (when `centered`) slots."""
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(variables, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(variables, "average_gradient")

    def _update(self, params, grads, slots, lr, step):
        rho = self.rho
        velocities = slots["velocity"]
        foreach.mul_(velocities, rho)
        foreach.addcmul_(velocities, grads, grads, value=1 - rho)
        denominators = foreach.add(velocities, self.epsilon)
        if self.centered:
            averages = slots["average_gradient"]
            foreach.mul_(averages, rho)
            foreach.add_(averages, grads, alpha=1 - rho)
            foreach.addcmul_(denominators, averages, averages, value=-1)
        foreach.sqrt_(denominators)
        if self.momentum > 0:
            momentums = slots["momentum"]
            foreach.mul_(momentums, self.momentum)
            foreach.addcdiv_(momentums, grads, denominators, value=lr)
            foreach.sub_(params, momentums)
        else:
            foreach.addcdiv_(params, grads, denominators, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "rho": self.rho,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "centered": self.centered,
            }
        )
        return config
