"""set_backend: choose another backend and reload cornu."""

import importlib
import os
import sys


def set_backend(backend):
    """Reloads cornu with the backend named `backend` (as if `CORNU_BACKEND` were set).

    Objects made before the call (layers, models, tensors) belong to the old cornu and must not
    be used with the new one: import cornu's modules again after this call
    (`import cornu; from cornu import layers`). An unknown backend raises a `ValueError` and
    leaves the loaded cornu as it was.

    Args:
        backend: the backend's name, e.g. `"torch"`.
    """
    previous = os.environ.get("CORNU_BACKEND")
    loaded = {name: m for name, m in sys.modules.items() if name.split(".")[0] == "cornu"}
    os.environ["CORNU_BACKEND"] = str(backend)
    for name in loaded:
        del sys.modules[name]
    try:
        importlib.import_module("cornu")
    except Exception:
        for name in [n for n in sys.modules if n.split(".")[0] == "cornu"]:
            del sys.modules[name]
        sys.modules.update(loaded)
        if previous is None:
            os.environ.pop("CORNU_BACKEND", None)
        else:
            os.environ["CORNU_BACKEND"] = previous
        raise
