"""Adagrad: per-weight learning rates scaled by the accumulated squared gradients."""

from cornu import initializers
from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Optimizer that implements the Adagrad algorithm.

    Each weight's step shrinks with the sum of its past squared gradients, so weights that are
    updated often take smaller steps (epsilon inside the square root, as Keras does):

    ```python
    accumulator = accumulator + g**2
    w = w - learning_rate * g / sqrt(accumulator + epsilon)
    ```

    Variables: one `accumulator` slot per weight, starting at `initial_accumulator_value`.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        initial_accumulator_value: the accumulators' starting value; must be non-negative.
            Defaults to `0.1`.
        epsilon: small constant for numerical stability. Defaults to `1e-7`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [Duchi et al., 2011](http://www.jmlr.org/papers/volume12/duchi11a/duchi11a.pdf).
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates one `accumulator` slot per variable."""
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list,
            "accumulator",
            initializer=initializers.Constant(self.initial_accumulator_value),
        )

    def _update(self, params, grads, slots, lr, step):
        accumulators = slots["accumulator"]
        foreach.addcmul_(accumulators, grads, grads)
        denominators = foreach.add(accumulators, self.epsilon)
        foreach.sqrt_(denominators)
        foreach.addcdiv_(params, grads, denominators, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon,
            }
        )
        return config
