"""BackupAndRestore resumes bit-identically: a run SIGKILLed at any point, then run again,
ends with the weights, history and callback state of a run never interrupted."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAM = textwrap.dedent(
    """
    import json, os, signal, sys
    import numpy as np
    import cornu

    backup, out, kill_at, save_freq = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    save_freq = save_freq if save_freq == "epoch" else int(save_freq)
    cornu.utils.set_random_seed(7)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 6)).astype("float32")
    y = (x[:, :3].sum(axis=1) > 0).astype("int64")
    model = cornu.Sequential([
        cornu.Input((6,)),
        cornu.layers.Dense(16, activation="relu"),
        cornu.layers.Dropout(0.3),
        cornu.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class Kill(cornu.callbacks.Callback):
        seen = 0
        def on_train_batch_end(self, batch, logs=None):
            Kill.seen += 1
            if Kill.seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    stop = cornu.callbacks.EarlyStopping(monitor="loss", patience=100)
    plateau = cornu.callbacks.ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5)
    history = model.fit(
        x, y, batch_size=16, epochs=4, shuffle=True, verbose=0,
        callbacks=[cornu.callbacks.BackupAndRestore(backup, save_freq=save_freq),
                   stop, plateau, Kill()],
    )
    np.savez(out, *model.get_weights())
    with open(out + ".json", "w") as f:
        json.dump({"history": history.history, "wait": stop.wait, "best": stop.best,
                   "lr": float(np.asarray(model.optimizer.learning_rate))}, f)
    """
)


def _run(tmp_path, name, kill_at, save_freq):
    backup, out = str(tmp_path / f"backup-{name}"), str(tmp_path / f"{name}.npz")
    command = [sys.executable, "-c", PROGRAM, backup, out, str(kill_at), str(save_freq)]
    # The child imports this checkout's cornu, on the backend the suite runs on.
    env = dict(os.environ, PYTHONPATH=REPO)
    process = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    if process.returncode == -signal.SIGKILL:
        return None
    assert process.returncode == 0, process.stderr[-3000:]
    with np.load(out) as saved:
        weights = [saved[k] for k in sorted(saved.files, key=lambda k: int(k.split("_")[1]))]
    with open(out + ".json") as f:
        return weights, json.load(f)


@pytest.mark.parametrize(
    "save_freq, kill_at",
    [("epoch", 9), (2, 3), (2, 10), (3, 14), (3, 18)],
    ids=["epoch-backup", "freq2-first-epoch", "freq2-mid-epoch", "freq3-mid", "freq3-late"],
)
def test_killed_run_resumes_to_the_uninterrupted_weights(tmp_path, save_freq, kill_at):
    reference = _run(tmp_path, "reference", 0, save_freq)
    assert _run(tmp_path, "resumed", kill_at, save_freq) is None  # killed
    resumed = _run(tmp_path, "resumed", 0, save_freq)
    for a, b in zip(reference[0], resumed[0]):
        np.testing.assert_array_equal(a, b)
    ref_logs, res_logs = reference[1], resumed[1]
    assert res_logs["wait"] == ref_logs["wait"] and res_logs["best"] == ref_logs["best"]
    assert res_logs["lr"] == ref_logs["lr"]
    # The epochs run after the resume report what the uninterrupted run reported.
    resumed_epochs = len(res_logs["history"]["loss"])
    for key, values in ref_logs["history"].items():
        assert res_logs["history"][key] == values[-resumed_epochs:], key
    assert not os.path.exists(tmp_path / "backup-resumed")
