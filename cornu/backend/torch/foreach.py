"""In-place operations over lists of tensors, for optimizer updates.

On torch they are the multi-tensor ``torch._foreach_*`` kernels: one launch for all the
weights instead of one per weight. Scalars are Python numbers.
"""

import torch


def values(variables):
    """The tensors behind a list of Variables."""
    return [v.value for v in variables]


mul_ = torch._foreach_mul_
add_ = torch._foreach_add_
sub_ = torch._foreach_sub_
div_ = torch._foreach_div_
addcmul_ = torch._foreach_addcmul_
addcdiv_ = torch._foreach_addcdiv_
lerp_ = torch._foreach_lerp_
maximum_ = torch._foreach_maximum_
sqrt = torch._foreach_sqrt
sqrt_ = torch._foreach_sqrt_
mul = torch._foreach_mul
add = torch._foreach_add
sub = torch._foreach_sub
div = torch._foreach_div
neg = torch._foreach_neg
abs = torch._foreach_abs
sign = torch._foreach_sign
clamp_min_ = torch._foreach_clamp_min_
clamp_max_ = torch._foreach_clamp_max_
clamp_min = torch._foreach_clamp_min
clamp_max = torch._foreach_clamp_max
copy_ = torch._foreach_copy_
norm = torch._foreach_norm
zero_ = torch._foreach_zero_
pow = torch._foreach_pow  # pow(tensors, exponent) or pow(base, tensors)
pow_ = torch._foreach_pow_
sign_ = torch._foreach_sign_
abs_ = torch._foreach_abs_
neg_ = torch._foreach_neg_
maximum = torch._foreach_maximum
minimum = torch._foreach_minimum
minimum_ = torch._foreach_minimum_
reciprocal_ = torch._foreach_reciprocal_
addcmul = torch._foreach_addcmul
addcdiv = torch._foreach_addcdiv


def trust_ratios(weights, updates):
    """LAMB's layer-wise trust ratios: ``norm(w) / norm(u)`` for each pair, or 1 where either
    norm is 0. Returns one 0-d tensor per pair (on the weights' device), ready for ``mul_``;
    nothing is read back to the host."""
    if not weights:
        return []
    weight_norms = torch.stack(torch._foreach_norm(weights))
    update_norms = torch.stack(torch._foreach_norm(updates))
    usable = (weight_norms > 0) & (update_norms > 0)
    ratios = torch.where(usable, weight_norms / update_norms, torch.ones_like(weight_norms))
    return list(ratios.unbind())
