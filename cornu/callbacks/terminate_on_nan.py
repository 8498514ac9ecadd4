"""TerminateOnNaN: stops training when the loss becomes NaN or infinite."""

import numpy as np

from cornu.callbacks.callback import Callback
from cornu.utils.io_utils import print_msg


class TerminateOnNaN(Callback):
    """Stops training at the first batch whose loss is NaN or infinite.

    Reading the loss every batch costs one device sync per step.

    Args:
        raise_error: raise a RuntimeError instead of stopping quietly.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or np.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                "Terminating training immediately."
            )
        print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
