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
