"""Nadam: Adam with Nesterov momentum."""

from cornu import backend, core
from cornu.ops import foreach
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.step_scalars import StepScalars


class Nadam(Optimizer):
    """Optimizer that implements the Nadam algorithm: Adam with Nesterov momentum, following
    Dozat's momentum schedule `u_t = beta_1 * (1 - 0.5 * 0.96 ** t)` (Keras's form of the
    paper's `0.96 ** (0.004 * t)` warming factor). With `t` the 1-based update number and
    `prod_t = u_1 * ... * u_t`:

    ```python
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    m_hat = u_{t+1} * m / (1 - prod_{t+1}) + (1 - u_t) * g / (1 - prod_t)
    v_hat = v / (1 - beta_2**t)
    w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)
    ```

    Variables: `momentum` and `velocity` slots (interleaved per weight), then one scalar,
    `variable` (Keras's unnamed variable), holding the running product `prod_t`; it starts at
    1 and lives on the CPU.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        beta_1: decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: small constant for numerical stability. Defaults to `1e-7`.
        **kwargs: the base `Optimizer` arguments (`weight_decay`, `clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    Reference:
        [Dozat, 2015](http://cs229.stanford.edu/proj2015/054_report.pdf).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates `momentum` and `velocity` slots (interleaved per variable), then the
        scalar momentum-schedule product."""
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else core.floatx()
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        self._u_product = self._create_variable((), "ones", dtype, "variable", device="cpu")

    def _update(self, params, grads, slots, lr, step):
        cast = StepScalars(params[0].dtype, lr, step)
        beta_1, half, decay = cast(self.beta_1), cast(0.5), cast(0.96)
        u_t = beta_1 * (cast(1) - half * decay ** cast(step))
        u_next = beta_1 * (cast(1) - half * decay ** cast(step + 1))
        if cast.traced:
            product = cast(self._u_product.value) * u_t
            self._u_product.assign(product)
        else:
            product = cast(self._u_product.numpy()) * u_t
            with backend.device_scope("cpu"):
                self._u_product.assign(product)
        product_next = product * u_next
        bias_2 = cast(1) - cast(self.beta_2) ** cast(step)

        momentums, velocities = slots["momentum"], slots["velocity"]
        foreach.lerp_(momentums, grads, 1 - self.beta_1)
        foreach.mul_(velocities, self.beta_2)
        foreach.addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        m_hats = foreach.mul(momentums, cast.out(u_next / (cast(1) - product_next)))
        foreach.add_(m_hats, grads, alpha=cast.out((cast(1) - u_t) / (cast(1) - product)))
        denominators = foreach.div(velocities, cast.out(bias_2))
        foreach.sqrt_(denominators)
        foreach.add_(denominators, self.epsilon)
        foreach.addcdiv_(params, m_hats, denominators, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
