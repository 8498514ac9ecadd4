"""Hyperparameters: the search space that a model-building function declares as it runs.

Each hyperparameter maps a number in [0, 1] (a cumulative probability) to a value and back, so
random, grid and Bayesian search all work in the unit cube.
"""

import contextlib
import math

import numpy as np


def _check_sampling(name, sampling, min_value, max_value, step, is_int):
    if sampling not in ("linear", "log", "reverse_log"):
        raise ValueError(
            f"Hyperparameter '{name}': `sampling` must be one of 'linear', 'log', "
            f"'reverse_log'. Received: sampling={sampling!r}."
        )
    if min_value > max_value:
        raise ValueError(
            f"Hyperparameter '{name}': `min_value` ({min_value}) must not exceed "
            f"`max_value` ({max_value})."
        )
    if sampling != "linear" and min_value <= 0:
        raise ValueError(
            f"Hyperparameter '{name}': `sampling='{sampling}'` needs `min_value` > 0. "
            f"Received: min_value={min_value}."
        )
    if sampling != "linear" and step is not None and step <= 1:
        raise ValueError(
            f"Hyperparameter '{name}': with sampling='{sampling}', a step multiplies the "
            f"value, so it must be > 1. Received: step={step}."
        )
    if step is not None and step <= 0:
        raise ValueError(f"Hyperparameter '{name}': `step` must be > 0. Received: step={step}.")


class HyperParameter:
    """Base class of one hyperparameter: a name, a default and the conditions it needs."""

    kind = None

    def __init__(self, name, default=None, conditions=None):
        self.name = name
        self._default = default
        self.conditions = list(conditions or [])

    @property
    def default(self):
        return self._default

    def get_config(self):
        return {"name": self.name, "default": self.default, "conditions": self.conditions}

    def same_space(self, other):
        config, other_config = self.get_config(), other.get_config()
        config.pop("conditions"), other_config.pop("conditions")
        return type(self) is type(other) and config == other_config

    def random_sample(self, rng):
        return self.prob_to_value(rng.random())


class _Numerical(HyperParameter):
    def __init__(self, name, min_value, max_value, step, sampling, default, conditions, is_int):
        _check_sampling(name, sampling, min_value, max_value, step, is_int)
        super().__init__(name, default, conditions)
        self.min_value, self.max_value = min_value, max_value
        self.step, self.sampling = step, sampling

    def _n_values(self):
        if self.sampling == "linear":
            return int((self.max_value - self.min_value) // self.step + 1)
        return int(math.log(self.max_value / self.min_value, self.step) + 1e-8) + 1

    def _value_at(self, index):
        if self.sampling == "linear":
            return self.min_value + index * self.step
        if self.sampling == "log":
            return self.min_value * math.pow(self.step, index)
        return self.max_value + self.min_value - self.min_value * math.pow(self.step, index)

    def _continuous(self, prob):
        low, high = self.min_value, self.max_value
        if self.sampling == "linear":
            return low + prob * (high - low)
        if self.sampling == "log":
            return low * math.pow(high / low, prob)
        return high + low - low * math.pow(high / low, 1 - prob)

    def _continuous_prob(self, value):
        low, high = self.min_value, self.max_value
        if high == low:
            return 0.5
        if self.sampling == "linear":
            return (value - low) / (high - low)
        if self.sampling == "log":
            return math.log(value / low) / math.log(high / low)
        return 1 - math.log((high + low - value) / low) / math.log(high / low)

    def prob_to_value(self, prob):
        if self.step is not None:
            n = self._n_values()
            return self._cast(self._value_at(min(int(prob * n), n - 1)))
        return self._cast(self._continuous(prob))

    def value_to_prob(self, value):
        if self.step is not None:
            n = self._n_values()
            values = [self._value_at(i) for i in range(n)]
            index = int(np.argmin([abs(v - value) for v in values]))
            return (index + 0.5) / n
        return min(max(self._continuous_prob(value), 0.0), 1.0)

    @property
    def values(self):
        """The values a grid walks: every step, or 10 evenly spread ones without a step."""
        if self.step is None:
            return tuple(sorted({self.prob_to_value(i * 0.1 + 0.05) for i in range(10)}))
        return tuple(self._cast(self._value_at(i)) for i in range(self._n_values()))

    @property
    def default(self):
        return self.min_value if self._default is None else self._default

    def get_config(self):
        return {
            **super().get_config(),
            "min_value": self.min_value,
            "max_value": self.max_value,
            "step": self.step,
            "sampling": self.sampling,
        }


class Int(_Numerical):
    """An integer in `[min_value, max_value]` (both included), every `step` (default 1)."""

    kind = "Int"

    def __init__(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        conditions=None,
    ):
        for arg, value in (("min_value", min_value), ("max_value", max_value)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
                raise ValueError(
                    f"Hyperparameter '{name}': `{arg}` of Int must be an int. "
                    f"Received: {arg}={value!r}."
                )
        if step is None and sampling == "linear":
            step = 1
        super().__init__(
            name, int(min_value), int(max_value), step, sampling, default, conditions, True
        )

    def _cast(self, value):
        return int(round(value))

    def prob_to_value(self, prob):
        if self.step is None:  # log sampling with no step: any integer, log-spread
            return self._cast(self._continuous(prob))
        return super().prob_to_value(prob)


class Float(_Numerical):
    """A float in `[min_value, max_value]`, continuous or every `step`; `sampling="log"`
    spreads the samples evenly in log space (for learning rates)."""

    kind = "Float"

    def __init__(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        conditions=None,
    ):
        super().__init__(
            name, float(min_value), float(max_value), step, sampling, default, conditions, False
        )

    def _cast(self, value):
        return float(value)


class Choice(HyperParameter):
    """One of `values` (all ints, all floats, all strings or all bools)."""

    kind = "Choice"

    def __init__(self, name, values, ordered=None, default=None, conditions=None):
        if not values:
            raise ValueError(f"Hyperparameter '{name}': `values` must be provided for `Choice`.")
        types = {type(v) for v in values}
        if len(types) > 1 and not types <= {int, float}:
            raise TypeError(
                f"Hyperparameter '{name}': a `Choice` must contain one type of value, "
                f"found: {sorted(t.__name__ for t in types)}."
            )
        if types <= {int, float} and len(types) > 1:
            values = [float(v) for v in values]
        if default is not None and default not in values:
            raise ValueError(
                f"Hyperparameter '{name}': the default value should be one of the choices "
                f"{list(values)}. Received: default={default!r}."
            )
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        if ordered and not numeric:
            raise ValueError("`ordered` must be `False` for non-numeric types.")
        super().__init__(name, default, conditions)
        self.values = list(values)
        self.ordered = numeric if ordered is None else bool(ordered)

    @property
    def default(self):
        return self.values[0] if self._default is None else self._default

    def prob_to_value(self, prob):
        return self.values[min(int(prob * len(self.values)), len(self.values) - 1)]

    def value_to_prob(self, value):
        return (self.values.index(value) + 0.5) / len(self.values)

    def get_config(self):
        return {**super().get_config(), "values": self.values, "ordered": self.ordered}


class Boolean(Choice):
    """`True` or `False` (default `False`)."""

    kind = "Boolean"

    def __init__(self, name, default=False, conditions=None):
        if default not in (True, False):
            raise ValueError(
                f"Hyperparameter '{name}': `default` of Boolean must be True or False. "
                f"Received: default={default!r}."
            )
        super().__init__(
            name, [False, True], ordered=False, default=bool(default), conditions=conditions
        )


class Fixed(HyperParameter):
    """A value that does not change (a constant recorded with the trial)."""

    kind = "Fixed"

    def __init__(self, name, value, conditions=None):
        if not isinstance(value, (bool, int, float, str, np.integer, np.floating)):
            raise ValueError(
                f"Hyperparameter '{name}': `value` of Fixed must be a bool, int, float or "
                f"str. Received: value={value!r}."
            )
        if isinstance(value, np.generic):
            value = value.item()
        super().__init__(name, value, conditions)
        self.value = value
        self.values = [value]

    def prob_to_value(self, prob):
        return self.value

    def value_to_prob(self, value):
        return 0.5

    def get_config(self):
        return {**super().get_config(), "value": self.value}


KINDS = {cls.kind: cls for cls in (Int, Float, Choice, Boolean, Fixed)}


def hyperparameter_from_config(kind, config):
    config = dict(config)
    config.pop("default", None) if kind == "Fixed" else None
    if kind == "Boolean":
        config = {k: config[k] for k in ("name", "default", "conditions")}
    return KINDS[kind](**config)


class HyperParameters:
    """The container of a search space and of the values of one trial.

    A model-building function calls `hp.Int(...)`, `hp.Float(...)`, `hp.Choice(...)`,
    `hp.Boolean(...)` or `hp.Fixed(...)`: the first call declares the hyperparameter and
    returns its default (or the value the tuner chose for this trial); later calls with the
    same name return the same value. `with hp.conditional_scope(parent, values):` declares
    hyperparameters that exist only while `parent` takes one of `values`.
    """

    def __init__(self):
        self._space = {}
        self.values = {}
        self._conditions = []
        self._overrides = set()  # names the user's `hyperparameters=` defines: they win

    # ----- declaring
    @contextlib.contextmanager
    def conditional_scope(self, parent_name, parent_values):
        """Hyperparameters declared inside are active only when `parent_name`'s value is in
        `parent_values`."""
        if parent_name not in self._space:
            raise ValueError(
                f"`HyperParameter` named: {parent_name} not defined. Define it before the "
                "conditional scope that depends on it."
            )
        if not isinstance(parent_values, (list, tuple)):
            parent_values = [parent_values]
        self._conditions.append({"name": parent_name, "values": list(parent_values)})
        try:
            yield
        finally:
            self._conditions.pop()

    def _conditions_met(self, conditions):
        for condition in conditions:
            parent = condition["name"]
            if parent in self._space and not self._conditions_met(self._space[parent].conditions):
                return False
            if self.values.get(parent) not in condition["values"]:
                return False
        return True

    def is_active(self, hyperparameter):
        """Whether a hyperparameter (or its name) has its conditions met by the values."""
        name = getattr(hyperparameter, "name", hyperparameter)
        if name not in self._space:
            return False
        return self._conditions_met(self._space[name].conditions)

    def _retrieve(self, hp):
        existing = self._space.get(hp.name)
        if existing is not None:
            if not existing.same_space(hp) and hp.name not in self._overrides:
                raise ValueError(
                    f"Hyperparameter '{hp.name}' is defined twice with different settings: "
                    f"first {existing.kind}({_describe(existing)}), now "
                    f"{hp.kind}({_describe(hp)}). Give each hyperparameter one definition "
                    "(or a different name)."
                )
        else:
            self._space[hp.name] = hp
            if hp.name not in self.values:
                self.values[hp.name] = hp.default
        if not self._conditions_met(self._space[hp.name].conditions):
            return None
        return self.values[hp.name]

    def _with_scope(self, parent_name, parent_values):
        conditions = list(self._conditions)
        if parent_name is not None:
            if not isinstance(parent_values, (list, tuple)):
                parent_values = [parent_values]
            conditions.append({"name": parent_name, "values": list(parent_values)})
        return conditions

    def Int(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """An integer hyperparameter in `[min_value, max_value]`; returns its value."""
        conditions = self._with_scope(parent_name, parent_values)
        return self._retrieve(Int(name, min_value, max_value, step, sampling, default, conditions))

    def Float(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """A float hyperparameter in `[min_value, max_value]` (`sampling="log"` for scales)."""
        conditions = self._with_scope(parent_name, parent_values)
        return self._retrieve(
            Float(name, min_value, max_value, step, sampling, default, conditions)
        )

    def Choice(
        self, name, values, ordered=None, default=None, parent_name=None, parent_values=None
    ):
        """A hyperparameter taking one of `values`; returns its value."""
        conditions = self._with_scope(parent_name, parent_values)
        return self._retrieve(Choice(name, values, ordered, default, conditions))

    def Boolean(self, name, default=False, parent_name=None, parent_values=None):
        """A boolean hyperparameter; returns its value."""
        conditions = self._with_scope(parent_name, parent_values)
        return self._retrieve(Boolean(name, default, conditions))

    def Fixed(self, name, value, parent_name=None, parent_values=None):
        """A constant recorded with the trial; returns `value`."""
        conditions = self._with_scope(parent_name, parent_values)
        return self._retrieve(Fixed(name, value, conditions))

    # ----- reading
    @property
    def space(self):
        """The declared hyperparameters, in declaration order."""
        return list(self._space.values())

    def get(self, name):
        """The current value of `name` (a KeyError names the known ones if it is unknown)."""
        if name in self.values:
            return self.values[name]
        raise KeyError(f"{name} does not exist. The hyperparameters are: {sorted(self.values)}.")

    def __getitem__(self, name):
        return self.get(name)

    def __contains__(self, name):
        return name in self.values

    def active_values(self):
        """The values of the active hyperparameters only."""
        return {k: v for k, v in self.values.items() if k not in self._space or self.is_active(k)}

    def merge(self, hps, overwrite=True):
        """Adds the hyperparameters (and values) of `hps` to this container."""
        hyperparameters = hps.space if isinstance(hps, HyperParameters) else hps
        for hp in hyperparameters:
            if overwrite or hp.name not in self._space:
                self._space[hp.name] = hp
                if isinstance(hps, HyperParameters) and hp.name in hps.values:
                    self.values[hp.name] = hps.values[hp.name]
                elif overwrite or hp.name not in self.values:
                    self.values[hp.name] = hp.default

    def copy(self):
        twin = HyperParameters()
        twin._space = dict(self._space)
        twin.values = dict(self.values)
        twin._overrides = set(self._overrides)
        return twin

    def get_config(self):
        return {
            "space": [{"class_name": hp.kind, "config": hp.get_config()} for hp in self.space],
            "values": dict(self.values),
        }

    @classmethod
    def from_config(cls, config):
        hps = cls()
        for item in config["space"]:
            hp = hyperparameter_from_config(item["class_name"], item["config"])
            hps._space[hp.name] = hp
        hps.values = dict(config["values"])
        return hps


def _describe(hp):
    config = hp.get_config()
    config.pop("name"), config.pop("conditions")
    return ", ".join(f"{k}={v!r}" for k, v in config.items() if v is not None)
