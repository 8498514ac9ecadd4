"""Keras's operation classes (``NotEqual``, ``Cast``, ``Mean``, ...) as they appear in the
layers of a Functional config, rebuilt as graph nodes that call ``cornu.ops``.

A Keras Functional model records ``x != 0`` or ``keras.ops.mean(x, axis=1)`` as a layer entry
``{"module": "keras.src.ops.numpy", "class_name": "Mean", "config": {"name": "mean",
"axis": 1, "keepdims": false}}``: the config holds the operation's own arguments, the node's
``args`` its tensors. Only the classes listed here are rebuilt, each onto the ``cornu.ops``
function of the same name; the entry is written back unchanged when the model is saved.
"""

import inspect
import re

from cornu import ops
from cornu.layers.layer import Layer

# The Keras classes rebuilt, by module; each calls `cornu.ops.<class name in snake case>`.
_SUPPORTED = {
    "keras.src.ops.numpy": (
        "Absolute Abs Add All Any Arctan Argmax Argmin Argsort BroadcastTo Ceil Clip "
        "Concatenate Copy Cos CountNonzero Cumprod Cumsum Diag Diagonal Divide DivideNoNan Dot "
        "Einsum Equal Exp Expm1 ExpandDims Flip Floor GetItem Greater GreaterEqual Isfinite "
        "Isinf Isnan Less LessEqual Log Log10 Log1p Log2 LogicalAnd LogicalNot LogicalOr "
        "Matmul Max Maximum Mean Min Minimum Moveaxis Multiply NanToNum Negative NotEqual "
        "Outer Pad Power Prod Repeat Reshape Round Sign Sin Sort Split Sqrt Square Squeeze "
        "Stack Std Subtract Sum Swapaxes Take TakeAlongAxis Tan Tanh Tensordot Tile Transpose "
        "TrueDivide Var Where"
    ).split(),
    "keras.src.ops.nn": (
        "Celu Elu Gelu Glu HardShrink HardSigmoid HardSilu HardTanh LeakyRelu LogSigmoid "
        "LogSoftmax Normalize OneHot Relu Relu6 Selu Sigmoid Silu SoftShrink Softmax Softplus "
        "Softsign SparsePlus SparseSigmoid Sparsemax Squareplus TanhShrink Threshold"
    ).split(),
    "keras.src.ops.core": ["Cast", "ConvertToTensor", "StopGradient"],
    "keras.src.ops.math": ["Erf", "InTopK", "Logsumexp", "Rsqrt", "TopK"],
}
_MODULE_OF = {name: module for module, names in _SUPPORTED.items() for name in names}
# Config entries Keras writes that only have one possible value here.
_DEFAULTS_ONLY = {"sparse": False, "ragged": False}


def _snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _get_item(x, key):
    return x[tuple(key) if isinstance(key, list) else key]  # JSON turned the tuple to a list


def is_keras_operation(entry):
    """Whether a Functional config's layer ``entry`` is one of Keras's operations (a module
    under ``keras.src.ops``)."""
    module = entry.get("module")
    return isinstance(module, str) and module.startswith("keras.src.ops")


def _function(class_name, module):
    if _MODULE_OF.get(class_name) != module:
        known = ", ".join(sorted(_MODULE_OF))
        raise ValueError(
            f"The Functional config uses Keras's operation {class_name!r} (module {module!r}), "
            f"which cornu cannot rebuild. Supported operations: {known}. Wrap the computation "
            "in a registered Layer subclass to save it."
        )
    if class_name == "GetItem":
        return _get_item
    return getattr(ops, _snake_case(class_name))


def _check_arguments(class_name, function, arguments):
    """The arguments kept for the call: those a single value allows are dropped; any other
    that ``function`` does not take is an error naming the operation."""
    kept = {}
    for key, value in arguments.items():
        if key in _DEFAULTS_ONLY and value == _DEFAULTS_ONLY[key]:
            continue
        kept[key] = value
    if class_name in ("GetItem", "Einsum"):
        return kept
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):  # a builtin: such operations take no arguments
        parameters = {}
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    unknown = [key for key in kept if key not in parameters and not takes_any]
    if unknown:
        raise ValueError(
            f"Keras's operation {class_name!r} in the Functional config has arguments that "
            f"cornu.ops.{_snake_case(class_name)} does not take: {unknown}. Received config: "
            f"{arguments}"
        )
    return kept


class KerasOperation(Layer):
    """One of Keras's operations in a Functional graph: calls ``cornu.ops.<name>`` with the
    node's arguments and the operation's own (``axis``, ``dtype``, ...). It holds no weights
    and, like Keras's operations, is not listed in ``model.layers``.

    Args:
        class_name: Keras's class name (``"NotEqual"``, ``"Mean"``, ...).
        module: Keras's module of the class (``"keras.src.ops.numpy"``, ...).
        arguments: the operation's arguments from its config (without ``name``).
        name: the layer's name.
    """

    _is_operation = True

    def __init__(self, class_name, module, arguments=None, name=None):
        super().__init__(name=name or _snake_case(class_name))
        arguments = dict(arguments or {})
        self.keras_class_name = class_name
        self.keras_module = module
        self.arguments = arguments
        self._function = _function(class_name, module)
        self._call_arguments = _check_arguments(class_name, self._function, arguments)
        self.built = True

    def _convert_input(self, x):
        return x  # operations take their arguments as they are (no autocast)

    def _build_for(self, inputs):
        self.built = True

    def call(self, *args, **kwargs):
        if self.keras_class_name == "Einsum":
            return ops.einsum(self._call_arguments["subscripts"], *args, **kwargs)
        return self._function(*args, **self._call_arguments, **kwargs)

    def keras_entry(self):
        """The layer entry Keras writes for this operation (without its nodes)."""
        return {
            "module": self.keras_module,
            "class_name": self.keras_class_name,
            "config": {"name": self.name, **self.arguments},
            "registered_name": self.keras_class_name,
        }

    def get_config(self):
        return {
            "class_name": self.keras_class_name,
            "module": self.keras_module,
            "arguments": dict(self.arguments),
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def from_entry(entry, name):
    """The KerasOperation a Functional config's layer ``entry`` describes."""
    config = dict(entry.get("config") or {})
    config.pop("name", None)
    return KerasOperation(entry.get("class_name"), entry.get("module"), config, name=name)
