"""``MultiOptimizer``: gives each weight to one of several optimizers, chosen by an
``OptimizerMap`` (weight path patterns) or by a function of the weight."""

import re
from collections.abc import MutableMapping

from cornu.optimizers.optimizer import Optimizer
from cornu.saving import serialization_lib


class OptimizerMap(MutableMapping):
    """Maps weight paths to optimizers.

    A key is a weight path or a regular expression over paths. Looking a path up returns the
    optimizer of the exactly equal key if there is one, else that of the single key that
    `re.fullmatch`es it, else `default_optimizer`; a path that two patterns match is an
    error. `"encoder/.*"` covers every weight below `encoder`; `"encoder"` only that path.
    Calling the map on a variable looks up its `path`.

    Args:
        default_optimizer: the `Optimizer` of the weights no key matches.
        optimizer_map: an optional dict of initial `{key: optimizer}` entries.
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                "OptimizerMap: `default_optimizer` must be an Optimizer instance. Received: "
                f"default_optimizer={default_optimizer!r}"
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(
                "OptimizerMap: `optimizer_map` must be a dict of {path or pattern: optimizer}."
                f" Received: optimizer_map={optimizer_map!r}"
            )
        self._default_optimizer = default_optimizer
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self):
        """The optimizer of the weights that no key matches."""
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(
                f"Multiple optimizers assigned to variable {key}: the patterns {matches} all "
                "match it."
            )
        if matches:
            return self._optimizer_map[matches[0]]
        return self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(f"OptimizerMap: a key must be a string. Received: {key!r}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(
                f"OptimizerMap: a value must be an Optimizer instance. Received: {optimizer!r}"
            )
        if isinstance(optimizer, MultiOptimizer):
            raise ValueError("OptimizerMap: an optimizer cannot be a MultiOptimizer.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        return {
            "default_optimizer": serialization_lib.serialize_keras_object(self._default_optimizer),
            "optimizer_map": serialization_lib.serialize_keras_object(self._optimizer_map),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        default_optimizer = serialization_lib.deserialize_keras_object(
            config["default_optimizer"], custom_objects=custom_objects
        )
        optimizer_map = serialization_lib.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(default_optimizer, optimizer_map)


class MultiOptimizer(Optimizer):
    """An optimizer that hands each weight to one of several optimizers.

    ```python
    optimizer = MultiOptimizer(OptimizerMap(SGD(), {"encoder/.*": Adam()}))
    # or with a function of the variable:
    optimizer = MultiOptimizer(lambda v: Adam() if "encoder" in v.path else SGD())
    ```

    Each step gives every inner optimizer the gradients of its own weights (each runs its
    own multi-tensor update), then counts one iteration. The inner optimizers are in
    `optimizers`; the learning rate belongs to them, so reading or setting `learning_rate`
    on the MultiOptimizer is an AttributeError. `variables` are its own (`iteration`,
    `learning_rate`) followed by each inner optimizer's, in the order of `optimizers`.

    Args:
        optimizer_map: an `OptimizerMap`, or a callable that returns the optimizer of a
            variable.
        loss_scale_factor: float or None; set on every inner optimizer too.
        name: the optimizer's name.
    """

    # A weights file holds the inner optimizers' variables in `optimizer/vars` (after
    # `iteration` and `learning_rate`) and again under `optimizer/optimizers/<name>/vars`.
    _saved_children = ("optimizers",)

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        self._groups = []
        candidates = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        candidates.append(getattr(optimizer_map, "default_optimizer", None))
        for optimizer in candidates:
            if optimizer is not None and optimizer not in self._inner_optimizers:
                optimizer.loss_scale_factor = loss_scale_factor
                self._inner_optimizers.append(optimizer)

    @property
    def optimizers(self):
        """The inner optimizers."""
        return self._inner_optimizers

    @property
    def variables(self):
        """`iteration` and `learning_rate`, then the inner optimizers' variables."""
        variables = self._variables[:]
        for optimizer in self._inner_optimizers:
            variables.extend(optimizer.variables)
        return variables

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate "
            "on the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
            "individual sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self):
        """The loss scale, shared with every inner optimizer."""
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in getattr(self, "_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    @property
    def iterations(self):
        """The number of steps applied."""
        return self._iterations

    def build(self, variables):
        """Asks the map for each variable's optimizer and builds each inner optimizer on its
        variables."""
        if self.built:
            return
        variables = list(variables)
        owners = []
        for variable in variables:
            optimizer = self._optimizer_map(variable)
            if not isinstance(optimizer, Optimizer):
                raise ValueError(
                    f"MultiOptimizer: the optimizer for variable {variable.path!r} is not an "
                    f"Optimizer instance. Received: {optimizer!r}"
                )
            if isinstance(optimizer, MultiOptimizer):
                raise ValueError("MultiOptimizer cannot be used inside an MultiOptimizer.")
            if optimizer not in self._inner_optimizers:
                optimizer.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(optimizer)
            owners.append(self._inner_optimizers.index(optimizer))
        self._groups = []
        for position, optimizer in enumerate(self._inner_optimizers):
            indices = [i for i, owner in enumerate(owners) if owner == position]
            own = [variables[i] for i in indices]
            if own:
                optimizer.build(own)
            self._groups.append((optimizer, indices, own))
        self._owners = {id(v): owner for v, owner in zip(variables, owners)}
        super().build(variables)

    def apply(self, grads, trainable_variables=None):
        """Gives each inner optimizer the gradients of its variables, then counts a step."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            self._check_built_for_apply()
            trainable_variables = self._trainable_variables
        elif not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._trainable_variables):
            raise ValueError(
                "Gradients must match trainable variables one-to-one. Received "
                f"{len(grads)} gradients and {len(self._trainable_variables)} variables."
            )
        if trainable_variables is self._trainable_variables or all(
            a is b for a, b in zip(trainable_variables, self._trainable_variables)
        ):
            for optimizer, indices, own in self._groups:
                if indices:
                    optimizer.apply([grads[i] for i in indices], own)
        else:
            self._apply_in_given_order(grads, trainable_variables)
        self._iterations.assign_add(1)

    def _apply_in_given_order(self, grads, trainable_variables):
        per_optimizer = [([], []) for _ in self._inner_optimizers]
        for grad, variable in zip(grads, trainable_variables):
            owner = self._owners.get(id(variable))
            if owner is None:
                raise ValueError(
                    f"Unknown variable: {variable}. This optimizer can only be called for the "
                    "variables it was originally built with."
                )
            per_optimizer[owner][0].append(grad)
            per_optimizer[owner][1].append(variable)
        for optimizer, (sub_grads, sub_variables) in zip(self._inner_optimizers, per_optimizer):
            if sub_grads:
                optimizer.apply(sub_grads, sub_variables)

    def finalize_variable_values(self, var_list=None):
        """Lets each inner optimizer copy its moving averages into its weights (with
        `use_ema`)."""
        if not self.built:
            return
        if var_list is None:
            var_list = self._trainable_variables
        per_optimizer = [[] for _ in self._inner_optimizers]
        for variable in var_list:
            per_optimizer[self._owners[id(variable)]].append(variable)
        for optimizer, variables in zip(self._inner_optimizers, per_optimizer):
            if variables:
                optimizer.finalize_variable_values(variables)

    def get_config(self):
        return {
            "optimizer_map": serialization_lib.serialize_keras_object(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["optimizer_map"] = serialization_lib.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)
