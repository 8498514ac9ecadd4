"""VarianceScaling and its named cases: Glorot (Xavier), He and LeCun, uniform and normal."""

import math

from cornu import random
from cornu.core import standardize_dtype
from cornu.initializers.random_initializers import RandomInitializer
from cornu.saving import serialization_lib

# The standard deviation of a unit normal truncated to (-2, 2): dividing by it gives the
# truncated samples the intended variance.
_TRUNCATED_STDDEV = 0.87962566103423978


def compute_fans(shape, input_axes=None, output_axes=None):
    """The ``(fan_in, fan_out)`` of a weight of ``shape``.

    A Dense kernel ``(in, out)`` gives ``(in, out)``; a conv kernel ``(*spatial, in, out)``
    multiplies both by the receptive field ``prod(spatial)``; a vector ``(n,)`` gives
    ``(n, n)`` and a scalar ``(1, 1)``. ``input_axes`` and ``output_axes``, when both given,
    name the axes multiplied into each fan instead.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[axis] for axis in input_axes)
        fan_out = math.prod(shape[axis] for axis in output_axes)
    elif len(shape) == 0:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    else:
        receptive_field = math.prod(shape[:-2])
        fan_in = shape[-2] * receptive_field
        fan_out = shape[-1] * receptive_field
    return int(fan_in), int(fan_out)


class VarianceScaling(RandomInitializer):
    """Random values whose variance is ``scale / n``, with ``n`` set by ``mode``.

    ``n`` is ``fan_in``, ``fan_out`` or their mean (``"fan_avg"``), at least 1. With
    ``distribution="truncated_normal"`` (or ``"normal"``) values come from a normal cut at two
    standard deviations, with ``stddev = sqrt(scale / n) / .87962566103423978``;
    ``"untruncated_normal"`` uses ``stddev = sqrt(scale / n)``; ``"uniform"`` draws from
    ``[-limit, limit)`` with ``limit = sqrt(3 * scale / n)``.

    Args:
        scale: a positive scaling factor.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"``, ``"untruncated_normal"`` or ``"uniform"``.
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
        input_axes: the axes making up ``fan_in`` (with ``output_axes``); None for the
            usual layout (see ``compute_fans``).
        output_axes: the axes making up ``fan_out``.
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be a positive float. Received: scale={scale}")
        modes = ("fan_in", "fan_out", "fan_avg")
        if mode not in modes:
            raise ValueError(f"`mode` must be one of {modes}. Received: mode={mode!r}")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        distributions = ("uniform", "truncated_normal", "untruncated_normal")
        if distribution not in distributions:
            raise ValueError(
                f"`distribution` must be one of {distributions}. "
                f"Received: distribution={distribution!r}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / _TRUNCATED_STDDEV
            return random.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, 0.0, math.sqrt(scale), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _NamedVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed ``scale``, ``mode`` and ``distribution``."""

    _scale = 1.0
    _mode = "fan_in"
    _distribution = "truncated_normal"

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            scale=self._scale,
            mode=self._mode,
            distribution=self._distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self):
        return {
            "seed": serialization_lib.serialize_keras_object(self._init_seed),
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class GlorotUniform(_NamedVarianceScaling):
    """Glorot (Xavier) uniform: ``[-limit, limit)`` with ``limit = sqrt(6 / (fan_in + fan_out))``.

    Keras's default kernel initializer.

    Args:
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    _mode = "fan_avg"
    _distribution = "uniform"


class GlorotNormal(_NamedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with ``stddev ~ sqrt(2 / (fan_in + fan_out))``.

    Args:
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    _mode = "fan_avg"


class HeUniform(_NamedVarianceScaling):
    """He uniform: ``[-limit, limit)`` with ``limit = sqrt(6 / fan_in)``.

    Args:
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    _scale = 2.0
    _distribution = "uniform"


class HeNormal(_NamedVarianceScaling):
    """He normal: truncated normal with ``stddev ~ sqrt(2 / fan_in)``.

    Args:
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    _scale = 2.0


class LecunUniform(_NamedVarianceScaling):
    """LeCun uniform: ``[-limit, limit)`` with ``limit = sqrt(3 / fan_in)``.

    Args:
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """

    _distribution = "uniform"


class LecunNormal(_NamedVarianceScaling):
    """LeCun normal: truncated normal with ``stddev ~ sqrt(1 / fan_in)``; for ``selu``.

    Args:
        seed: None, an int or a SeedGenerator (see ``RandomInitializer``).
    """
