"""TensorBoard: writes logs that TensorBoard shows (scalars, learning rate, histograms, graph),
with tensorboardX (no TensorFlow needed)."""

import os
import time
import warnings

import numpy as np

from cornu import ops
from cornu.callbacks.callback import Callback
from cornu.callbacks.callback_list import pythonify_logs
from cornu.distribution import distribution_lib


def _summary_writer_class():
    try:
        from tensorboardX import SummaryWriter
    except ImportError as error:
        raise ImportError(
            "The TensorBoard callback needs the `tensorboardX` package: "
            'pip install "cornu[tensorboard]" (or pip install tensorboardX).'
        ) from error
    return SummaryWriter


class TensorBoard(Callback):
    """Writes TensorBoard event files under ``log_dir/train`` and ``log_dir/validation``.

    Every epoch it logs each metric as ``epoch_<name>`` (validation metrics without their
    ``val_`` prefix, in the validation folder) and the optimizer's ``epoch_learning_rate``.
    Run ``tensorboard --logdir <log_dir>`` to see them.

    Args:
        log_dir: the folder of the event files.
        histogram_freq: every this many epochs, write a histogram of every weight (0: never).
        write_graph: write the model's graph (for models with known input shapes).
        write_images: accepted for compatibility; kernels are not written as images.
        write_steps_per_second: log the training speed as ``epoch_steps_per_second``.
        update_freq: ``"epoch"``, ``"batch"``, or an int: also log ``batch_<name>`` every that
            many batches (each costs a device sync).
        profile_batch, embeddings_freq, embeddings_metadata: accepted for compatibility
            (profiling and embeddings are not written).
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        if self.update_freq != "epoch" and not isinstance(self.update_freq, int):
            raise ValueError(
                f"`update_freq` must be 'epoch', 'batch' or an int. Received: {update_freq!r}"
            )
        self._writers = {}
        self._global_step = 0
        self._epoch_start = None
        self._epoch_steps = 0

    def _writer(self, name):
        if not distribution_lib.is_chief():
            return _NoWriter()
        if name not in self._writers:
            self._writers[name] = _summary_writer_class()(os.path.join(self.log_dir, name))
        return self._writers[name]

    def _implements_train_batch_hooks(self):
        return self.update_freq != "epoch" or self.write_steps_per_second

    def on_train_begin(self, logs=None):
        self._global_step = 0
        if self.write_graph:
            self._write_graph()

    def _write_graph(self):
        model = self.model
        inputs = getattr(model, "inputs", None)
        if not inputs:
            return
        try:
            examples = [
                ops.convert_to_tensor(
                    np.zeros((1,) + tuple(d or 1 for d in t.shape[1:]), dtype=t.dtype)
                )
                for t in inputs
            ]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the tracer's notes on Python-level checks
                self._writer("train").add_graph(
                    model, examples[0] if len(examples) == 1 else [examples]
                )
        except Exception as error:  # noqa: BLE001 - the graph is optional
            warnings.warn(f"TensorBoard could not write the model's graph: {error}", stacklevel=2)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.time()
        self._epoch_steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self._global_step += 1
        self._epoch_steps += 1
        if self.update_freq == "epoch" or self._global_step % self.update_freq:
            return
        writer = self._writer("train")
        for name, value in pythonify_logs(logs).items():
            if np.ndim(value) == 0:
                writer.add_scalar(f"batch_{name}", value, self._global_step)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = self._writer("train")
        validation = None
        for name, value in logs.items():
            if np.ndim(value) > 0:
                continue
            if name.startswith("val_"):
                validation = validation or self._writer("validation")
                validation.add_scalar(f"epoch_{name[4:]}", value, epoch)
            elif name != "learning_rate":
                train.add_scalar(f"epoch_{name}", value, epoch)
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "learning_rate"):
            rate = float(ops.convert_to_numpy(optimizer.learning_rate))
            train.add_scalar("epoch_learning_rate", rate, epoch)
        if self.write_steps_per_second and self._epoch_start is not None:
            elapsed = max(time.time() - self._epoch_start, 1e-9)
            train.add_scalar("epoch_steps_per_second", self._epoch_steps / elapsed, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for weight in self.model.weights:
                name = getattr(weight, "path", None) or weight.name
                train.add_histogram(name, weight.numpy(), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_test_end(self, logs=None):
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}


class _NoWriter:
    """Stands in for the writer on processes other than process 0."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None
