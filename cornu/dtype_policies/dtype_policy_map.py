"""DTypePolicyMap: dtype policies by layer path (exact keys, else regular expressions)."""

import re
from collections.abc import MutableMapping

from cornu.core import dtype_policies as policies
from cornu.saving import serialization_lib


class DTypePolicyMap(policies.DTypePolicy, MutableMapping):
    """A dict-like policy that maps layer paths to policies, for models whose layers differ
    (some quantized, some not).

    Args:
        default_policy: the policy of the paths the map does not name; None takes the global
            policy (``cornu.config.dtype_policy()``) when it is read.
        policy_map: a dict from a path (or a regular expression matched in full against the
            path) to a policy or its name.

    ``policy_map["encoder/dense"]`` gives the policy stored under that exact key, else the one
    whose pattern matches (an error when several match), else the default.
    """

    def __init__(self, default_policy=None, policy_map=None):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(
                "If specified, `policy_map` must be a dict. "
                f"Received: policy_map={policy_map} of type {type(policy_map)}"
            )
        self._default_policy_arg = default_policy
        self._default_policy = policies.get_policy(default_policy)
        self._policy_map = policy_map or {}

    @property
    def name(self):
        return f"map_{self.default_policy._name}"

    @property
    def default_policy(self):
        """The policy of the paths the map does not name."""
        return policies.get_policy(self._default_policy)

    @property
    def variable_dtype(self):
        return self.default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.default_policy.compute_dtype

    @property
    def quantization_mode(self):
        return self.default_policy.quantization_mode

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matching = [pattern for pattern in self._policy_map if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise ValueError(
                f"Path '{key}' matches multiple dtype policy specification keys: {matching}. "
                "Please make sure each path only matches at most one dtype policy "
                "specification key in the DTypePolicyMap."
            )
        if matching:
            return self._policy_map[matching[0]]
        return self.default_policy

    def __setitem__(self, key, policy):
        if key in self._policy_map:
            raise ValueError(
                f"{key} already exist in the DTypePolicyMap with value "
                f"{self._policy_map[key]}. Please make sure to not use duplicated keys."
            )
        try:
            policy = policies.get_policy(policy)
        except Exception:
            raise ValueError(
                "Cannot interpret the assigned value by `keras.dtype_policies.get`. "
                f"Received: {policy} of type {type(policy)}"
            ) from None
        self._policy_map[key] = policy

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__

    def get_config(self):
        policy_map = serialization_lib.serialize_keras_object(self._policy_map)
        if self._default_policy_arg is None:
            # As Keras: a map that follows the global policy stores its policies without
            # their source (so that loading takes the source from the global policy).
            for entry in policy_map.values():
                config = entry["config"]
                for key in ("name", "source_name"):
                    if key in config:
                        config[key] = None
        return {"default_policy": self._default_policy_arg, "policy_map": policy_map}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["policy_map"] = serialization_lib.deserialize_keras_object(
            config["policy_map"], custom_objects=custom_objects, kind="dtype policy"
        )
        return cls(**config)

    def __repr__(self):
        default = self._default_policy.name if self._default_policy is not None else None
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return f"<DTypePolicyMap at {hex(id(self))} default_policy={default}, mapping={mapping}>"


DTypePolicyMap.__module__ = "cornu.dtype_policies"
