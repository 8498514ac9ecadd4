"""History: the record of each epoch's logs that `fit` returns."""

from cornu.callbacks.callback import Callback


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
