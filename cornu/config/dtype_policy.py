"""The global dtype policy, by name. Until cornu has DTypePolicy objects, a policy is the name
of one dtype used for both weights and computations (``"float32"``, ``"bfloat16"``, ...);
mixed policies (``"mixed_float16"``, ``"mixed_bfloat16"``) and quantized ones are refused."""

from cornu import backend
from cornu.utils import global_state

_MIXED = ("mixed_float16", "mixed_bfloat16")
_QUANTIZED = ("int8", "int4", "float8", "gptq", "awq")


def _policy_name(policy):
    name = getattr(policy, "name", policy)  # a policy object carries its name
    if not isinstance(name, str):
        raise ValueError(
            "Invalid `policy` argument. Expected the string name of a policy (such as "
            f"'float32') or a `DTypePolicy` instance. Received: policy={policy!r} "
            f"(of type {type(policy)})"
        )
    if name in _MIXED or name.startswith(tuple(f"{q}_from_" for q in _QUANTIZED)):
        raise ValueError(
            f"The dtype policy {name!r} is not supported yet: cornu's policies are a single "
            "dtype for weights and computations, such as 'float32', 'bfloat16' or 'float16'."
        )
    try:
        return backend.standardize_dtype(name)
    except (ValueError, TypeError):
        raise ValueError(
            f"Cannot convert {name!r} to a DTypePolicy. Valid policies are the name of any "
            "dtype, such as 'float32' or 'bfloat16'."
        ) from None


def set_dtype_policy(policy):
    """Sets the default dtype policy of layers created afterwards (until `clear_session()`).

    Args:
        policy: the name of a dtype, e.g. `"float32"`, `"bfloat16"`, `"float64"`. Mixed
            policies (`"mixed_float16"`) are not supported yet.
    """
    global_state.set_global_attribute("dtype_policy", _policy_name(policy))


def dtype_policy():
    """The name of the global dtype policy: the one given to `set_dtype_policy`, else
    `floatx()`."""
    return global_state.get_global_attribute("dtype_policy") or backend.floatx()
