"""Under torchrun (two processes, DistributedDataParallel), a run SIGKILLed mid-epoch and run
again resumes from its batch backup to the weights of a run never interrupted, bit for bit."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

# Two processes launched by torchrun (DDP).
pytestmark = [pytest.mark.requires_training, pytest.mark.backends("torch")]

PROGRAM = textwrap.dedent(
    """
    import os, signal, sys
    import numpy as np
    import cornu

    cornu.distribution.initialize()
    cornu.distribution.set_distribution(cornu.distribution.DataParallel())
    backup, out, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cornu.utils.set_random_seed(7)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 6)).astype("float32")
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

    model.fit(x, y, batch_size=16, epochs=3, shuffle=True, verbose=0,
              callbacks=[cornu.callbacks.BackupAndRestore(backup, save_freq=2), Kill()])
    if cornu.distribution.process_id() == 0:
        np.savez(out, *model.get_weights())
    """
)


def _torchrun(tmp_path, name, kill_at):
    script = tmp_path / "program.py"
    script.write_text(PROGRAM)
    backup, out = tmp_path / f"backup-{name}", tmp_path / f"{name}.npz"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc_per_node=2", str(script), str(backup), str(out), str(kill_at)]
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, env=env)
    return result, out


def test_a_killed_distributed_run_resumes_to_the_uninterrupted_weights(tmp_path):
    result, reference = _torchrun(tmp_path, "reference", 0)
    assert result.returncode == 0, result.stderr[-3000:]
    killed, _ = _torchrun(tmp_path, "resumed", 9)  # mid-epoch 1, after the backup at 8
    assert killed.returncode != 0
    result, resumed = _torchrun(tmp_path, "resumed", 0)
    assert result.returncode == 0, result.stderr[-3000:]
    with np.load(reference) as a, np.load(resumed) as b:
        for key in a.files:
            np.testing.assert_array_equal(a[key], b[key])
