"""A `.keras` file saved on one backend loads on every other with the same predictions, and
training resumes from it (optimizer state included) as it would have on the backend that saved it.

Each backend runs in its own process (a backend is chosen at import): the trainable backends (torch,
and jax and tensorflow where installed) write a file after two steps of Adam, their predictions,
and their weights after one more step; every backend then loads every file, predicts, and the
trainable ones take that same step.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytestmark = pytest.mark.backends("torch")  # it starts the other backends itself

TRAINABLE = ["torch"] + [
    name for name in ("jax", "tensorflow") if importlib.util.find_spec(name) is not None
]
ALL = TRAINABLE + ["numpy"]

SETUP = textwrap.dedent(
    """
    import sys
    import numpy as np
    import cornu as keras

    folder = sys.argv[1]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 6, 3)).astype("float32")
    y = rng.integers(0, 4, size=(16,))

    def one_step(model):
        model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
        return [np.asarray(w) for w in model.get_weights()]
    """
)

WRITE = SETUP + textwrap.dedent(
    """
    backend = keras.backend.backend()
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((6, 3)),
            keras.layers.Conv1D(5, 3, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.LSTM(4),
            keras.layers.Dense(4),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(f"{folder}/{backend}.keras")
    np.save(f"{folder}/{backend}_predictions.npy", np.asarray(model.predict(x, verbose=0)))
    np.savez(f"{folder}/{backend}_next.npz", *one_step(model))
    """
)

CHECK = SETUP + textwrap.dedent(
    """
    backend = keras.backend.backend()
    for source in sys.argv[2].split(","):
        model = keras.saving.load_model(f"{folder}/{source}.keras")
        expected = np.load(f"{folder}/{source}_predictions.npy")
        got = np.asarray(model.predict(x, verbose=0))
        np.testing.assert_allclose(got, expected, atol=1e-5, err_msg=f"{source} -> {backend}")
        if backend != "numpy":
            with np.load(f"{folder}/{source}_next.npz") as saved:
                expected_next = [saved[f"arr_{i}"] for i in range(len(saved.files))]
            for a, b in zip(one_step(model), expected_next):
                np.testing.assert_allclose(a, b, atol=1e-5, err_msg=f"{source} -> {backend}")
    print("ok")
    """
)


def _run(code, backend, *args):
    env = dict(os.environ, CORNU_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{backend}:\n{result.stderr[-3000:]}"
    return result.stdout


def test_files_move_between_all_backends(tmp_path):
    for backend in TRAINABLE:
        _run(WRITE, backend, str(tmp_path))
    for backend in ALL:
        assert _run(CHECK, backend, str(tmp_path), ",".join(TRAINABLE)).strip().endswith("ok")
    # Files from different backends hold different weights (their own initializers), yet each
    # predicts the same everywhere: the check above compared each with its own backend's output.
    first = np.load(tmp_path / f"{TRAINABLE[0]}_predictions.npy")
    assert first.shape == (16, 4)
