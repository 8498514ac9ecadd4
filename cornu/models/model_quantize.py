"""``Model.quantize``: quantizes every layer of a model that has a quantized form, as Keras's
does (each leaf layer in ``_flatten_layers`` order; layers without a quantized form are skipped
with a warning naming them)."""

import re
import warnings

from cornu.layers import quantizable


def should_quantize_layer(layer, filters):
    """Whether ``layer`` passes ``filters``: None (all), a regular expression searched in the
    layer's name, a list of them (any), or a callable taking the layer."""
    if filters is None:
        return True
    if isinstance(filters, str):
        return bool(re.search(filters, layer.name))
    if isinstance(filters, (list, tuple)):
        return any(re.search(pattern, layer.name) for pattern in filters)
    if callable(filters):
        return bool(filters(layer))
    return True


def quantize_model(model, mode=None, config=None, filters=None, **kwargs):
    """Quantizes ``model``'s layers in place (see ``Model.quantize``)."""
    config = quantizable.validate_and_resolve_config(mode, config)
    mode = config.mode
    quantizable.check_quantize_args(model, mode)
    type_check = kwargs.pop("type_check", True)
    if kwargs:
        raise ValueError(
            f"Unrecognized keyword arguments passed to {type(model).__name__}: {kwargs}"
        )
    if filters is not None and not (isinstance(filters, (str, list, tuple)) or callable(filters)):
        raise ValueError(
            "The `filters` argument must be a regex string, a list of regex strings, or a "
            f"callable. Received: {type(filters)}"
        )
    modified = False
    for layer in model._flatten_layers():
        if not should_quantize_layer(layer, filters):
            continue
        if len(layer._flatten_layers()) != 1:
            continue
        try:
            layer.quantize(mode, type_check=type_check, config=config)
            modified = True
        except NotImplementedError as error:
            warnings.warn(str(error), stacklevel=3)
        except AttributeError:
            pass
    if modified:
        # The step functions were made for the float weights.
        for name in ("train_function", "test_function", "predict_function"):
            if getattr(model, name, None) is not None:
                setattr(model, name, None)
