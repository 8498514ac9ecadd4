"""SwapEMAWeights: evaluates (and predicts) with the optimizer's moving-average weights."""

from cornu.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Puts the optimizer's exponential moving average (EMA) of the weights into the model
    for evaluation and prediction, and the trained weights back afterwards.

    Needs an optimizer with ``use_ema=True``. With ``swap_on_epoch=True`` the EMA weights are
    also in the model at each epoch's end (for callbacks such as ModelCheckpoint, which should
    come after this one in the list).

    Unlike Keras 3.15, whose ``on_predict_end`` leaves the EMA weights in the model, the
    trained weights always come back after ``predict``.

    Args:
        swap_on_epoch: also swap around each epoch's end.

    ```python
    model.compile(optimizer=cornu.optimizers.SGD(use_ema=True), loss="mse")
    model.fit(x, y, validation_data=(x_val, y_val), callbacks=[SwapEMAWeights()])
    ```
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _optimizer(self):
        optimizer = self.model.optimizer
        if not getattr(optimizer, "use_ema", False):
            raise ValueError(
                "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                f"Received: use_ema={getattr(optimizer, 'use_ema', None)}"
            )
        return optimizer

    def _swap(self):
        optimizer = self._optimizer()
        averages = optimizer._model_variables_moving_average
        for variable, average in zip(optimizer._trainable_variables, averages):
            trained = variable.numpy()
            variable.assign(average.value)
            average.assign(trained)

    def _finalize(self):
        optimizer = self._optimizer()
        averages = optimizer._model_variables_moving_average
        for variable, average in zip(optimizer._trainable_variables, averages):
            average.assign(variable.value)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True
            # fit's end copies the averages into the weights: after the last epoch's swap the
            # averages must hold the EMA weights again.
            if epoch == self.params["epochs"] - 1:
                self._finalize()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        self.on_test_begin(logs)

    def on_predict_end(self, logs=None):
        self.on_test_end(logs)
