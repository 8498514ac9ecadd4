"""Muon: momentum orthogonalized by Newton-Schulz for matrices, AdamW for the other weights."""

import re

import numpy as np

from cornu import ops
from cornu.ops import foreach
from cornu.optimizers.adam import _step_size
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.step_scalars import StepScalars


class Muon(Optimizer):
    """Optimizer that implements the Muon algorithm.

    Each 2D weight takes a momentum step whose direction is orthogonalized by a few
    Newton-Schulz iterations (`zeropower_via_newtonschulz5`); every other weight takes an
    AdamW step. As in Keras, the AdamW step is used for:

    - any weight that is not exactly 2D (biases, scalars, but also convolution kernels);
    - with `exclude_embeddings`, any weight whose path contains `"embedding"`;
    - any weight whose path matches (`re.search`) an expression of `exclude_layers`.

    Typically one passes the name of the output layer: `exclude_layers=["output_dense"]`.

    The Muon step, for momentum `m` and gradient `g`:

    ```python
    m = momentum * m + g
    u = g + momentum * m if nesterov else m
    w = w - learning_rate * newton_schulz(u) * sqrt(max(rows, cols)) * rms_rate
    ```

    (without the `sqrt(...) * rms_rate` factor when `rms_rate` is None). Before each step
    the weights decay by `weight_decay` (Muon weights) or `adam_weight_decay` (AdamW weights).

    Variables: for each weight, in order, its `momentum` slot, then its `velocity` slot for
    AdamW weights only.

    Args:
        learning_rate: a float, a schedule or a callable. Defaults to `0.001`.
        adam_beta_1: decay rate of the AdamW first moments. Defaults to `0.9`.
        adam_beta_2: decay rate of the AdamW second moments. Defaults to `0.999`.
        adam_weight_decay: weight decay of the AdamW weights (None: none). Defaults to `0.004`.
        epsilon: AdamW's epsilon. Defaults to `1e-7`.
        weight_decay: weight decay of the Muon weights (None: none). Defaults to `0.004`.
        exclude_layers: list of regular expressions; weights whose path matches one take
            the AdamW step.
        exclude_embeddings: whether embedding weights take the AdamW step. Defaults to `True`.
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients. Defaults to `3.4445`,
            `-4.7750`, `2.0315`.
        adam_lr_ratio: the AdamW learning rate as a fraction of `learning_rate`.
            Defaults to `1`.
        momentum: the Muon momentum. Defaults to `0.95`.
        ns_steps: the number of Newton-Schulz iterations. Defaults to `5`.
        nesterov: whether to use Nesterov momentum. Defaults to `True`.
        rms_rate: the update scale of [Liu et al., 2025](https://arxiv.org/abs/2502.16982)
            that lets Muon share Adam's learning rate and weight decay; None disables it.
            Defaults to `0.2`.
        **kwargs: the other base `Optimizer` arguments (`clipnorm`, `clipvalue`,
            `global_clipnorm`, `use_ema`, `ema_momentum`, `ema_overwrite_frequency`,
            `loss_scale_factor`, `gradient_accumulation_steps`, `name`).

    References:
        [Keller Jordan's Muon](https://github.com/KellerJordan/Muon),
        [Liu et al., 2025](https://arxiv.org/abs/2502.16982).
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        """Whether `variable` takes the AdamW step rather than the Muon step."""
        if len(variable.shape) != 2:
            return True
        path = variable.path
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, variables):
        """Creates a `momentum` slot per weight and, right after it, a `velocity` slot for
        each AdamW weight."""
        if self.built:
            return
        super().build(variables)
        momentums, velocities = [], []
        for variable in variables:
            momentums.append(self.add_variable_from_reference(variable, "momentum"))
            velocity = None
            if self._should_use_adamw(variable):
                velocity = self.add_variable_from_reference(variable, "velocity")
            velocities.append(velocity)
        self.momentums, self.adam_velocities = momentums, velocities
        self._slot_groups.update({"momentum": momentums, "velocity": velocities})

    def _weight_decay_rate(self, variable):
        if not self._use_weight_decay(variable):
            return None
        if self._should_use_adamw(variable):
            return self.adam_weight_decay
        return self.weight_decay

    def _update(self, params, grads, slots, lr, step):
        # The lists of each part come from `foreach.values`, so in-place ops write the
        # variables on every backend (on JAX they are views of the variables).
        variables = self._selected.variables
        momentums = self._selected.slot_variables["momentum"]
        velocities = self._selected.slot_variables["velocity"]
        adam = [i for i, v in enumerate(velocities) if v is not None]
        if adam:
            self._adamw_update(
                foreach.values([variables[i] for i in adam]),
                [grads[i] for i in adam],
                foreach.values([momentums[i] for i in adam]),
                foreach.values([velocities[i] for i in adam]),
                lr * self.adam_lr_ratio,
                step,
            )
        for i, v in enumerate(velocities):
            if v is None:
                self._muon_update(
                    foreach.values([variables[i]]), grads[i], foreach.values([momentums[i]]), lr
                )

    def _adamw_update(self, params, grads, momentums, velocities, lr, step):
        alpha = _step_size(lr, self.adam_beta_1, self.adam_beta_2, step, params[0].dtype)
        foreach.lerp_(momentums, grads, 1 - self.adam_beta_1)
        foreach.lerp_(velocities, foreach.mul(grads, grads), 1 - self.adam_beta_2)
        denominators = foreach.sqrt(velocities)
        foreach.add_(denominators, self.epsilon)
        foreach.addcdiv_(params, momentums, denominators, value=-alpha)

    def _muon_update(self, param, grad, m, lr):
        # `param` and `m` are one-item lists of `foreach.values`.
        foreach.mul_(m, self.momentum)
        foreach.add_(m, [grad])
        direction = grad + self.momentum * m[0] if self.nesterov else m[0]
        update = self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        shape = param[0].shape
        update = update * StepScalars(param[0].dtype, lr)(lr)
        if self.rms_rate is not None:
            update = update * float(np.sqrt(np.float32(max(shape[0], shape[1]))))
            update = update * self.rms_rate
        foreach.sub_(param, [update])

    def zeropower_via_newtonschulz5(self, x, steps):
        """Approximately orthogonalizes `x` (`U V^T` of its SVD, up to a rescaling of the
        singular values) with `steps` quintic Newton-Schulz iterations over its last two axes.

        Args:
            x: a tensor of rank 2 or more.
            steps: the number of iterations.
        """
        shape = ops.shape(x)
        if len(shape) < 2:
            raise ValueError(
                "Muon: expected the gradient or momentum to have at least 2 dimensions. "
                f"Received: shape={shape}"
            )
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = shape[-2] > shape[-1]
        if tall:
            x = ops.swapaxes(x, -2, -1)
        norm = ops.sqrt(ops.sum(ops.square(x), axis=(-2, -1), keepdims=True))
        x = x / (norm + 1e-7)
        for _ in range(steps):
            gram = ops.matmul(x, ops.swapaxes(x, -2, -1))
            poly = b * gram + c * ops.matmul(gram, gram)
            x = a * x + ops.matmul(poly, x)
        if tall:
            x = ops.swapaxes(x, -2, -1)
        return x

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers,
                "muon_a": self.muon_a,
                "muon_b": self.muon_b,
                "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum,
                "ns_steps": self.ns_steps,
                "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate,
            }
        )
        return config
