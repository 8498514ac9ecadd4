"""Global settings: the backend's name, floatx, epsilon and image_data_format.

Values come from ``CORNU_BACKEND`` and ``~/.cornu/cornu.json`` (or ``$CORNU_HOME/cornu.json``)
when cornu is imported; the setters change them for the running process.
"""

import json
import os

AVAILABLE_BACKENDS = ("torch", "jax", "numpy", "tensorflow")

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_BACKEND = "torch"


def cornu_home():
    """The folder that holds cornu's settings and caches (``$CORNU_HOME`` or ``~/.cornu``)."""
    return os.environ.get("CORNU_HOME") or os.path.join(os.path.expanduser("~"), ".cornu")


def floatx():
    """The default float type, as a string: ``"float32"`` unless changed."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float type: one of ``"float16"``, ``"bfloat16"``, ``"float32"``,
    ``"float64"``."""
    global _FLOATX
    accepted = ("float16", "bfloat16", "float32", "float64")
    if value not in accepted:
        raise ValueError(f"Unknown `floatx` value: {value!r}. Expected one of {accepted}.")
    _FLOATX = str(value)


def epsilon():
    """The fuzz factor added to denominators, ``1e-7`` unless changed."""
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """The default image layout: ``"channels_last"`` or ``"channels_first"``."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image layout: ``"channels_last"`` or ``"channels_first"``."""
    global _IMAGE_DATA_FORMAT
    accepted = ("channels_last", "channels_first")
    if data_format not in accepted:
        raise ValueError(f"Unknown `data_format`: {data_format!r}. Expected one of {accepted}.")
    _IMAGE_DATA_FORMAT = str(data_format)


def standardize_data_format(data_format):
    """Returns ``data_format``, or the global default when it is None, checked."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "`data_format` must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def backend():
    """The name of the active backend, e.g. ``"torch"``."""
    return _BACKEND


def _read_settings_file():
    path = os.path.join(cornu_home(), "cornu.json")
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            settings = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"Could not read cornu's settings file {path}: {e}") from e
    if not isinstance(settings, dict):
        raise ValueError(f"cornu's settings file {path} must hold a JSON object.")
    return settings


def _select_backend(settings):
    name = os.environ.get("CORNU_BACKEND") or settings.get("backend") or "torch"
    name = str(name).lower()
    if name not in AVAILABLE_BACKENDS:
        source = "CORNU_BACKEND" if os.environ.get("CORNU_BACKEND") else "cornu.json"
        raise ValueError(
            f"Unknown backend {name!r} (from {source}). "
            f"Available backends: {', '.join(AVAILABLE_BACKENDS)}."
        )
    return name


def _load_settings():
    global _BACKEND
    settings = _read_settings_file()
    if "floatx" in settings:
        set_floatx(settings["floatx"])
    if "epsilon" in settings:
        set_epsilon(settings["epsilon"])
    if "image_data_format" in settings:
        set_image_data_format(settings["image_data_format"])
    _BACKEND = _select_backend(settings)


_load_settings()
