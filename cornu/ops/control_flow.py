"""Control flow (``scan``, ``map``, ``while_loop``, ``switch``, ``custom_gradient``, ...) of
the active backend."""

from cornu.backend import control_flow as _backend

associative_scan = _backend.associative_scan
custom_gradient = _backend.custom_gradient
fori_loop = _backend.fori_loop
map = _backend.map
scan = _backend.scan
switch = _backend.switch
vectorized_map = _backend.vectorized_map
while_loop = _backend.while_loop

__all__ = [
    "associative_scan",
    "custom_gradient",
    "fori_loop",
    "map",
    "scan",
    "switch",
    "vectorized_map",
    "while_loop",
]
