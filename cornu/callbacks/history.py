"""History: the record of each epoch's logs that `fit` returns."""

from cornu.callbacks.callback import Callback
from cornu.utils.history_plot import plot_history


class History(Callback):
    """Records the epoch-end logs of `fit`; `fit` returns it, and sets it as `model.history`.

    Attributes:
        history: dict mapping each metric name (``"loss"``, ``"val_loss"``, ...) to the list of
            its values, one per epoch.
        epoch: the list of epoch indices seen.

    ```python
    history = model.fit(x, y, epochs=10)
    history.history["loss"]  # ten floats
    history.params  # {'verbose': 1, 'epochs': 10, 'steps': 1}
    ```
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        model = self.model
        if model is not None:
            model.history = self

    def plot(self, path=None, metrics=None, figsize=None, dpi=100):
        """Plots the training curves: one panel per metric, train against validation
        (see `cornu.visualization.plot_history`). Returns the matplotlib Figure; `path=`
        saves it."""
        return plot_history(self, path=path, metrics=metrics, figsize=figsize, dpi=dpi)
