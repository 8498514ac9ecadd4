"""Math operations (``top_k``, ``in_top_k``, ``logsumexp``, the FFTs and short-time Fourier
transforms, ...) of the active backend. Complex values are ``(real, imag)`` pairs."""

from cornu.backend import math as _backend

erf = _backend.erf
extract_sequences = _backend.extract_sequences
fft = _backend.fft
fft2 = _backend.fft2
ifft2 = _backend.ifft2
in_top_k = _backend.in_top_k
irfft = _backend.irfft
istft = _backend.istft
logsumexp = _backend.logsumexp
qr = _backend.qr
rfft = _backend.rfft
segment_sum = _backend.segment_sum
stft = _backend.stft
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
