"""CallbackList: calls every hook of a list of callbacks, skipping the per-batch ones nobody
needs."""

from cornu.callbacks.callback import Callback
from cornu.callbacks.history import History
from cornu.callbacks.progbar_logger import ProgbarLogger


def _flatten(callbacks):
    if callbacks is None:
        return []
    if isinstance(callbacks, (list, tuple)):
        return [leaf for item in callbacks for leaf in _flatten(item)]
    return [callbacks]


def _pythonify(value):
    from cornu.ops import convert_to_numpy, is_tensor

    if is_tensor(value):
        value = convert_to_numpy(value)
        return float(value) if value.ndim == 0 else value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def pythonify_logs(logs):
    """`logs` sorted by name, nested dicts flattened, tensors and numbers as Python floats."""
    result = {}
    for name, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
        else:
            result[name] = _pythonify(value)
    return result


class CallbackList(Callback):
    """Container that calls each hook on a list of `Callback` instances.

    Args:
        callbacks: list of `Callback` instances (nested lists are flattened).
        add_history: whether to add a `History` callback when there is none.
        add_progbar: whether to add a `ProgbarLogger` callback when there is none.
        model: the `Model` the callbacks work with (also gets ``model.history``).
        **params: the parameters given to each callback's `set_params` (``verbose``,
            ``epochs``, ``steps``).

    Per-batch dispatch: ``has_train_batch_hooks``, ``has_test_batch_hooks`` and
    ``has_predict_batch_hooks`` say whether any callback needs the per-batch hooks of `fit`,
    `evaluate` and `predict`. They are valid after the matching ``on_*_begin`` call; when one
    is False the trainer may skip those per-batch calls altogether. Batch hooks reach only the
    callbacks that need them; built-in ones get the logs as they are (0-d tensors), the others
    get Python floats (one device sync per step, as in Keras).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = _flatten(callbacks)
        self._history = None
        self._progbar = None
        for callback in self.callbacks:
            if isinstance(callback, History):
                self._history = callback
            elif isinstance(callback, ProgbarLogger):
                self._progbar = callback
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        for callback in self.callbacks:
            if hasattr(callback, "_set_peers"):
                callback._set_peers(self.callbacks)
        self.set_model(model)
        self.set_params(params)

    def append(self, callback):
        """Adds `callback` at the end of the list."""
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)
        self._refresh_batch_hooks()

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)
        self._refresh_batch_hooks()

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _refresh_batch_hooks(self):
        cbs = self.callbacks
        self._train_batch_callbacks = [c for c in cbs if c._implements_train_batch_hooks()]
        self._test_batch_callbacks = [c for c in cbs if c._implements_test_batch_hooks()]
        self._predict_batch_callbacks = [c for c in cbs if c._implements_predict_batch_hooks()]
        self.has_train_batch_hooks = bool(self._train_batch_callbacks)
        self.has_test_batch_hooks = bool(self._test_batch_callbacks)
        self.has_predict_batch_hooks = bool(self._predict_batch_callbacks)

    def _implements_train_batch_hooks(self):
        return self.has_train_batch_hooks

    def _implements_test_batch_hooks(self):
        return self.has_test_batch_hooks

    def _implements_predict_batch_hooks(self):
        return self.has_predict_batch_hooks

    def _call_batch_hook(self, callbacks, hook_name, batch, logs):
        python_logs = None
        for callback in callbacks:
            if callback._accepts_tensor_logs:
                getattr(callback, hook_name)(batch, logs=logs)
            else:
                if python_logs is None:
                    python_logs = pythonify_logs(logs)
                getattr(callback, hook_name)(batch, logs=python_logs)

    def _call_hook(self, hook_name, *args, logs=None):
        logs = pythonify_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook_name)(*args, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call_batch_hook(self._train_batch_callbacks, "on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call_batch_hook(self._train_batch_callbacks, "on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch_hook(self._train_batch_callbacks, "on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch_hook(self._train_batch_callbacks, "on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch_hook(self._test_batch_callbacks, "on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch_hook(self._test_batch_callbacks, "on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch_hook(self._predict_batch_callbacks, "on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch_hook(self._predict_batch_callbacks, "on_predict_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call_hook("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call_hook("on_epoch_end", epoch, logs=logs)

    def on_train_begin(self, logs=None):
        self._call_hook("on_train_begin", logs=logs)
        self._refresh_batch_hooks()

    def on_train_end(self, logs=None):
        self._call_hook("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call_hook("on_test_begin", logs=logs)
        self._refresh_batch_hooks()

    def on_test_end(self, logs=None):
        self._call_hook("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call_hook("on_predict_begin", logs=logs)
        self._refresh_batch_hooks()

    def on_predict_end(self, logs=None):
        self._call_hook("on_predict_end", logs=logs)
