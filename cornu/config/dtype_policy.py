"""The global dtype policy: ``set_dtype_policy("mixed_bfloat16")`` and ``dtype_policy()``, the
default of every layer created afterwards (until ``clear_session()``)."""

from cornu import backend
from cornu.core import dtype_policies as policies
from cornu.utils import global_state


def set_dtype_policy(policy):
    """Sets the default dtype policy of layers created afterwards (until `clear_session()`).

    Args:
        policy: a `DTypePolicy`, or its name: a dtype (`"float32"`, `"bfloat16"`),
            `"mixed_float16"`, `"mixed_bfloat16"`, or a quantized policy's name
            (`"int8_from_float32"`).
    """
    if not isinstance(policy, policies.DTypePolicy):
        if not isinstance(policy, str):
            raise ValueError(
                "Invalid `policy` argument. Expected the string name of a policy (such as "
                f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy!r} "
                f"(of type {type(policy)})"
            )
        policy = policies.policy_from_name(policy)
    global_state.set_global_attribute("dtype_policy", policy)


def dtype_policy():
    """The global dtype policy (a `DTypePolicy`): the one given to `set_dtype_policy`, else
    one named `floatx()`."""
    policy = global_state.get_global_attribute("dtype_policy")
    if policy is None:
        policy = policies.DTypePolicy(backend.floatx())
        global_state.set_global_attribute("dtype_policy", policy)
    return policy


policies.set_global_policy_reader(dtype_policy)
