"""The backend selection: ``CORNU_BACKEND``, else ``~/.cornu/cornu.json``, else ``"torch"``.

The selected package ``cornu/backend/<name>/`` provides what ``cornu/backend/contract.py``
lists; this module binds exactly those names once, at import, so a call costs what the
backend's own function costs. It also re-exports the framework-free names of Keras's
``keras.backend`` namespace (``floatx``, ``standardize_dtype``, ``KerasTensor``, ...) from
``cornu.core``. Nothing outside ``cornu/backend/`` imports an engine.
"""

import importlib
import sys
import types

from cornu.backend import contract
from cornu.core import config, tree  # noqa: F401
from cornu.core.config import (  # noqa: F401
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from cornu.core.dtypes import (  # noqa: F401
    is_float_dtype,
    is_int_dtype,
    result_type,
    standardize_dtype,
)
from cornu.core.keras_tensor import KerasTensor, any_symbolic, is_keras_tensor  # noqa: F401
from cornu.core.naming import auto_name, reset_names, to_snake_case, uniquify  # noqa: F401

_ENGINE_PACKAGES = {"torch": "torch", "jax": "jax", "tensorflow": "tensorflow"}


def _import_backend(name):
    try:
        return importlib.import_module(f"cornu.backend.{name}")
    except ModuleNotFoundError as error:
        engine = _ENGINE_PACKAGES.get(name, name)
        if error.name and error.name.split(".")[0] == engine:
            raise ImportError(
                f"The {name!r} backend needs the {engine!r} package, which is not installed. "
                f'Install it with `pip install "cornu[{name}]"`, or pick another backend with '
                "CORNU_BACKEND."
            ) from error
        raise


_module = _import_backend(config.backend())
for _name in contract.TOP_LEVEL:
    globals()[_name] = getattr(_module, _name)
for _family in contract.FAMILIES:
    globals()[_family] = getattr(_module, _family)
del _name, _family


class _SelectedBackend(types.ModuleType):
    """``cornu.backend`` keeps the families it bound. The NumPy backend's package has the name
    of the ``numpy`` family, and Python sets a package as an attribute of its parent when it is
    first imported: importing ``cornu.backend.numpy`` under another backend (its tests do)
    would otherwise replace ``cornu.backend.numpy``, the bound family, by that package."""

    def __setattr__(self, name, value):
        if (
            name in contract.FAMILIES
            and name in self.__dict__
            and isinstance(value, types.ModuleType)
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _SelectedBackend
