"""The NumPy backend: inference only, on the host CPU, with nothing but NumPy (and SciPy for a
few special functions when it is installed). Build, call, ``predict``, ``evaluate`` and loading
``.keras`` files work; training raises, naming the backends that can."""

from cornu.backend import contract
from cornu.backend.numpy import (
    control_flow,
    core,
    distribution,
    export,
    foreach,
    image,
    linalg,
    math,
    nn,
    numpy,
    random,
    rnn,
)
from cornu.backend.numpy.core import (
    Variable,
    compute_output_spec,
    cond,
    convert_to_numpy,
    device_scope,
    get_device,
    is_tensor,
    no_grad,
    shape,
    standardize_tensor_dtype,
    stop_gradient,
    value_and_gradients,
)
from cornu.backend.numpy.layer import NumpyLayer as BackendLayer
from cornu.backend.numpy.random import get_rng_state, set_rng_state, set_seed
from cornu.backend.numpy.trainer import NumpyTrainer as BackendTrainer

Tensor = core.MaskableArray


def _results_carry_masks():
    """The ops of the families return MaskableArray views, so that layers can attach
    ``_keras_mask`` to their results as they do to torch tensors."""
    wrapped = {}  # one wrapper per function: linalg.qr stays math.qr
    for family in ("numpy", "nn", "math", "linalg", "image"):
        module = globals()[family]
        for name in contract.FAMILIES[family]:
            fn = getattr(module, name)
            if id(fn) not in wrapped:
                wrapped[id(fn)] = core.returns_maskable(fn)
            setattr(module, name, wrapped[id(fn)])
    for name in (
        "cast",
        "convert_to_tensor",
        "scatter",
        "scatter_update",
        "slice",
        "slice_update",
        "unstack",
        "saturate_cast",
    ):
        setattr(core, name, core.returns_maskable(getattr(core, name)))


_results_carry_masks()
cast = core.cast
convert_to_tensor = core.convert_to_tensor

__all__ = [
    "BackendLayer",
    "BackendTrainer",
    "Tensor",
    "Variable",
    "cast",
    "compute_output_spec",
    "cond",
    "control_flow",
    "convert_to_numpy",
    "convert_to_tensor",
    "core",
    "device_scope",
    "distribution",
    "export",
    "foreach",
    "get_device",
    "get_rng_state",
    "image",
    "is_tensor",
    "linalg",
    "math",
    "nn",
    "no_grad",
    "numpy",
    "random",
    "rnn",
    "set_rng_state",
    "set_seed",
    "shape",
    "standardize_tensor_dtype",
    "stop_gradient",
    "value_and_gradients",
]
