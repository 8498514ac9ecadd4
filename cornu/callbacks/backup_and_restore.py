"""BackupAndRestore: resumes an interrupted ``fit`` where its last backup left it."""

import json
import os
import shutil

import numpy as np

from cornu.callbacks.callback import Callback
from cornu.distribution import distribution_lib
from cornu.utils import rng_utils
from cornu.utils.durable_files import atomic_write


class BackupAndRestore(Callback):
    """Backs up the training state so that a ``fit`` killed midway resumes when run again.

    At the end of every epoch (or every ``save_freq`` batches) it writes, atomically, the
    weights and optimizer state (a ``.weights.h5`` file) and, in ``training_metadata.json``
    (naming that weights file): the epoch and batch reached, every random stream's state now
    and at the start of the epoch, the metrics' running state, and the state of every
    callback that has ``get_state`` (see ``Callback``). When ``fit`` starts and a backup
    exists, all of it is restored: the interrupted epoch's shuffle order is drawn again, the
    batches already trained are skipped without training, and training continues with the
    next one. A resumed run ends with the same weights, bit for bit, as an uninterrupted one
    (same program, same seed, CPU), from an epoch-end or a mid-epoch backup. A finished
    ``fit`` deletes the backup.

    Args:
        backup_dir: the folder for the backup; use one folder per training run.
        save_freq: ``"epoch"``, an int (back up every that many batches), or False (never).
        double_checkpoint: keep the previous backup too, used when the latest one cannot be
            read.
        delete_checkpoint: delete the backup when training finishes.
    """

    def __init__(
        self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True
    ):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq not in ("epoch", False) and not isinstance(save_freq, int):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._batches_since_save = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self._peers = []
        self._epoch_random_state = None
        self._pending_callback_states = None

    def _set_peers(self, callbacks):
        self._peers = [c for c in callbacks if c is not self]

    def _resumable_peers(self):
        return [c for c in self._peers if callable(getattr(c, "get_state", None))]

    def _implements_train_batch_hooks(self):
        return isinstance(self.save_freq, int) and not isinstance(self.save_freq, bool)

    def on_train_begin(self, logs=None):
        try:
            self._restore()
        except (OSError, ValueError, KeyError):
            previous = self._metadata_path + ".bkp"
            if not os.path.exists(previous):
                raise
            shutil.copyfile(previous, self._metadata_path)
            self._restore()

    def _restore(self):
        model = self.model
        if not model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you call "
                f"`fit()`. Model {model.name} is unbuilt. You can build it beforehand by calling "
                "it on a batch of data."
            )
        if not os.path.exists(self._metadata_path):
            return
        with open(self._metadata_path) as f:
            metadata = json.load(f)
        weights_path = os.path.join(
            self.backup_dir, metadata.get("weights_file", "latest.weights.h5")
        )
        if os.path.exists(weights_path):
            optimizer = model.optimizer
            if optimizer is not None and not getattr(optimizer, "built", True):
                optimizer.build(model.trainable_variables)
            model.load_weights(weights_path)
        step = int(metadata.get("step", 0))
        epoch_state = metadata.get("epoch_random_state")
        if step and epoch_state is not None:
            # Mid-epoch: the epoch is drawn again from its start (its shuffle order), the
            # trained batches are skipped, then the streams continue from the backup's point.
            rng_utils.set_random_state(epoch_state, model)
            model._resume_position = (step, lambda: self._resume_mid_epoch(metadata))
            self._epoch_random_state = epoch_state
        elif "random_state" in metadata:
            rng_utils.set_random_state(metadata["random_state"], model)
        model._initial_epoch = metadata["epoch"]
        self._current_epoch = metadata["epoch"]
        self._last_batch_seen = step - 1 if step else 0
        self._pending_callback_states = metadata.get("callbacks")

    def _resume_mid_epoch(self, metadata):
        model = self.model
        rng_utils.set_random_state(metadata["random_state"], model)
        for metric, values in zip(model.metrics, metadata.get("metrics", [])):
            for variable, value in zip(metric.variables, values):
                variable.assign(np.asarray(value, dtype=variable.dtype))

    def on_epoch_begin(self, epoch, logs=None):
        if self._pending_callback_states is not None:
            states, self._pending_callback_states = self._pending_callback_states, None
            for callback, state in zip(self._resumable_peers(), states):
                if state.get("class") == type(callback).__name__:
                    callback.set_state(state["state"])
        if not getattr(self.model, "_resume_position", None):
            self._epoch_random_state = rng_utils.get_random_state(self.model)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save(step=0)

    def on_train_batch_end(self, batch, logs=None):
        if batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_since_save += added
        self._last_batch_seen = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(step=batch + 1)

    def _save(self, step):
        distribution_lib.on_chief_then_wait(lambda: self._write_backup(step))

    def _write_backup(self, step):
        # The weights go to a new file first; the metadata naming it is then replaced
        # atomically, so a crash at any point leaves a consistent pair on disk.
        os.makedirs(self.backup_dir, exist_ok=True)
        previous = None
        if os.path.exists(self._metadata_path):
            with open(self._metadata_path) as f:
                previous = json.load(f).get("weights_file")
            if self.double_checkpoint:
                shutil.copyfile(self._metadata_path, self._metadata_path + ".bkp")
        self._saves = getattr(self, "_saves", 0) + 1
        weights_file = (
            f"weights-{self._current_epoch}-{self._last_batch_seen}-{self._saves}.weights.h5"
        )
        self.model.save_weights(os.path.join(self.backup_dir, weights_file), overwrite=True)
        metadata = {
            "epoch": self._current_epoch,
            "batch": self._last_batch_seen,
            "step": step,  # batches of `epoch` already trained (0: at the epoch's start)
            "weights_file": weights_file,
            "random_state": rng_utils.get_random_state(self.model),
            "epoch_random_state": self._epoch_random_state,
            "metrics": [
                [np.asarray(v.numpy()).tolist() for v in m.variables] for m in self.model.metrics
            ],
            "callbacks": [
                {"class": type(c).__name__, "state": c.get_state()} for c in self._resumable_peers()
            ],
        }
        with atomic_write(self._metadata_path) as f:
            json.dump(metadata, f)
        if previous and previous != weights_file and not self.double_checkpoint:
            stale = os.path.join(self.backup_dir, previous)
            if os.path.exists(stale):
                os.remove(stale)

    def on_train_end(self, logs=None):
        self.model._initial_epoch = None
        if self.delete_checkpoint:
            distribution_lib.on_chief_then_wait(self._delete)

    def _delete(self):
        if os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
