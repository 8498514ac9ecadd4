"""BatchNormalization: normalizes each channel with the batch's statistics in training and
with moving averages of them at inference."""

from cornu import constraints, core, initializers, ops, regularizers
from cornu.layers.input_spec import InputSpec
from cornu.layers.layer import Layer


class BatchNormalization(Layer):
    """Normalizes the inputs channel by channel: ``gamma * (x - mean) / sqrt(var + epsilon)
    + beta``.

    In training (``training=True``, as in ``fit``) ``mean`` and ``var`` are the current
    batch's mean and biased variance over every axis but ``axis``, and the moving statistics
    are updated: ``moving = moving * momentum + batch * (1 - momentum)``. At inference the
    moving statistics are used. A frozen layer (``trainable=False``) always runs in inference
    mode and leaves its statistics alone, even inside ``fit``, as in Keras.

    Args:
        axis: the channel axis (-1; 1 after a channels_first convolution).
        momentum: the moving averages' momentum.
        epsilon: added to the variance before the square root.
        center: add the learned offset ``beta``.
        scale: multiply by the learned factor ``gamma``.
        beta_initializer, gamma_initializer, moving_mean_initializer,
            moving_variance_initializer: the weights' initializers (zeros, ones, zeros, ones).
        beta_regularizer, gamma_regularizer: penalties on ``beta`` / ``gamma``.
        beta_constraint, gamma_constraint: constraints on ``beta`` / ``gamma``.
        renorm: use Batch Renormalization (training statistics corrected towards moving
            ones by factors ``r`` and ``d``, clipped by ``renorm_clipping``, a dict with keys
            ``"rmax"``, ``"rmin"``, ``"dmax"``), with ``renorm_momentum`` for its averages.
        synchronized: only supported by TensorFlow; must be False.

    Call arguments: ``inputs``, ``training``, and ``mask`` (rank of the inputs minus one:
    masked positions are left out of the batch statistics).

    Weights, in ``get_weights()`` order: ``gamma``, ``beta``, ``moving_mean``,
    ``moving_variance`` (then ``moving_stddev``, ``renorm_mean``, ``renorm_stddev`` with
    renorm), each of shape ``(channels,)``. Input and output shapes are the same.
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        synchronized=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if synchronized:
            raise ValueError(
                "Argument synchronized=True is only supported with the TensorFlow backend."
            )
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        if renorm:
            renorm_clipping = renorm_clipping or {}
            unknown = set(renorm_clipping) - {"rmax", "rmin", "dmax"}
            if unknown:
                raise ValueError(
                    f"Received invalid keys for `renorm_clipping` argument: {renorm_clipping}. "
                    "Supported values: ['rmax', 'rmin', 'dmax']."
                )
            rmax, rmin = renorm_clipping.get("rmax"), renorm_clipping.get("rmin")
            dmax = renorm_clipping.get("dmax")
            if rmax is not None and rmin is not None and rmax < rmin:
                raise ValueError(
                    "rmax should be greater than rmin in the `renorm_clipping` argument. "
                    f"Received: rmax={rmax}, rmin={rmin}."
                )
            if dmax is not None and dmax < 0:
                raise ValueError(
                    "dmax should be non-negative in the `renorm_clipping` argument. "
                    f"Received: dmax={dmax}."
                )
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"BatchNormalization '{self.name}': axis {self.axis} is out of bounds for "
                f"input shape {tuple(input_shape)}."
            )
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(
                f"BatchNormalization '{self.name}': the size of axis {self.axis} must be known "
                f"to build the layer. Received input_shape={tuple(input_shape)}"
            )
        shape = (channels,)
        if self.scale:
            self.gamma = self.add_weight(
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
                autocast=False,
            )
        if self.center:
            self.beta = self.add_weight(
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
                autocast=False,
            )
        self.moving_mean = self.add_weight(
            shape=shape,
            initializer=self.moving_mean_initializer,
            trainable=False,
            name="moving_mean",
            autocast=False,
        )
        self.moving_variance = self.add_weight(
            shape=shape,
            initializer=self.moving_variance_initializer,
            trainable=False,
            name="moving_variance",
            autocast=False,
        )
        if self.renorm:
            variance_initializer = self.moving_variance_initializer

            def stddev_initializer(shape, dtype=None):
                return ops.sqrt(variance_initializer(shape, dtype=dtype))

            self.moving_stddev = self.add_weight(
                shape=shape,
                initializer=stddev_initializer,
                trainable=False,
                name="moving_stddev",
                autocast=False,
            )
            self.renorm_mean = self.add_weight(
                shape=shape,
                initializer=self.moving_mean_initializer,
                trainable=False,
                name="renorm_mean",
                autocast=False,
            )
            self.renorm_stddev = self.add_weight(
                shape=shape,
                initializer=stddev_initializer,
                trainable=False,
                name="renorm_stddev",
                autocast=False,
            )
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: channels})
        self._reduction_axes = [a for a in range(rank) if a != self.axis % rank]
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if mask is not None and mask.ndim != inputs.ndim - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. Received: "
                f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}"
            )
        training = bool(training) and self.trainable
        # As Keras: statistics overflow in float16/bfloat16, so the layer computes in float32
        # (or wider) and casts the result back to its compute dtype.
        inputs = ops.cast(inputs, core.result_type(ops.dtype(inputs), "float32"))
        if not training or (mask is None and not self.renorm):
            outputs = ops.fused_batch_normalization(
                inputs,
                self.gamma,
                self.beta,
                self.moving_mean,
                self.moving_variance,
                axis=self.axis,
                momentum=self.momentum,
                epsilon=self.epsilon,
                training=training,
            )
            return ops.cast(outputs, self.compute_dtype)
        # Masked statistics or batch renormalization: the same formulas, op by op.
        x = inputs
        if ops.dtype(x) in ("float16", "bfloat16"):
            x = ops.cast(x, "float32")
        mean, variance = self._moments(x, mask)
        gamma, beta = self.gamma, self.beta
        if self.renorm:
            gamma, beta = self._renorm_transform(mean, variance, gamma, beta)
        else:
            self.moving_mean.assign(
                self.moving_mean * self.momentum + ops.stop_gradient(mean) * (1 - self.momentum)
            )
            self.moving_variance.assign(
                self.moving_variance * self.momentum
                + ops.stop_gradient(variance) * (1 - self.momentum)
            )
        outputs = ops.batch_normalization(
            x, mean, variance, self.axis, offset=beta, scale=gamma, epsilon=self.epsilon
        )
        return ops.cast(outputs, self.compute_dtype)

    def _moments(self, x, mask):
        if mask is None:
            return ops.moments(x, self._reduction_axes)
        weights = ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), -1), tuple(x.shape))
        weights = ops.cast(weights, ops.dtype(x))
        count = ops.sum(weights, self._reduction_axes, keepdims=True) + core.epsilon()
        mean = ops.sum(x * weights, self._reduction_axes, keepdims=True) / count
        squared = ops.square((x - mean) * weights)
        variance = ops.sum(squared, self._reduction_axes, keepdims=True) / count
        return ops.reshape(mean, (-1,)), ops.reshape(variance, (-1,))

    def _renorm_transform(self, mean, variance, gamma, beta):
        """Batch renormalization: updates the statistics and returns the corrected
        ``(gamma, beta)`` (``x * r + d`` folded into them)."""
        clipping = self.renorm_clipping or {}
        stddev = ops.sqrt(variance + self.epsilon)
        renorm_stddev = ops.clip(self.renorm_stddev.value, self.epsilon**0.5, None)
        r = stddev / renorm_stddev
        d = (mean - self.renorm_mean.value) / renorm_stddev
        if clipping.get("rmin") is not None:
            r = ops.clip(r, clipping["rmin"], None)
        if clipping.get("rmax") is not None:
            r = ops.clip(r, None, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        new_gamma = r if gamma is None else r * gamma
        new_beta = d if gamma is None else d * gamma
        if beta is not None:
            new_beta = new_beta + beta
        mean, stddev = ops.stop_gradient(mean), ops.stop_gradient(stddev)
        rm = self.renorm_momentum
        self.renorm_mean.assign(self.renorm_mean * rm + mean * (1 - rm))
        self.renorm_stddev.assign(self.renorm_stddev * rm + stddev * (1 - rm))
        self.moving_mean.assign(self.moving_mean * self.momentum + mean * (1 - self.momentum))
        moving_stddev = self.moving_stddev * self.momentum + stddev * (1 - self.momentum)
        self.moving_stddev.assign(moving_stddev)
        self.moving_variance.assign(ops.relu(moving_stddev * moving_stddev - self.epsilon))
        return new_gamma, new_beta

    def compute_output_shape(self, input_shape):
        if not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(
                f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={self.axis}"
            )
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer
                ),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
                "synchronized": self.synchronized,
                "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum,
            }
        )
        return config
