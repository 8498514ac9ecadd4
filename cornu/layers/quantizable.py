"""The layer side of quantization (Keras's ``Layer.quantize`` machinery), as a mixin for the
layers that have a quantized form (Dense, EinsumDense, Embedding).

``layer.quantize(mode, config=None)`` resolves the config, checks that the layer is built and
not quantized yet, then runs the layer's ``_quantize_weights``; the layer's dtype policy
becomes the quantized policy (``"int8_from_float32"``, ...), and ``call`` runs
``quantized_call``, which dispatches to ``_int8_call`` / ``_int4_call`` / ``_float8_call``.
"""

from cornu import core, ops
from cornu.core import dtype_policies
from cornu.core.global_state import bump_weights_version
from cornu.quantizers.quantization_config import (
    QUANTIZATION_MODES,
    Int4QuantizationConfig,
    validate_and_resolve_config,
)

_CALLS = {"int8": "_int8_call", "int4": "_int4_call", "float8": "_float8_call"}


def not_implemented_error(layer, attr, msg=None):
    """Keras's error for a layer without a quantized form of ``attr`` (a method or a name)."""
    if callable(attr):
        attr_name, attr_type = attr.__name__, "method"
    else:
        attr_name, attr_type = str(attr), "attribute"
    msg = f" {msg}" if msg is not None else ""
    return NotImplementedError(
        f"Layer {type(layer).__name__} does not have a `{attr_name}` {attr_type} implemented.{msg}"
    )


def quantization_mode_error(mode):
    """Keras's error for a quantization mode a layer does not know."""
    return NotImplementedError(
        f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
        f"Received: quantization_mode={mode}"
    )


def check_quantize_args(layer, mode):
    """Keras's checks before quantizing ``layer`` to ``mode``."""
    if not layer.built:
        raise ValueError(
            "Cannot quantize a layer that isn't yet built. "
            f"Layer '{layer.name}' (of type '{type(layer).__name__}') is not built yet."
        )
    if getattr(layer, "_is_quantized", False):
        raise ValueError(
            f"Layer '{layer.name}' is already quantized with "
            f"dtype_policy='{layer._own_policy().name}'. Received: mode={mode}"
        )
    if mode not in QUANTIZATION_MODES:
        raise ValueError(
            f"Invalid quantization mode. Expected one of {QUANTIZATION_MODES}. "
            f"Received: mode={mode}"
        )
    if mode == "int8" and layer.compute_dtype == "float16":
        raise ValueError(
            f"Quantization mode='{mode}' doesn't work well with compute_dtype='float16'. "
            "Consider loading model/layer with another dtype policy such as "
            "'mixed_bfloat16' or 'mixed_float16' before calling `quantize()`."
        )


def int4_block_size(layer, config):
    """The int4 block size: the config's when it is an int4 config, else the layer's
    ``Int4DTypePolicy``'s (-1 becomes None: per-channel), else None."""
    if isinstance(config, Int4QuantizationConfig):
        return config.block_size
    block_size = getattr(layer._own_policy(), "block_size", None)
    return None if block_size in (None, -1) else block_size


def run_quantized_call(layer, args, kwargs):
    """Runs ``layer``'s ``_<mode>_call`` for its quantization mode."""
    method = _CALLS.get(layer.quantization_mode)
    if method is None:
        raise quantization_mode_error(layer.quantization_mode)
    if not hasattr(layer, method):
        raise not_implemented_error(layer, method)
    return getattr(layer, method)(*args, **kwargs)


class QuantizableMixin:
    """Gives a layer ``quantize``, ``quantization_mode`` and ``quantized_call``.

    A layer using it writes ``_quantize_weights(mode, config)`` (replace the float weights by
    the quantized ones), ``quantized_build(shape, mode, config)`` and the ``_<mode>_call``
    methods, and lists its variables per mode in ``variable_serialization_spec``.
    """

    _is_quantized = False
    # The attribute holding a spec entry, where it differs from the entry's name.
    _spec_attributes = {}

    @property
    def quantization_mode(self):
        """The quantization mode of this layer, None when it is not quantized."""
        return getattr(self._own_policy(), "quantization_mode", None)

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the layer's weights in place.

        Args:
            mode: ``"int8"``, ``"int4"`` or ``"float8"``; optional when ``config`` is given.
            type_check: refuse subclasses (whose ``call`` may not match the quantized one).
            config: a ``cornu.quantizers.QuantizationConfig`` choosing the quantizers.
        """
        config = validate_and_resolve_config(mode, config)
        mode = config.mode
        check_quantize_args(self, mode)
        if type_check and type(self) is not self._quantizable_class():
            raise not_implemented_error(self, self.quantize)
        self._quantize_weights(mode, config)
        self._set_quantized_policy(mode, config)
        bump_weights_version()

    def _quantizable_class(self):
        """The class whose instances ``quantize`` accepts when ``type_check`` is on."""
        raise NotImplementedError

    def _set_quantized_policy(self, mode, config):
        source = self._own_policy()
        if source.quantization_mode is not None:
            return
        name = mode
        if mode == "int4":
            block_size = int4_block_size(self, config)
            name = f"int4/{-1 if block_size is None else block_size}"
        self.dtype_policy = dtype_policies.get_policy(f"{name}_from_{source.name}")

    def quantized_call(self, *args, **kwargs):
        """Runs the quantized computation of the layer's mode."""
        return run_quantized_call(self, args, kwargs)

    def _read(self, variable):
        """A float variable's value as ``call`` reads it: in the compute dtype under a mixed
        policy (Keras's autocast of every float variable, trainable or not)."""
        value = ops.convert_to_tensor(variable)
        compute = self.compute_dtype
        if (
            self.autocast
            and compute != self.variable_dtype
            and ops.dtype(value) != compute
            and core.is_float_dtype(ops.dtype(value))
        ):
            value = ops.cast(value, compute)
        return value

    def _quantization_mode_error(self, mode):
        return quantization_mode_error(mode)

    def _not_implemented_error(self, attr, msg=None):
        return not_implemented_error(self, attr, msg)

    def _untrack_variable(self, variable):
        """Removes a variable that quantization replaces (Keras's ``del self._kernel``)."""
        self._tracked_variables[:] = [v for v in self._tracked_variables if v is not variable]
        # The backend registration (a torch Parameter) goes too, so that parameters() and
        # state_dict() no longer hold the float weight.
        registry = getattr(self, "_parameters", None)
        if isinstance(registry, dict):
            for key in [k for k, v in registry.items() if v is variable.value]:
                del registry[key]
        bump_weights_version()

    def _own_variables_in_file_order(self):
        """The variables in Keras's ``variable_serialization_spec`` order of the mode (those
        the layer does not have, such as a missing bias, are left out). A float layer keeps
        the base order (a subclass may hold more variables)."""
        if self.quantization_mode is None:
            return super()._own_variables_in_file_order()
        names = self.variable_serialization_spec.get(self.quantization_mode)
        if names is None:
            raise quantization_mode_error(self.quantization_mode)
        out = []
        for name in names:
            variable = getattr(self, self._spec_attributes.get(name, name), None)
            if variable is not None:
                out.append(variable)
        return out
