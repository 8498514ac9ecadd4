"""Learning-rate schedules: objects called with the optimizer's iteration count that return the
learning rate for that step, with Keras 3's arguments and formulas."""

import math

from cornu import ops
from cornu.saving import serialization_lib

# The module Keras writes in a schedule's serialized form.
_KERAS_MODULE = "keras.optimizers.schedules"


class LearningRateSchedule:
    """Base class of the learning-rate schedules.

    A schedule is passed as an optimizer's `learning_rate`; before each update the optimizer
    calls it with its iteration count (a scalar integer tensor) and uses the returned value.
    Subclasses implement `__call__(step)` and `get_config()`.

    Example:

    ```python
    class Halving(cornu.optimizers.schedules.LearningRateSchedule):
        def __init__(self, initial_learning_rate):
            self.initial_learning_rate = initial_learning_rate

        def __call__(self, step):
            return self.initial_learning_rate * 0.5 ** ops.cast(step, "float32")

        def get_config(self):
            return {"initial_learning_rate": self.initial_learning_rate}
    ```
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        """The schedule's constructor arguments, as a JSON-friendly dict."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in "
            "order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        """Creates a schedule from `get_config()`'s output."""
        return cls(**config)


def _check_positive(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


def _start(initial_learning_rate, step):
    """The initial rate as a tensor, its dtype, and the step cast to that dtype."""
    initial = ops.convert_to_tensor(initial_learning_rate)
    dtype = ops.dtype(initial)
    return initial, dtype, ops.cast(step, dtype)


class ExponentialDecay(LearningRateSchedule):
    """Exponential decay: the rate is multiplied by `decay_rate` every `decay_steps` steps.

    ```python
    rate(step) = initial_learning_rate * decay_rate ** (step / decay_steps)
    ```

    With `staircase=True`, `step / decay_steps` is rounded down, so the rate changes in steps.

    Args:
        initial_learning_rate: the rate at step 0 (a float).
        decay_steps: the number of steps over which the rate is multiplied by `decay_rate`
            once; must be positive.
        decay_rate: the decay factor.
        staircase: whether to decay at discrete intervals. Defaults to `False`.
        name: the schedule's name. Defaults to `"ExponentialDecay"`.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="ExponentialDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step):
        initial, dtype, step = _start(self.initial_learning_rate, step)
        exponent = step / ops.cast(self.decay_steps, dtype)
        if self.staircase:
            exponent = ops.floor(exponent)
        return initial * ops.power(ops.cast(self.decay_rate, dtype), exponent)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant rate on each interval between boundaries.

    The rate is `values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i - 1] < step <= boundaries[i]`, and `values[-1]` once
    `step > boundaries[-1]`.

    Args:
        boundaries: increasing step numbers (ints).
        values: the rates; one more than `boundaries`.
        name: the schedule's name. Defaults to `"PiecewiseConstant"`.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = ops.convert_to_tensor(step)
        step_dtype = ops.dtype(step)
        bounds = [ops.cast(b, step_dtype) for b in self.boundaries]
        values = [ops.convert_to_tensor(v) for v in self.values]
        dtype = ops.dtype(values[0])
        # Sum of value * indicator(step in its interval): exactly one indicator is 1.
        rate = ops.cast(step <= bounds[0], dtype) * values[0]
        rate = rate + ops.cast(step > bounds[-1], dtype) * values[-1]
        for low, high, value in zip(bounds[:-1], bounds[1:], values[1:-1]):
            inside = ops.logical_and(step > low, step <= high)
            rate = rate + ops.cast(inside, dtype) * value
        return rate

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from `initial_learning_rate` to `end_learning_rate` in `decay_steps`.

    ```python
    step = min(step, decay_steps)
    rate(step) = ((initial_learning_rate - end_learning_rate)
                  * (1 - step / decay_steps) ** power) + end_learning_rate
    ```

    With `cycle=True`, `decay_steps` is instead multiplied by `ceil(step / decay_steps)` (1 at
    step 0), so the decay restarts, more slowly, each time it completes.

    Args:
        initial_learning_rate: the rate at step 0 (a float).
        decay_steps: the number of steps of the decay; must be positive.
        end_learning_rate: the final rate. Defaults to `0.0001`.
        power: the polynomial's power. Defaults to `1.0` (linear decay).
        cycle: whether to cycle beyond `decay_steps`. Defaults to `False`.
        name: the schedule's name. Defaults to `"PolynomialDecay"`.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step):
        initial, dtype, step = _start(self.initial_learning_rate, step)
        end = ops.cast(self.end_learning_rate, dtype)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.cycle:
            cycles = ops.where(ops.equal(step, 0), 1.0, ops.ceil(step / self.decay_steps))
            decay_steps = decay_steps * cycles
        else:
            step = ops.minimum(step, decay_steps)
        remaining = 1 - step / decay_steps
        return (initial - end) * ops.power(remaining, ops.cast(self.power, dtype)) + end

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """Inverse-time decay.

    ```python
    rate(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)
    ```

    With `staircase=True`, `step / decay_steps` is rounded down.

    Args:
        initial_learning_rate: the rate at step 0 (a float).
        decay_steps: how often to apply the decay; must be positive.
        decay_rate: the decay rate.
        staircase: whether to decay at discrete intervals. Defaults to `False`.
        name: the schedule's name. Defaults to `"InverseTimeDecay"`.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="InverseTimeDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step):
        initial, dtype, step = _start(self.initial_learning_rate, step)
        progress = step / ops.cast(self.decay_steps, dtype)
        if self.staircase:
            progress = ops.floor(progress)
        return initial / (1 + ops.cast(self.decay_rate, dtype) * progress)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


def _cosine(fraction, dtype):
    """`0.5 * (1 + cos(pi * fraction))`, from 1 at 0 to 0 at 1."""
    return 0.5 * (1.0 + ops.cos(ops.convert_to_tensor(math.pi, dtype) * fraction))


class CosineDecay(LearningRateSchedule):
    """Cosine decay, after an optional linear warmup (Loshchilov and Hutter, SGDR).

    Without warmup (`warmup_target=None`):

    ```python
    step = min(step, decay_steps)
    rate(step) = initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps))
                                          + alpha)
    ```

    With a `warmup_target`, the rate first rises linearly from `initial_learning_rate` to
    `warmup_target` over `warmup_steps` steps, then decays as above from `warmup_target` over
    the next `decay_steps` steps.

    Args:
        initial_learning_rate: the rate at step 0 (a float).
        decay_steps: the number of steps of the decay; must be positive.
        alpha: the final rate, as a fraction of the decayed-from rate. Defaults to `0.0`.
        name: the schedule's name. Defaults to `"CosineDecay"`.
        warmup_target: the rate reached at the end of the warmup, or None for no warmup.
        warmup_steps: the number of warmup steps. Defaults to `0`.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_positive("decay_steps", decay_steps)

    def _decayed(self, step, decay_steps, decay_from, dtype):
        cosine = _cosine(step / decay_steps, dtype)
        return decay_from * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        initial, dtype, step = _start(self.initial_learning_rate, step)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.warmup_target is None:
            step = ops.minimum(step, decay_steps)
            return self._decayed(step, decay_steps, initial, dtype)
        target = ops.cast(self.warmup_target, dtype)
        warmup_steps = ops.cast(self.warmup_steps, dtype)
        step = ops.minimum(step, decay_steps + warmup_steps)
        warming = (target - initial) * (step / warmup_steps) + initial
        decaying = self._decayed(step - warmup_steps, decay_steps, target, dtype)
        # Both branches are computed and one is selected: no host read of the step.
        return ops.where(step < warmup_steps, warming, decaying)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov and Hutter).

    The rate follows a cosine decay from `initial_learning_rate` over `first_decay_steps`
    steps, then restarts; each new period is `t_mul` times longer than the previous one and
    starts from a rate `m_mul` times the previous start. Within a period, at fraction `f` of it:
    `rate = start * ((1 - alpha) * 0.5 * (1 + cos(pi * f)) + alpha)`.

    Args:
        initial_learning_rate: the rate at step 0 (a float).
        first_decay_steps: the length of the first period; must be positive.
        t_mul: the factor by which each period is longer than the last. Defaults to `2.0`.
        m_mul: the factor applied to the starting rate at each restart. Defaults to `1.0`.
        alpha: the minimum rate, as a fraction of `initial_learning_rate`. Defaults to `0.0`.
        name: the schedule's name. Defaults to `"SGDRDecay"`.
    """

    def __init__(
        self,
        initial_learning_rate,
        first_decay_steps,
        t_mul=2.0,
        m_mul=1.0,
        alpha=0.0,
        name="SGDRDecay",
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_positive("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        initial, dtype, step = _start(self.initial_learning_rate, step)
        fraction = step / ops.cast(self.first_decay_steps, dtype)
        t_mul = ops.cast(self._t_mul, dtype)
        if self._t_mul == 1.0:
            restarts = ops.floor(fraction)
            fraction = fraction - restarts
        else:
            # Periods 1, t, t^2, ...: `restarts` full periods add up to (1 - t^n) / (1 - t).
            restarts = ops.floor(ops.log(1.0 - fraction * (1.0 - t_mul)) / ops.log(t_mul))
            elapsed = (1.0 - ops.power(t_mul, restarts)) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / ops.power(t_mul, restarts)
        start = ops.power(ops.cast(self._m_mul, dtype), restarts)
        alpha = ops.cast(self.alpha, dtype)
        return initial * ((1 - alpha) * start * _cosine(fraction, dtype) + alpha)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


ALL_OBJECTS = (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}


def serialize(learning_rate_schedule):
    """Returns the schedule's configuration as a JSON-friendly dict (module, class name,
    config), in Keras's format: cornu's own schedules are written as
    `keras.optimizers.schedules` classes, so Keras reads them back and vice versa."""
    config = serialization_lib.serialize_keras_object(learning_rate_schedule)
    if type(learning_rate_schedule) in ALL_OBJECTS:
        config["module"] = _KERAS_MODULE
        config["registered_name"] = None
    return config


def deserialize(config, custom_objects=None):
    """Rebuilds a schedule from `serialize()`'s output (or Keras's).

    Args:
        config: the dict returned by `serialize`.
        custom_objects: optional dict mapping names to user-defined schedule classes.
    """
    return serialization_lib.deserialize_keras_object(
        config,
        module_objects=ALL_OBJECTS_DICT,
        custom_objects=custom_objects,
        kind="learning rate schedule",
    )
