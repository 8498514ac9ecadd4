"""AdamW: Adam with decoupled weight decay."""

from cornu.optimizers.adam import Adam


class AdamW(Adam):
    """Optimizer that implements the AdamW algorithm: Adam with decoupled weight decay.

    Before each Adam update every weight (except those excluded with
    `exclude_from_weight_decay`) is shrunk: `w = w - w * weight_decay * learning_rate`. The
    update itself is `Adam`'s; the variables too (`momentum`, `velocity`, and `velocity_hat`
    with `amsgrad`).

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        weight_decay: the decay rate; must be a float. Defaults to `0.004`.
        beta_1: decay rate of the first-moment estimates. Defaults to `0.9`.
        beta_2: decay rate of the second-moment estimates. Defaults to `0.999`.
        epsilon: small constant for numerical stability. Defaults to `1e-7`.
        amsgrad: whether to apply the AMSGrad variant. Defaults to `False`.
        **kwargs: the other base `Optimizer` arguments (`clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    References:
        [Loshchilov and Hutter, 2019](https://arxiv.org/abs/1711.05101),
        [Kingma and Ba, 2014](https://arxiv.org/abs/1412.6980).
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            **kwargs,
        )
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
