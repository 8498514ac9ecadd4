"""BackupAndRestore: resumes an interrupted ``fit`` where its last backup left it."""

import json
import os
import shutil

from cornu.callbacks.callback import Callback
from cornu.distribution import distribution_lib
from cornu.utils import rng_utils
from cornu.utils.durable_files import atomic_write


class BackupAndRestore(Callback):
    """Backs up the training state so that a ``fit`` killed midway resumes when run again.

    At the end of every epoch (or every ``save_freq`` batches) it writes, atomically, the
    weights and optimizer state (a ``.weights.h5`` file) and the training position with every
    random stream's state (``training_metadata.json``, naming that weights file) into
    ``backup_dir``. When ``fit`` starts
    and a backup exists, the state is restored and training continues from the next epoch;
    a run resumed from an epoch-end backup ends with the same weights as an uninterrupted run
    (same program, same seed, CPU). A finished ``fit`` deletes the backup.

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
        if "random_state" in metadata:
            rng_utils.set_random_state(metadata["random_state"], model)
        model._initial_epoch = metadata["epoch"]
        self._current_epoch = metadata["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch, logs=None):
        if batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_since_save += added
        self._last_batch_seen = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save()

    def _save(self):
        distribution_lib.on_chief_then_wait(self._write_backup)

    def _write_backup(self):
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
            "weights_file": weights_file,
            "random_state": rng_utils.get_random_state(self.model),
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
