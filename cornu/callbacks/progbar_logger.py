"""ProgbarLogger: prints the progress bar and metrics of fit, evaluate and predict."""

from cornu.callbacks.callback import Callback
from cornu.utils.progbar import Progbar, _write


def _display_order(item):
    # Training metrics first, then validation ones, each alphabetical (as Keras shows them).
    name = item[0]
    return (name.startswith("val_"), name)


class ProgbarLogger(Callback):
    """Callback that prints metrics to stdout through a `Progbar`.

    Uses ``params["verbose"]`` (0, 1, 2 or ``"auto"`` = 1), ``params["epochs"]`` and
    ``params["steps"]`` (None when unknown). Prints ``Epoch i/N`` before each epoch when
    ``epochs > 1``. Validation inside `fit` is silent. Per-batch logs are running values and are
    shown as they are; they are read (a device sync) only when the bar is redrawn.
    """

    _accepts_tensor_logs = True

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1) or 1
        self.target = params.get("steps")

    def _needs_batches(self):
        # Batches move the bar (verbose=1) or count the steps when their number is unknown.
        return bool(self.verbose) and (self.verbose == 1 or self.target is None)

    def _implements_train_batch_hooks(self):
        return self._needs_batches()

    def _implements_test_batch_hooks(self):
        return self._needs_batches() and not self._called_in_fit

    def _implements_predict_batch_hooks(self):
        return self._needs_batches()

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            _write(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update_progbar(batch, None)  # the predictions are not shown

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)
        # A compiled step (torch, jit_compile=True) leaves the time its compilation took.
        note = self._model.__dict__.pop("_step_compile_note", None) if self._model else None
        if note and self.verbose:
            _write(note + "\n")

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(None)

    def _reset_progbar(self):
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self):
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target, verbose=self.verbose, unit_name="step", stateless_metrics=()
            )

    def _update_progbar(self, batch, logs):
        self._maybe_init_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            values = sorted(logs.items(), key=_display_order) if logs else None
            self.progbar.update(self.seen, values, finalize=False)

    def _finalize_progbar(self, logs):
        self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.seen
        values = sorted(logs.items(), key=_display_order) if logs else None
        self.progbar.update(self.target, values, finalize=True)
