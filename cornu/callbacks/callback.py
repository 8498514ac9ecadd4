"""Callback: the base class of the objects that hook into fit, evaluate and predict."""


def _default(method):
    """Marks a hook of the base class, so that an override can be told apart from it."""
    method._cornu_default_hook = True
    return method


def overrides(callback, hook_name):
    """True when `callback`'s hook `hook_name` is not the base class's empty one."""
    method = getattr(callback, hook_name, None)
    return method is not None and not getattr(method, "_cornu_default_hook", False)


TRAIN_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end")
TEST_BATCH_HOOKS = ("on_test_batch_begin", "on_test_batch_end")
PREDICT_BATCH_HOOKS = ("on_predict_batch_begin", "on_predict_batch_end")


class Callback:
    """Base class used to build new callbacks.

    Subclass it and override the hooks of the stages of interest; pass the instances to
    `fit()`, `evaluate()` or `predict()`.

    ```python
    class Stop(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs["loss"] < 0.1:
                self.model.stop_training = True
    ```

    Attributes:
        params: dict of training parameters (``verbose``, ``epochs``, ``steps``).
        model: the `Model` being trained, evaluated or run.

    The ``logs`` of epoch-level hooks hold Python floats (``val_``-prefixed keys for the
    validation results). The ``logs`` of batch-level hooks hold the running (epoch-so-far)
    value of each metric as Python floats; reading them costs a device sync on every step,
    so the trainer dispatches batch hooks only to callbacks that override them.

    Resuming: a callback whose state must survive an interrupted ``fit`` (counters, a best
    value) defines ``get_state()``, returning a JSON-serializable dict, and
    ``set_state(state)``. ``BackupAndRestore`` saves every such callback's state with each
    backup and, on resume, hands it back before the first resumed epoch begins (after every
    ``on_train_begin``), so the callback continues as if training had never stopped.
    ``EarlyStopping``, ``ReduceLROnPlateau`` and ``ModelCheckpoint`` do this (EarlyStopping's
    ``restore_best_weights`` copy is not saved: it restarts from the resumed weights).
    """

    # Internal callbacks that read per-batch logs as 0-d backend tensors (no per-step sync)
    # set this to True; the others receive Python floats, as in Keras.
    _accepts_tensor_logs = False

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        """Stores the training parameters (a dict: ``verbose``, ``epochs``, ``steps``)."""
        self.params = params

    def set_model(self, model):
        """Stores the model the callback works with."""
        self._model = model

    @property
    def model(self):
        """The model; a model wrapped in DistributedDataParallel is unwrapped."""
        model = self._model
        if type(model).__name__ == "DistributedDataParallel" and hasattr(model, "module"):
            return model.module
        return model

    def _implements_train_batch_hooks(self):
        """Whether this callback needs the per-batch hooks of `fit`."""
        return any(overrides(self, name) for name in TRAIN_BATCH_HOOKS)

    def _implements_test_batch_hooks(self):
        """Whether this callback needs the per-batch hooks of `evaluate` (and validation)."""
        return any(overrides(self, name) for name in TEST_BATCH_HOOKS)

    def _implements_predict_batch_hooks(self):
        """Whether this callback needs the per-batch hooks of `predict`."""
        return any(overrides(self, name) for name in PREDICT_BATCH_HOOKS)

    @_default
    def on_batch_begin(self, batch, logs=None):
        """A backwards compatible alias of `on_train_batch_begin`."""

    @_default
    def on_batch_end(self, batch, logs=None):
        """A backwards compatible alias of `on_train_batch_end`."""

    @_default
    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch of `fit` (`epoch` counts from 0)."""

    @_default
    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch of `fit`; `logs` holds the epoch's metric results
        (and the validation results, prefixed with ``val_``), e.g. ``{"loss": 0.2}``."""

    @_default
    def on_train_batch_begin(self, batch, logs=None):
        """Called at the start of a training batch of `fit` (`batch` counts from 0 within the
        epoch)."""
        self.on_batch_begin(batch, logs=logs)

    @_default
    def on_train_batch_end(self, batch, logs=None):
        """Called at the end of a training batch of `fit`; `logs` holds the metric results of
        the epoch so far."""
        self.on_batch_end(batch, logs=logs)

    @_default
    def on_test_batch_begin(self, batch, logs=None):
        """Called at the start of a batch of `evaluate` (and of validation in `fit`)."""

    @_default
    def on_test_batch_end(self, batch, logs=None):
        """Called at the end of a batch of `evaluate` (and of validation in `fit`); `logs`
        holds the metric results so far."""

    @_default
    def on_predict_batch_begin(self, batch, logs=None):
        """Called at the start of a batch of `predict`."""

    @_default
    def on_predict_batch_end(self, batch, logs=None):
        """Called at the end of a batch of `predict`; ``logs["outputs"]`` holds the batch's
        predictions."""

    @_default
    def on_train_begin(self, logs=None):
        """Called at the start of `fit`."""

    @_default
    def on_train_end(self, logs=None):
        """Called at the end of `fit`; `logs` holds the last epoch's results."""

    @_default
    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` (and of validation in `fit`)."""

    @_default
    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` (and of validation in `fit`); `logs` holds the
        results."""

    @_default
    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    @_default
    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""
