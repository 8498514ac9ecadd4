"""LearningRateScheduler: sets the learning rate at the start of every epoch."""

import numpy as np

from cornu import ops
from cornu.callbacks.callback import Callback
from cornu.utils.io_utils import print_msg


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate to ``schedule(epoch, lr)`` at each epoch's start;
    the epoch logs get the ``learning_rate``.

    Args:
        schedule: a function of the epoch index (from 0) and the current rate, returning the
            new rate as a float (a function of the epoch alone works too).
        verbose: 1 prints the new rate every epoch.

    ```python
    def halve_after_two(epoch, lr):
        return lr if epoch < 2 else lr * 0.5

    model.fit(x, y, epochs=5, callbacks=[LearningRateScheduler(halve_after_two)])
    ```
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        current = float(ops.convert_to_numpy(optimizer.learning_rate))
        try:
            rate = self.schedule(epoch, current)
        except TypeError:
            rate = self.schedule(epoch)
        if not isinstance(rate, (float, np.float32, np.float64)):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {rate}"
            )
        optimizer.learning_rate = rate
        if self.verbose > 0:
            print_msg(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {rate}."
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(ops.convert_to_numpy(self.model.optimizer.learning_rate))
