"""Dtype policies: the dtype a layer keeps its weights in and the dtype it computes in.

``DTypePolicy("mixed_bfloat16")`` keeps weights in float32 and computes in bfloat16; a dtype
name (``"float32"``) uses that dtype for both. The quantized policies (``int8_from_float32``,
``float8_from_mixed_bfloat16``, ``int4/128_from_float32``, ...) add a quantization mode on top of
a source policy, as Keras 3.15's do. Framework-free: the global policy is read through
``set_global_policy_reader`` (installed by ``cornu.config``).
"""

from cornu.core.config import floatx
from cornu.core.dtypes import is_float_dtype, standardize_dtype

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")
MIXED_POLICIES = ("mixed_float16", "mixed_bfloat16")

_GLOBAL_POLICY_READER = [None]


def set_global_policy_reader(reader):
    """Installs the function that returns the global policy (``cornu.config.dtype_policy``)."""
    _GLOBAL_POLICY_READER[0] = reader


def global_policy_name():
    """The name of the global policy; ``floatx()`` before ``cornu.config`` is imported."""
    reader = _GLOBAL_POLICY_READER[0]
    return reader().name if reader is not None else floatx()


def _parse_name(name):
    """``(compute_dtype, variable_dtype)`` of a float policy name."""
    if not isinstance(name, str):
        raise TypeError(
            "'name' must be a string, such as 'mixed_float16'. "
            f"Received: name={name} (of type {type(name)})"
        )
    if name == "mixed_float16":
        return "float16", "float32"
    if name == "mixed_bfloat16":
        return "bfloat16", "float32"
    try:
        dtype = standardize_dtype(name)
    except (ValueError, TypeError):
        dtype = None
    if dtype is None:
        raise ValueError(
            f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies include "
            "'mixed_float16', 'mixed_bfloat16', and the name of any float dtype such as "
            "'float32' (also 'float16', 'bfloat16', 'float64', and the quantized policies "
            "'<mode>_from_<policy>' with mode one of "
            f"{', '.join(repr(m) for m in QUANTIZATION_MODES)})."
        )
    return dtype, dtype


class DTypePolicy:
    """A dtype policy for a layer: the dtype of its weights and of its computations.

    Args:
        name: a dtype name (``"float32"``, ``"bfloat16"``: weights and computations in it), or
            ``"mixed_float16"`` / ``"mixed_bfloat16"`` (weights in float32, computations in
            float16 / bfloat16). None takes the global policy's name.

    Pass a policy, or its name, as any layer's ``dtype``; ``cornu.config.set_dtype_policy``
    sets the default for the layers created afterwards.
    """

    def __init__(self, name=None):
        if name is None:
            name = global_policy_name()
        self._name = name
        self._compute_dtype, self._variable_dtype = _parse_name(name)
        self._quantization_mode = None

    @property
    def name(self):
        """The policy's name."""
        return self._name

    @property
    def compute_dtype(self):
        """The dtype layers compute in (their inputs are cast to it, and their weights as they
        are read inside ``call``)."""
        return self._compute_dtype

    @property
    def variable_dtype(self):
        """The dtype layers create their weights in."""
        return self._variable_dtype

    @property
    def quantization_mode(self):
        """The quantization mode (``"int8"``, ...), None for a float policy."""
        return self._quantization_mode

    def should_cast(self, dtype, autocast, target):
        """Whether an input of ``dtype`` is cast to ``target``: floats of another dtype, when
        ``autocast`` is on (integer inputs are left alone)."""
        dtype = standardize_dtype(dtype)
        return bool(autocast) and is_float_dtype(dtype) and dtype != target

    def get_config(self):
        """The policy's constructor arguments."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        """Creates a policy from ``get_config()``'s output."""
        return cls(**config)

    def __repr__(self):
        class_name = type(self).__name__
        if class_name == "FloatDTypePolicy":
            class_name = "DTypePolicy"
        return f'<{class_name} "{self._name}">'

    def __eq__(self, other):
        if type(self) in (DTypePolicy, FloatDTypePolicy):
            if type(other) not in (DTypePolicy, FloatDTypePolicy):
                return False
        elif type(other) is not type(self):
            return False
        return self._name == other._name

    def __hash__(self):
        return hash((type(self).__name__, self._name))


class FloatDTypePolicy(DTypePolicy):
    """Another name of `DTypePolicy` (a float policy), as in Keras."""


class QuantizedDTypePolicy(DTypePolicy):
    """The policy of a quantized layer: a quantization mode over a source float policy.

    Args:
        mode: the quantization mode, one of ``"int8"``, ``"float8"``, ``"int4"``, ``"gptq"``,
            ``"awq"``.
        source_name: the float policy the layer had before quantization (its compute and
            variable dtypes); None takes the global policy's name.

    Its name is ``"<mode>_from_<source_name>"``.
    """

    def __init__(self, mode, source_name=None):
        if source_name is None:
            source_name = global_policy_name()
        self._compute_dtype, self._variable_dtype = _parse_name(source_name)
        self._check_quantization_mode(mode, self._compute_dtype)
        self._name = f"{mode}_from_{source_name}"
        self._source_name = source_name
        self._quantization_mode = mode

    @property
    def source_name(self):
        """The name of the float policy under the quantization."""
        return self._source_name

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return (
            self._quantization_mode == other._quantization_mode
            and self._source_name == other._source_name
        )

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        return {"mode": self._quantization_mode, "source_name": self._source_name}

    @staticmethod
    def _check_quantization_mode(mode, compute_dtype):
        if mode not in QUANTIZATION_MODES:
            raise ValueError(
                f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
                f"Received: mode={mode}"
            )
        if compute_dtype == "float16" and mode == "int8":
            raise ValueError(
                f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'."
            )


class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """The policy of a float8-quantized layer (float8 training keeps an amax history).

    Args:
        mode: ``"float8"``.
        source_name: the float policy under the quantization.
        amax_history_length: the length of the amax history window used to compute the
            scaling factors (1024 by default).
    """

    default_amax_history_length = 1024

    def __init__(self, mode, source_name=None, amax_history_length=1024):
        super().__init__(mode=mode, source_name=source_name)
        if not isinstance(amax_history_length, int) or isinstance(amax_history_length, bool):
            raise TypeError(
                "`amax_history_length` must be an integer. "
                f"Received: amax_history_length={amax_history_length}"
            )
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self):
        """The length of the amax history window."""
        return self._amax_history_length

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self._amax_history_length == other._amax_history_length

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        config = super().get_config()
        config["amax_history_length"] = self._amax_history_length
        return config


def _mode_fields(mode, algorithm, fields, policy_class):
    """The integer fields of a ``"<algorithm>/<a>/<b>"`` mode, checked for their format."""
    parts = mode.split("/") if isinstance(mode, str) else []
    expected = "'" + "/".join([algorithm] + [f"<{f}>" for f in fields]) + "'"
    if len(parts) != len(fields) + 1 or parts[0] != algorithm:
        raise ValueError(
            f"Invalid mode for {policy_class}. Expected format {expected}, but got '{mode}'."
        )
    try:
        return [int(p) for p in parts[1:]]
    except ValueError:
        names = " and ".join(f"<{f}>" for f in fields)
        verb = "must be integers" if len(fields) > 1 else "must be an integer"
        raise ValueError(
            f"Invalid mode for {policy_class}. {names} {verb}. Expected format {expected}, "
            f"but got '{mode}'."
        ) from None


def _check_group(size, what, mode, whole):
    if size < -1 or size == 0:
        raise ValueError(
            f"Invalid {what} in mode. Supported values are -1 ({whole}) or a positive "
            f"integer, but got {size} from '{mode}'."
        )


class Int4DTypePolicy(QuantizedDTypePolicy):
    """The policy of an int4 layer quantized by blocks.

    Args:
        mode: ``"int4/<block_size>"``: -1 for one scale per output channel, a positive size for
            one scale per block of that many inputs.
        source_name: the float policy under the quantization.
    """

    def __init__(self, mode, source_name=None):
        (block_size,) = _mode_fields(mode, "int4", ["block_size"], "Int4DTypePolicy")
        _check_group(block_size, "block_size", mode, "per-channel")
        super().__init__(mode="int4", source_name=source_name)
        self._name = f"{mode}_from_{source_name}"
        self.mode = "int4"
        self.block_size = block_size

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self.block_size == other.block_size

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        config = super().get_config()
        config["mode"] = f"{self.mode}/{self.block_size}"
        return config


class _GroupedDTypePolicy(QuantizedDTypePolicy):
    """GPTQ and AWQ: ``"<algorithm>/<weight_bits>/<group_size>"`` modes."""

    _algorithm = None
    _bits = ()

    def __init__(self, mode, source_name=None):
        name = type(self).__name__
        bits, group_size = _mode_fields(mode, self._algorithm, ["weight_bits", "group_size"], name)
        if bits not in self._bits:
            supported = ", ".join(str(b) for b in self._bits)
            raise ValueError(
                f"Invalid weight_bits in mode. Supported values are {supported}, but got "
                f"{bits} from '{mode}'."
            )
        _check_group(group_size, "group_size", mode, "whole-tensor")
        super().__init__(mode=self._algorithm, source_name=source_name)
        self._name = f"{mode}_from_{source_name}"
        self.mode = self._algorithm
        self.weight_bits = bits
        self.group_size = group_size

    def __eq__(self, other):
        if super().__eq__(other) is False:
            return False
        return self.weight_bits == other.weight_bits and self.group_size == other.group_size

    __hash__ = DTypePolicy.__hash__

    def get_config(self):
        config = super().get_config()
        config["mode"] = f"{self.mode}/{self.weight_bits}/{self.group_size}"
        return config


class GPTQDTypePolicy(_GroupedDTypePolicy):
    """The policy of a GPTQ-quantized layer.

    Args:
        mode: ``"gptq/<weight_bits>/<group_size>"``, bits one of 2, 3, 4, 8; group size -1
            (whole tensor) or positive.
        source_name: the float policy under the quantization.
    """

    _algorithm = "gptq"
    _bits = (2, 3, 4, 8)


class AWQDTypePolicy(_GroupedDTypePolicy):
    """The policy of an AWQ-quantized layer.

    Args:
        mode: ``"awq/4/<group_size>"`` (AWQ quantizes to 4 bits); group size -1 (per channel)
            or positive.
        source_name: the float policy under the quantization.
    """

    _algorithm = "awq"
    _bits = (4,)


# Keras exports its float policies at the top level (``keras.DTypePolicy``) and the others in
# ``keras.dtype_policies``: configs and pickles name them by those public modules.
DTypePolicy.__module__ = FloatDTypePolicy.__module__ = "cornu"
for _cls in (
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
    Int4DTypePolicy,
    GPTQDTypePolicy,
    AWQDTypePolicy,
):
    _cls.__module__ = "cornu.dtype_policies"


def quantized_policy_from_name(name):
    """The quantized policy a ``"<mode>_from_<source>"`` name describes."""
    if not isinstance(name, str):
        raise TypeError(f"`policy` must be a string. Received: policy={name}")
    if not name.startswith(QUANTIZATION_MODES):
        raise ValueError("`policy` is incompatible with the current supported quantization.")
    parts = name.split("_from_")
    if len(parts) != 2:
        raise ValueError(
            "Cannot convert `policy` into a valid pair (`mode`, `source_name`) to instantiate "
            f"`QuantizedDTypePolicy`. Received: policy={name}"
        )
    mode, source_name = parts
    if name.startswith("float8"):
        return QuantizedFloat8DTypePolicy(mode, source_name)
    if name.startswith("int4") and "/" in mode:
        return Int4DTypePolicy(mode, source_name)
    if name.startswith("gptq"):
        return GPTQDTypePolicy(mode, source_name)
    if name.startswith("awq"):
        return AWQDTypePolicy(mode, source_name)
    return QuantizedDTypePolicy(mode, source_name)


def policy_from_name(name):
    """The policy a name describes: quantized names give quantized policies."""
    if isinstance(name, str) and name.startswith(QUANTIZATION_MODES):
        return quantized_policy_from_name(name)
    return DTypePolicy(name)


def get_policy(identifier):
    """A policy from a policy (returned as it is), a name, a dtype, or None (the global
    policy). Config dicts are read by ``cornu.dtype_policies.get``."""
    if identifier is None:
        reader = _GLOBAL_POLICY_READER[0]
        return reader() if reader is not None else DTypePolicy(floatx())
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, str):
        return policy_from_name(identifier)
    try:
        name = standardize_dtype(identifier)
    except (ValueError, TypeError):
        raise ValueError(
            "Cannot interpret `dtype` argument. Expected a string or an instance of "
            f"DTypePolicy. Received: dtype={identifier}"
        ) from None
    return DTypePolicy(name)
