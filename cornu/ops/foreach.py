"""In-place operations over lists of tensors (``mul_``, ``addcmul_``, ``lerp_``, ...), for
optimizer updates: one multi-tensor kernel for all the weights where the backend has one."""

from cornu.backend import foreach as _backend

values = _backend.values
mul_ = _backend.mul_
add_ = _backend.add_
sub_ = _backend.sub_
div_ = _backend.div_
addcmul_ = _backend.addcmul_
addcdiv_ = _backend.addcdiv_
lerp_ = _backend.lerp_
maximum_ = _backend.maximum_
sqrt = _backend.sqrt
sqrt_ = _backend.sqrt_
mul = _backend.mul
add = _backend.add
sub = _backend.sub
div = _backend.div
neg = _backend.neg
abs = _backend.abs
sign = _backend.sign
clamp_min_ = _backend.clamp_min_
clamp_max_ = _backend.clamp_max_
clamp_min = _backend.clamp_min
clamp_max = _backend.clamp_max
copy_ = _backend.copy_
norm = _backend.norm
zero_ = _backend.zero_
pow = _backend.pow
pow_ = _backend.pow_
sign_ = _backend.sign_
abs_ = _backend.abs_
neg_ = _backend.neg_
maximum = _backend.maximum
minimum = _backend.minimum
minimum_ = _backend.minimum_
reciprocal_ = _backend.reciprocal_
addcmul = _backend.addcmul
addcdiv = _backend.addcdiv
trust_ratios = _backend.trust_ratios
