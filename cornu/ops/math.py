"""Math operations (``top_k``, ``in_top_k``, ``logsumexp``, ...) of the active backend."""

from cornu.backend import math as _backend

erf = _backend.erf
in_top_k = _backend.in_top_k
logsumexp = _backend.logsumexp
qr = _backend.qr
segment_sum = _backend.segment_sum
top_k = _backend.top_k
cdist = _backend.cdist
erfc = _backend.erfc
erfinv = _backend.erfinv
logdet = _backend.logdet
segment_max = _backend.segment_max
segment_min = _backend.segment_min
segment_prod = _backend.segment_prod
view_as_complex = _backend.view_as_complex
view_as_real = _backend.view_as_real
