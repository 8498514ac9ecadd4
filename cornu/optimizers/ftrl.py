"""FTRL-Proximal: follow the regularized leader, for large sparse linear models."""

from cornu import initializers
from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """Optimizer that implements the FTRL-Proximal algorithm (McMahan et al., 2013), with
    L1, L2 and L2-shrinkage regularization.

    With `p = -learning_rate_power` (0.5 by default), `l1`, `l2` and `l2_shrinkage` the
    regularization strengths, each step computes:

    ```python
    g_shrunk = g + 2 * l2_shrinkage * w
    new_accumulator = accumulator + g**2
    linear = linear + g_shrunk - (new_accumulator**p - accumulator**p) / learning_rate * w
    quadratic = new_accumulator**p / learning_rate + 2 * (l2 + beta / (2 * learning_rate))
    w = (clip(linear, -l1, l1) - linear) / quadratic
    accumulator = new_accumulator
    ```

    so a weight is exactly 0 while `|linear| <= l1`. Variables: `accumulator` (starting at
    `initial_accumulator_value`) and `linear` slots, interleaved per weight.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        learning_rate_power: how the per-coordinate rate falls as the accumulator grows;
            must be <= 0 (0 keeps it fixed). Defaults to `-0.5`.
        initial_accumulator_value: the accumulators' starting value; must be >= 0.
            Defaults to `0.1`.
        l1_regularization_strength: must be >= 0. Defaults to `0.0`.
        l2_regularization_strength: a stabilization penalty; must be >= 0.
            Defaults to `0.0`.
        l2_shrinkage_regularization_strength: a magnitude penalty folded into the gradient
            (unlike `l2_regularization_strength`); must be >= 0. Defaults to `0.0`.
        beta: the beta of the paper's per-coordinate rate; added to the L2 penalty as
            `beta / (2 * learning_rate)`. Defaults to `0.0`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [McMahan et al., 2013](https://research.google.com/pubs/archive/41159.pdf).
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        for name, value in (
            ("initial_accumulator_value", initial_accumulator_value),
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        ):
            if value < 0.0:
                raise ValueError(
                    f"`{name}` needs to be positive or zero. Received: {name}={value}."
                )
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        """Creates `accumulator` and `linear` slots (interleaved per variable)."""
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list,
            ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"],
        )

    def _update(self, params, grads, slots, lr, step):
        accumulators, linears = slots["accumulator"], slots["linear"]
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        shrinkage = self.l2_shrinkage_regularization_strength

        new_accumulators = foreach.addcmul(accumulators, grads, grads)
        new_powers = foreach.pow(new_accumulators, power)
        sigmas = foreach.sub(new_powers, foreach.pow(accumulators, power))
        foreach.div_(sigmas, lr)
        foreach.mul_(sigmas, params)
        foreach.add_(linears, grads)
        if shrinkage:
            foreach.add_(linears, params, alpha=2 * shrinkage)
        foreach.sub_(linears, sigmas)

        quadratics = foreach.div(new_powers, lr)
        foreach.add_(quadratics, 2 * l2)
        # w = (clip(linear, -l1, l1) - linear) / quadratic
        numerators = foreach.clamp_min(linears, -l1)
        foreach.clamp_max_(numerators, l1)
        foreach.sub_(numerators, linears)
        foreach.div_(numerators, quadratics)
        foreach.copy_(params, numerators)
        foreach.copy_(accumulators, new_accumulators)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": (self.l2_shrinkage_regularization_strength),
                "beta": self.beta,
            }
        )
        return config
