"""Adadelta: step sizes from moving averages of the squared gradients and squared updates."""

from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Optimizer that implements the Adadelta algorithm.

    Scales each gradient by the ratio of the root mean square of recent updates to that of
    recent gradients, so it needs little tuning of the learning rate (Keras multiplies the
    update by `learning_rate` all the same; use `1.0` for the original algorithm):

    ```python
    accumulated_grad = rho * accumulated_grad + (1 - rho) * g**2
    delta = -sqrt(accumulated_delta_var + epsilon) / sqrt(accumulated_grad + epsilon) * g
    accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta**2
    w = w + learning_rate * delta
    ```

    Variables: `accumulated_grad` and `accumulated_delta_var` slots, interleaved per weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        rho: the decay rate of the moving averages. Defaults to `0.95`.
        epsilon: small constant for numerical stability. Defaults to `1e-7`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [Zeiler, 2012](http://arxiv.org/abs/1212.5701).
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates `accumulated_grad` and `accumulated_delta_var` slots (interleaved per
        variable)."""
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def _update(self, params, grads, slots, lr, step):
        rho, epsilon = self.rho, self.epsilon
        grad_averages = slots["accumulated_grad"]
        delta_averages = slots["accumulated_delta_var"]
        foreach.mul_(grad_averages, rho)
        foreach.addcmul_(grad_averages, grads, grads, value=1 - rho)
        # `deltas` holds -delta: rms(previous deltas) * g / rms(gradients).
        deltas = foreach.add(delta_averages, epsilon)
        foreach.sqrt_(deltas)
        foreach.mul_(deltas, grads)
        denominators = foreach.add(grad_averages, epsilon)
        foreach.sqrt_(denominators)
        foreach.div_(deltas, denominators)
        foreach.mul_(delta_averages, rho)
        foreach.addcmul_(delta_averages, deltas, deltas, value=1 - rho)
        foreach.add_(params, deltas, alpha=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
