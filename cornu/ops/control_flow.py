"""Control flow (``scan``, ``map``, ``while_loop``, ``switch``, ``custom_gradient``, ...) of
the active backend."""

import importlib

from cornu.backend import backend as _backend_name

# The selected backend's control-flow family (cornu/backend/<name>/control_flow.py).
_backend = importlib.import_module(f"cornu.backend.{_backend_name()}.control_flow")

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
