"""The whole torch training step under one ``torch.compile``: forward, loss, backward, the
optimizer's update (gradient clipping and loss scaling included) and the metric updates.

The first step of a model runs eagerly (it builds the optimizer's slots and the metrics); the
steps after it run the compiled function. A model that Dynamo cannot capture as one graph
(data-dependent Python control flow, an unsupported op) or an optimizer without a traced
update falls back to the eager step with one warning that names the reason.
"""

import os
import time
import types
import warnings

import torch

# Distinct batch shapes compiled before the warning that every new shape recompiles.
_SHAPES_BEFORE_WARNING = 4


class CompiledTrainStep:
    """One model's compiled training step.

    Args:
        model: the (compiled) Model whose `train_step` this replaces.
        eager_step: the uncompiled step, called for the first batch and after a fallback.
    """

    def __init__(self, model, eager_step):
        self.model = model
        self.eager_step = eager_step
        self.compiled = None
        self.failed = None
        self.shapes = set()
        self.compile_seconds = 0.0
        self.reported = False

    def __call__(self, data):
        model = self.model
        if self.failed is not None:
            return self.eager_step(data)
        reason = self._unsupported_reason()
        if reason is not None:
            self._fall_back(reason)
            return self.eager_step(data)
        if self.compiled is None:
            logs = self.eager_step(data)  # builds the optimizer and metrics
            use_compile_cache()
            # A code object of its own: Dynamo keeps its compiled graphs per code object, up
            # to `recompile_limit`, so the steps of many models would share (and exhaust) one.
            step = types.MethodType(_own_copy(CompiledTrainStep._step), self)
            self.compiled = torch.compile(step, fullgraph=True, dynamic=False)
            return logs
        x, y, sample_weight = data_parts(data)
        signature = _signature((x, y, sample_weight))
        new_shape = signature not in self.shapes
        if new_shape:
            self.shapes.add(signature)
            if len(self.shapes) == _SHAPES_BEFORE_WARNING + 1:
                warnings.warn(
                    f"Model '{model.name}': the batches of the compiled training step keep "
                    "changing shape, and each new shape recompiles the step. Pad the inputs "
                    "to a few fixed shapes, or compile with `jit_compile=False`.",
                    stacklevel=4,
                )
        start = time.perf_counter() if new_shape else 0.0
        try:
            # ``Tensor.backward()`` inside the compiled region is captured only with this
            # switch (else Dynamo splits the step around the backward pass); set for this call
            # only, so the user's own ``torch.compile`` keeps torch's defaults.
            with torch._dynamo.config.patch(trace_autograd_ops=True):
                self.compiled(x, y, sample_weight)
        except torch._dynamo.exc.TorchDynamoException as error:
            # Raised while capturing, before the graph runs: no weight has changed yet.
            self._fall_back(_describe(error), _culprit(model, error))
            return self.eager_step(data)
        except torch._dynamo.exc.FailOnRecompileLimitHit:
            limit = torch._dynamo.config.recompile_limit
            self._fall_back(
                f"its batches came in more shapes than torch recompiles a step for ({limit}, "
                "`torch._dynamo.config.recompile_limit`); pad them to a few fixed shapes"
            )
            return self.eager_step(data)
        if new_shape:
            self.compile_seconds += time.perf_counter() - start
            model._step_compile_note = (
                f"Compiled the training step in {self.compile_seconds:.2f}s "
                f"({len(self.shapes)} batch shape{'s' if len(self.shapes) > 1 else ''})."
            )
        return model._results_view

    def many(self, batches):
        """Runs a group of ``steps_per_execution`` batches in one call: each batch runs the
        compiled step, one after the other, with nothing read on the host between them (the
        metrics stay on the device); returns the logs after the last batch.

        The steps are not unrolled into one graph: on this torch, a graph of two unrolled
        steps (each with its backward pass and optimizer update) took some 25 times as long
        to compile as one step, for a saving of one Python call per step."""
        logs = None
        for batch in batches:
            logs = self(batch)
        return logs

    def _step(self, x, y, sample_weight):
        model = self.model
        y_pred = model(x, training=True)
        loss = model._compute_loss(x, y, y_pred, sample_weight, training=True)
        optimizer = model.optimizer
        _, variables, tensors, _ = model._step_state()
        if tensors:
            for t in tensors:
                t.grad = None
            optimizer.scale_loss(loss).backward()
            with torch.no_grad():
                _apply_traced(optimizer, [t.grad for t in tensors], variables)
        with torch.no_grad():
            model._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
            model.compute_metrics(x, y, y_pred, sample_weight)

    def _unsupported_reason(self):
        """Why this model's step cannot compile, or None."""
        model = self.model
        if model.__dict__.get("_data_parallel_module") is not None:
            return "the model trains under data parallelism (DDP wraps the forward pass)"
        if model.__dict__.get("_shard_loss_scale", 1.0) != 1.0:
            return "the batches are sharded with a loss scale"
        optimizer = model.optimizer
        if not hasattr(optimizer, "_apply_traced") or hasattr(optimizer, "inner_optimizer"):
            return f"the optimizer {type(optimizer).__name__} has no traced update"
        if getattr(optimizer, "_per_variable", False):
            return f"the optimizer {type(optimizer).__name__} updates one variable at a time"
        return None

    def _fall_back(self, reason, culprit=None):
        self.failed = reason
        where = f" because of {culprit}" if culprit else ""
        warnings.warn(
            f"Model '{self.model.name}' cannot compile its training step{where} ({reason}); "
            "it trains with the uncompiled step instead. Make that code traceable (no Python "
            "branch on a tensor's value, no host read such as `float(x)`), or compile with "
            "`jit_compile=False`.",
            stacklevel=4,
        )


def _own_copy(function):
    """``function`` with a code object of its own (the same bytecode)."""
    code = function.__code__.replace()  # a new code object, equal to the first
    return types.FunctionType(
        code, function.__globals__, function.__name__, function.__defaults__, function.__closure__
    )


def use_compile_cache():
    """Keeps torch inductor's compiled artifacts (its FX graph and AOTAutograd caches) in
    ``$XDG_CACHE_HOME/cornu/torchinductor`` (``~/.cache/cornu/torchinductor``), so that a
    later process compiling the same step reads them instead of compiling again. A folder
    the user chose with ``TORCHINDUCTOR_CACHE_DIR`` is kept. (Importing Dynamo sets that
    variable to torch's default, a folder under the system's temporary folder: that value is
    taken as not chosen.)"""
    current = os.environ.get("TORCHINDUCTOR_CACHE_DIR")
    if current and current != _torch_default_cache_dir():
        return
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(base, "cornu", "torchinductor")


def _torch_default_cache_dir():
    try:
        from torch._inductor.runtime.cache_dir_utils import default_cache_dir
    except ImportError:  # another torch: only an unset variable counts as not chosen
        return None
    return os.path.abspath(default_cache_dir())


def _apply_traced(optimizer, grads, variables):
    """The optimizer's update with the iteration and learning rate as tensors, so that it
    traces without reading them on the host (``Optimizer._apply_traced``)."""
    state = optimizer._state or optimizer._gather_all()
    if tuple(map(id, variables)) == state.ids:
        selected = state
    else:
        selected, grads = optimizer._select(grads, variables, state)
    if optimizer.loss_scale_factor is not None:
        grads = torch._foreach_div(grads, optimizer.loss_scale_factor)
    optimizer._apply_traced(grads, selected, state)


def data_parts(data):
    """``(x, y, sample_weight)`` of a batch."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    return data + (None,) * (3 - len(data))


def _signature(structure):
    if isinstance(structure, torch.Tensor):
        return (tuple(structure.shape), structure.dtype)
    if isinstance(structure, dict):
        return tuple((k, _signature(v)) for k, v in sorted(structure.items()))
    if isinstance(structure, (list, tuple)):
        return tuple(_signature(v) for v in structure)
    return type(structure)


def _batch_size(x):
    while not isinstance(x, torch.Tensor):
        x = next(iter(x.values())) if isinstance(x, dict) else x[0]
    return x.shape[0]


def _culprit(model, error):
    """``"layer 'name' (Class), in `call`"`` for the innermost frame of Dynamo's stack that
    runs a method of one of the model's layers (not the shared Layer machinery), or None."""
    frames = getattr(error, "real_stack", None) or []
    layers = list(model._flatten_layers(include_self=True))
    for frame in reversed(frames):
        found = [layer for layer in layers if _runs_in(frame, type(layer))]
        if len(found) == 1:
            layer = found[0]
            return f"layer '{layer.name}' ({type(layer).__name__}), in `{frame.name}`"
        if found:
            names = ", ".join(f"'{layer.name}'" for layer in found)
            return f"one of the layers {names}, in `{frame.name}`"
    return None


# Modules whose methods every layer shares: a frame there does not point at one layer.
_MACHINERY = ("cornu.layers.layer", "cornu.backend.", "cornu.models.", "cornu.trainers.", "torch")


def _runs_in(frame, cls):
    """Whether ``frame`` (a FrameSummary) runs ``cls``'s own method (or one it inherits from
    a class that is not cornu's shared machinery) named like the frame's function."""
    function = getattr(cls, frame.name, None)
    code = getattr(function, "__code__", None)
    if code is None or code.co_filename != frame.filename:
        return False
    if getattr(function, "__module__", "").startswith(_MACHINERY):
        return False
    lines = [line for _, _, line in code.co_lines() if line is not None]
    return bool(lines) and min(lines + [code.co_firstlineno]) <= frame.lineno <= max(lines)


def _describe(error):
    """Dynamo's reason in one line, with the user's line of code that caused it."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    reason = lines[0] if lines else type(error).__name__
    caused = [line for line in lines if line.startswith("Caused by:")]
    if caused:
        return f"{reason} {caused[0]}"
    frames = [i for i, line in enumerate(lines) if line.startswith('File "')]
    if frames:
        where = lines[frames[-1]]
        code = lines[frames[-1] + 1] if frames[-1] + 1 < len(lines) else ""
        return f"{reason} At {where}: {code}"
    return reason
