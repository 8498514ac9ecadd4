"""SIGKILL while a model is being saved: the file on disk is always a whole model (the old one
or the new one), and the next save removes what the killed writer left behind."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np

import cornu

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    import cornu

    path = sys.argv[1]
    model = cornu.Sequential([cornu.Input((64,)), cornu.layers.Dense(512), cornu.layers.Dense(64)])
    model.compile(optimizer="adam", loss="mse")
    version = 0
    print("ready", flush=True)
    while True:
        version += 1
        model.set_weights([np.full(w.shape, version % 2, "float32") for w in model.get_weights()])
        model.save(path)
    """
)


def test_killed_saves_leave_a_whole_model_and_no_stale_files(tmp_path):
    path = str(tmp_path / "m.keras")
    rng = random.Random(0)
    for _ in range(4):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, path],
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ, PYTHONPATH=REPO),  # this checkout's cornu
        )
        assert writer.stdout.readline().strip() == "ready"
        while not os.path.exists(path):
            time.sleep(0.01)
        time.sleep(rng.uniform(0.05, 0.6))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        model = cornu.saving.load_model(path)
        values = {float(v) for w in model.get_weights() for v in np.unique(w)}
        assert values in ({0.0}, {1.0}), values  # one whole version, never a mix
    model.save(path)
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]
