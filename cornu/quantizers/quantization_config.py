"""Quantization configs: which quantizers ``quantize`` uses for weights and activations, one
class per mode, and the resolution of ``quantize(mode, config)`` arguments into a config."""

from cornu.quantizers.quantizers import AbsMaxQuantizer
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

# The modes cornu quantizes to. Keras 3.15 also has "gptq" and "awq" (calibrated on a
# dataset), which cornu does not offer.
QUANTIZATION_MODES = ("int8", "float8", "int4")
_CALIBRATED_MODES = ("gptq", "awq")


def _quantizer_objects():
    return {cls.__name__: cls for cls in (AbsMaxQuantizer,)}


def _deserialize_quantizer(config):
    return deserialize_keras_object(config, module_objects=_quantizer_objects())


class QuantizationConfig:
    """The base class of quantization configs.

    Args:
        weight_quantizer: the quantizer of the weights, or None for the mode's default.
        activation_quantizer: the quantizer of the inputs, or None to leave them in float.
    """

    def __init__(self, weight_quantizer=None, activation_quantizer=None):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self):
        """The quantization mode (``"int8"``, ``"int4"``, ``"float8"``)."""
        raise NotImplementedError(
            "Subclasses must implement this property. Do not instantiate "
            "QuantizationConfig directly."
        )

    def get_config(self):
        return {
            "weight_quantizer": serialize_keras_object(self.weight_quantizer),
            "activation_quantizer": serialize_keras_object(self.activation_quantizer),
        }

    @classmethod
    def from_config(cls, config):
        return cls(
            weight_quantizer=_deserialize_quantizer(config.get("weight_quantizer")),
            activation_quantizer=_deserialize_quantizer(config.get("activation_quantizer")),
        )

    @staticmethod
    def weight_quantizer_or_default(config, default):
        """``config``'s weight quantizer, else ``default``."""
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config, default):
        """``config``'s activation quantizer (possibly None) when a config is given, else
        ``default``."""
        if config is not None:
            return config.activation_quantizer
        return default


class Int8QuantizationConfig(QuantizationConfig):
    """The int8 config: int8 weights, and by default int8 inputs (``AbsMaxQuantizer`` on the
    last axis).

    Args:
        weight_quantizer: a quantizer with ``output_dtype="int8"``, or None for the default.
        activation_quantizer: the inputs' quantizer; ``"default"`` for ``AbsMaxQuantizer()``,
            None for float inputs.
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default"):
        if activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if self.weight_quantizer is not None and self.weight_quantizer.output_dtype != "int8":
            raise ValueError(
                "Int8QuantizationConfig requires a weight_quantizer with output_dtype='int8'. "
                f"Received: output_dtype={self.weight_quantizer.output_dtype}"
            )

    @property
    def mode(self):
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """The int4 config: int4 weights (two per byte), float inputs by default.

    Args:
        weight_quantizer: a quantizer with ``value_range=(-8, 7)`` and ``output_dtype="int8"``
            (per-channel only), or None for the default.
        activation_quantizer: the inputs' quantizer; ``"default"`` means None (weight-only).
        block_size: the rows per group of sub-channel quantization (a scale and a zero point
            per group and output); None or -1 for per-channel quantization (one scale per
            output).
    """

    def __init__(self, weight_quantizer=None, activation_quantizer="default", block_size=128):
        if activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError(
                "block_size must be None, -1, or a positive integer. "
                f"Received: block_size={block_size}"
            )
        self.block_size = block_size
        sub_channel = block_size is not None and block_size > 0
        if sub_channel and (
            self.weight_quantizer is not None or self.activation_quantizer is not None
        ):
            raise ValueError(
                "Int4 sub-channel quantization (block_size > 0) does not support custom "
                "quantizers. Either set block_size to None or -1 for per-channel quantization, "
                f"or remove the custom quantizer arguments. Received: block_size={block_size}"
            )
        if self.weight_quantizer is not None:
            if tuple(self.weight_quantizer.value_range) != (-8, 7):
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with value_range=(-8, 7)."
                    f" Received: value_range={self.weight_quantizer.value_range}"
                )
            if self.weight_quantizer.output_dtype != "int8":
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with output_dtype='int8'."
                    f" Received: output_dtype={self.weight_quantizer.output_dtype}"
                )

    @property
    def mode(self):
        return "int4"

    def get_config(self):
        config = super().get_config()
        config["block_size"] = self.block_size
        return config

    @classmethod
    def from_config(cls, config):
        return cls(
            weight_quantizer=_deserialize_quantizer(config.get("weight_quantizer")),
            activation_quantizer=_deserialize_quantizer(config.get("activation_quantizer")),
            block_size=config.get("block_size", None),
        )


class Float8QuantizationConfig(QuantizationConfig):
    """The float8 config (float8 training with delayed scaling); it takes no quantizers."""

    def __init__(self):
        super().__init__(None, None)

    @property
    def mode(self):
        return "float8"

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls()


def _validate_mode(mode):
    if mode in _CALIBRATED_MODES:
        raise ValueError(
            f"Quantization mode '{mode}' (calibrated on a dataset in Keras) is not available "
            f"in cornu. Expected one of {QUANTIZATION_MODES}. Received: mode={mode}"
        )
    if mode is not None and mode not in QUANTIZATION_MODES:
        raise ValueError(
            "Invalid quantization mode. "
            f"Expected one of {QUANTIZATION_MODES}. Received: mode={mode}"
        )


_DEFAULT_CONFIGS = {
    "int8": Int8QuantizationConfig,
    "int4": Int4QuantizationConfig,
    "float8": Float8QuantizationConfig,
}


def validate_and_resolve_config(mode, config):
    """The config that ``quantize(mode, config)`` uses: ``config`` when given (its mode must
    agree with ``mode``), else the default config of ``mode``. A string ``config`` is taken as
    the mode."""
    if isinstance(config, str):
        mode, config = config, None
    _validate_mode(mode)
    if config is None:
        if mode is None:
            raise ValueError("You must provide either `mode` or `config` to `quantize`.")
        return _DEFAULT_CONFIGS[mode]()
    if not isinstance(config, QuantizationConfig):
        raise ValueError(
            "Argument `config` must be an instance of `QuantizationConfig`. "
            f"Received: config={config} (of type {type(config)})"
        )
    if mode is not None and config.mode != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'")
    _validate_mode(config.mode)
    return config
