"""Quantizers (``keras.quantizers``): the int8/int4/float8 formulas, the ``Quantizer`` classes
and the quantization configs that ``layer.quantize`` and ``model.quantize`` take."""

import inspect

from cornu.core.naming import to_snake_case
from cornu.quantizers.fake_quant import fake_quant_with_min_max_vars
from cornu.quantizers.float8 import (
    compute_float8_amax_history,
    compute_float8_scale,
    quantize_and_dequantize,
)
from cornu.quantizers.int4 import (
    abs_max_quantize_grouped_with_zero_point,
    pack_int4,
    unpack_int4,
)
from cornu.quantizers.quantization_config import (
    Float8QuantizationConfig,
    Int4QuantizationConfig,
    Int8QuantizationConfig,
    QuantizationConfig,
)
from cornu.quantizers.quantizers import AbsMaxQuantizer, Quantizer, abs_max_quantize
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

ALL_OBJECTS = (
    Quantizer,
    AbsMaxQuantizer,
    QuantizationConfig,
    Int8QuantizationConfig,
    Int4QuantizationConfig,
    Float8QuantizationConfig,
)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})


def serialize(quantizer):
    """The config dict of a quantizer (or quantization config), in Keras's form."""
    return serialize_keras_object(quantizer)


def deserialize(config, custom_objects=None):
    """The quantizer (or quantization config) described by ``config``."""
    return deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


def get(identifier, **kwargs):
    """A quantizer from an identifier: None, a config dict, a class name (the class is then
    called with ``kwargs`` as keywords; Keras passes the dict as its first argument, which
    makes ``get("AbsMaxQuantizer")`` a quantizer with ``axis=()``), or a quantizer (returned
    as it is)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj(**kwargs) if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")


__all__ = [
    "AbsMaxQuantizer",
    "Float8QuantizationConfig",
    "Int4QuantizationConfig",
    "Int8QuantizationConfig",
    "QuantizationConfig",
    "Quantizer",
    "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point",
    "compute_float8_amax_history",
    "compute_float8_scale",
    "deserialize",
    "fake_quant_with_min_max_vars",
    "get",
    "pack_int4",
    "quantize_and_dequantize",
    "serialize",
    "unpack_int4",
]
