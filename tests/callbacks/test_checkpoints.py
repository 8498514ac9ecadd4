"""ModelCheckpoint and BackupAndRestore: the files Keras writes, and exact resume after a kill."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import cornu


def _data():
    rng = np.random.RandomState(0)
    x = rng.standard_normal((32, 4)).astype("float32")
    y = (x @ rng.standard_normal((4, 1))).astype("float32")
    return x, y


def _pair(keras):
    models = []
    for lib in (cornu, keras):
        model = lib.Sequential(
            [lib.Input((4,)), lib.layers.Dense(3, activation="tanh"), lib.layers.Dense(1)]
        )
        model.compile(optimizer=lib.optimizers.SGD(0.3), loss="mse")
        models.append(model)
    models[0].set_weights(models[1].get_weights())
    return models


@pytest.mark.parametrize(
    "kwargs,pattern",
    [
        ({}, "{epoch:02d}.keras"),
        ({"save_best_only": True, "monitor": "val_loss"}, "{epoch:02d}-{val_loss:.2f}.keras"),
        ({"save_weights_only": True, "save_freq": 3}, "e{epoch}-b{batch}.weights.h5"),
    ],
)
def test_model_checkpoint_writes_the_files_keras_writes(keras, tmp_path, kwargs, pattern):
    x, y = _data()
    written = []
    for lib, model in zip((cornu, keras), _pair(keras)):
        folder = tmp_path / lib.__name__
        callback = lib.callbacks.ModelCheckpoint(str(folder / pattern), **kwargs)
        model.fit(
            x,
            y,
            batch_size=8,
            epochs=4,
            shuffle=False,
            verbose=0,
            validation_data=(x[:8], y[:8]),
            callbacks=[callback],
        )
        written.append(sorted(os.listdir(folder)))
    assert written[0] == written[1]
    assert written[0]


def test_checkpoint_file_loads_back(tmp_path):
    x, y = _data()
    model = _pair_cornu()
    path = str(tmp_path / "best.keras")
    model.fit(x, y, epochs=2, verbose=0, callbacks=[cornu.callbacks.ModelCheckpoint(path)])
    loaded = cornu.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        cornu.callbacks.ModelCheckpoint(str(tmp_path / "w.keras"), save_weights_only=True)


def _pair_cornu():
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(3), cornu.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


_SCRIPT = textwrap.dedent(
    """
    import os, sys, numpy as np
    import cornu

    backup, out, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cornu.utils.set_random_seed(0)
    rng = np.random.RandomState(0)
    x = rng.standard_normal((64, 4)).astype("float32")
    y = (x @ rng.standard_normal((4, 1))).astype("float32")
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(8, activation="relu"),
                              cornu.layers.Dropout(0.3), cornu.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")

    class Kill(cornu.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == kill_at and batch == 3:
                os.kill(os.getpid(), 9)

    callbacks = [cornu.callbacks.BackupAndRestore(backup)]
    if kill_at >= 0:
        callbacks.append(Kill())
    model.fit(x, y, batch_size=8, epochs=5, verbose=0, callbacks=callbacks)
    np.save(out, np.concatenate([w.ravel() for w in model.get_weights()]))
    """
)


def test_backup_and_restore_resumes_a_killed_run_exactly(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT)
    env = dict(os.environ, PYTHONPATH=os.getcwd())

    def run(backup, out, kill_at):
        return subprocess.run(
            [sys.executable, str(script), str(backup), str(out), str(kill_at)],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )

    reference = run(tmp_path / "b0", tmp_path / "reference.npy", -1)
    assert reference.returncode == 0, reference.stderr
    killed = run(tmp_path / "b1", tmp_path / "resumed.npy", 2)
    assert killed.returncode == -signal.SIGKILL
    assert (tmp_path / "b1" / "training_metadata.json").exists()
    resumed = run(tmp_path / "b1", tmp_path / "resumed.npy", -1)
    assert resumed.returncode == 0, resumed.stderr
    np.testing.assert_array_equal(
        np.load(tmp_path / "resumed.npy"), np.load(tmp_path / "reference.npy")
    )
    assert not (tmp_path / "b1").exists()  # the backup is deleted when training ends
