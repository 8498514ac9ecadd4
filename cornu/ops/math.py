"""Math operations (``top_k``, ``in_top_k``, ``logsumexp``, ...) of the active backend."""

from cornu.backend import math as _backend

erf = _backend.erf
in_top_k = _backend.in_top_k
logsumexp = _backend.logsumexp
qr = _backend.qr
segment_sum = _backend.segment_sum
top_k = _backend.top_k
