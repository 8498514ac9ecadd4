"""The eager call of a built Sequential model on one tensor, without the per-layer call
machinery.

``Layer.__call__`` resolves ``training``, converts and checks the input against the layer's
``InputSpec``, handles masks, autocast weights, activity regularizers and rematerialization;
for a one-sample prediction that bookkeeping costs more than the arithmetic. This module keeps,
per model, a plan of its layers that need none of it (no activity regularizer, no autocast
weight, no rematerialization, no ``__call__`` of their own) and, for each input signature
(shape, dtype, ``training``) that one full call has already checked, runs the layers' ``call``
directly with the same ``training`` and mask handling as ``Layer.__call__``. Anything else (a
new shape, a symbolic input, extra arguments, ``training=True``, an input with a mask, a layer
outside the plan) takes the full path, so errors and training behave as before. A model
compiled with ``jit_compile=True`` always takes the full path: its steps trace ``__call__``
with ``torch.compile``, where the fast path's bookkeeping would only add guards.
"""

import weakref

from cornu.core import KerasTensor
from cornu.core.global_state import weights_version
from cornu.core.masking import get_keras_mask
from cornu.layers.call_context import add_loss_used, call_context
from cornu.layers.layer import Layer, _named_call_args, tracking_version

# Returned by ``run`` when the call must take the full path.
FULL_PATH = object()

# model -> its _Plan. Kept apart from the model's attributes: setting an attribute of a
# module inside a region that torch.compile traces invalidates the guards of other compiled
# regions over the same module (the compiled training step's).
_PLANS = weakref.WeakKeyDictionary()


class _Plan:
    """The layers of one model as the fast call runs them, valid while ``key`` holds."""

    def __init__(self, key, steps):
        self.key = key
        self.steps = steps  # None when some layer needs the full call
        self.checked = {}  # input signature -> the dtype Sequential.call casts to, or None
        self.policies = None if steps is None else [step[0]._dtype_policy for step in steps]


def _plain(layer):
    """Whether ``Layer.__call__`` does nothing for ``layer`` (the model or one of its layers)
    beyond what the fast call does, once the input signature has been checked."""
    return (
        layer.built
        and layer._remat_mode is None
        and layer.activity_regularizer is None
        and not layer._autocast_variables()
        # A call with several named tensors (attention's query/value) fills masks by name.
        and _named_call_args(type(layer)) is None
    )


def _plan(model, key):
    layers = list(model._layers)
    if not layers or not _plain(model):
        return _Plan(key, None)
    for layer in layers:
        if type(layer).__call__ is not Layer.__call__ or not _plain(layer):
            return _Plan(key, None)
    steps = [
        (
            layer,
            layer._call_accepts_training,
            layer._call_accepts_mask,
            type(layer).compute_mask is not Layer.compute_mask,
        )
        for layer in layers
    ]
    return _Plan(key, steps)


def _current_plan(model):
    key = (tracking_version(), weights_version(), id(model._outputs), len(model._layers))
    plan = _PLANS.get(model)
    if plan is None or plan.key != key:
        if not model.built or model._outputs is None:
            plan = _Plan(key, None)
        else:
            plan = _plan(model, key)
        _PLANS[model] = plan
    return plan


def _unchanged(model, plan):
    """The plan's layers still take the plain call (their dtype policy, activity regularizer
    or rematerialization may be set after the plan was made)."""
    if model.activity_regularizer is not None or model._remat_mode is not None:
        return False
    for step, policy in zip(plan.steps, plan.policies):
        layer = step[0]
        if (
            layer._dtype_policy is not policy
            or layer.activity_regularizer is not None
            or layer._remat_mode is not None
        ):
            return False
    return True


def _mask_of(x):
    if isinstance(x, (list, tuple)):
        masks = [get_keras_mask(v) for v in x]
        return masks if any(m is not None for m in masks) else None
    return get_keras_mask(x)


def run(model, x, training):
    """The outputs of ``model(x, training=training)``, or ``FULL_PATH`` when this call must
    go through ``Layer.__call__``."""
    if training is True or model.jit_compile or isinstance(x, KerasTensor):
        return FULL_PATH
    # Torch's hooks on the model itself (its layers' hooks run in their ``_run_call``).
    if getattr(model, "_forward_hooks", None) or getattr(model, "_forward_pre_hooks", None):
        return FULL_PATH
    plan = _current_plan(model)
    if plan.steps is None or not _unchanged(model, plan):
        return FULL_PATH
    if get_keras_mask(x) is not None:
        return FULL_PATH
    context = call_context
    outer_training = context.training
    if training is None:
        training = outer_training
    x = model._convert_input(x)
    shape = getattr(x, "shape", None)
    if shape is None:
        return FULL_PATH
    signature = (shape, x.dtype, training)
    try:
        cast_to = plan.checked[signature]
    except (KeyError, TypeError):
        return FULL_PATH
    if cast_to is not None:
        x = model._cast_input(x, cast_to)
    if context.depth == 0 and add_loss_used():
        model._clear_losses()
    context.training = training
    context.depth += 1
    try:
        for layer, accepts_training, accepts_mask, computes_mask in plan.steps:
            mask = _mask_of(x)
            inputs = layer._convert_input(x)
            kwargs = {"training": training} if accepts_training and training is not None else {}
            if mask is not None and accepts_mask:
                kwargs["mask"] = mask
            x = layer._run_call(inputs, **kwargs)
            if layer.supports_masking and (mask is not None or computes_mask):
                layer._set_output_mask(inputs, x, mask, symbolic=False)
    finally:
        context.training = outer_training
        context.depth -= 1
    return x


def note_checked(model, x, training):
    """Records that the full call of ``model`` on ``x`` passed every layer's checks, so that
    later calls with the same signature may take the fast path."""
    if training is True or model.jit_compile or isinstance(x, KerasTensor):
        return
    plan = _current_plan(model)
    if plan.steps is None:
        return
    if training is None:
        training = call_context.training
    x = model._convert_input(x)
    shape = getattr(x, "shape", None)
    if shape is None or get_keras_mask(x) is not None:
        return
    try:
        plan.checked[(shape, x.dtype, training)] = model._input_cast_dtype(x)
    except TypeError:
        pass  # an unhashable shape: this signature keeps the full path
