"""Data-parallel fit / evaluate / predict on 2 gloo processes, against a single process."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import cornu

pytestmark = pytest.mark.requires_training  # data-parallel training

NUM_SAMPLES = 21  # the last global batch (5 of 8) splits unevenly: 3 and 2


def _data():
    rng = np.random.RandomState(0)
    x = rng.standard_normal((NUM_SAMPLES, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]]) + 0.1).astype("float32")
    return x, y


def _model():
    cornu.utils.set_random_seed(0)
    model = cornu.Sequential(
        [cornu.Input((3,)), cornu.layers.Dense(4, activation="tanh"), cornu.layers.Dense(1)]
    )
    model.compile(optimizer=cornu.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    return model


def _train(model, shuffle):
    x, y = _data()
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=shuffle, verbose=0)
    evaluation = model.evaluate(x, y, batch_size=8, verbose=0)
    prediction = model.predict(x, batch_size=4, verbose=0)
    return history.history, evaluation, prediction


def _replica(out_dir, shuffle):
    cornu.distribution.set_distribution(cornu.distribution.DataParallel())
    model = _model()
    sizes = []
    train_step = model.train_step

    def recording_step(data):
        sizes.append(int(data[0].shape[0]))
        return train_step(data)

    model.train_step = recording_step
    history, evaluation, prediction = _train(model, shuffle)
    rank = cornu.distribution.process_id()
    np.save(os.path.join(out_dir, f"sizes{rank}.npy"), np.asarray(sizes))
    np.savez(
        os.path.join(out_dir, f"rank{rank}.npz"),
        *model.get_weights(),
        evaluation=np.asarray(evaluation),
        prediction=prediction,
    )
    with open(os.path.join(out_dir, f"history{rank}.json"), "w") as f:
        json.dump(history, f)
    csv = cornu.callbacks.CSVLogger(os.path.join(out_dir, "log.csv"))
    model.fit(*_data(), batch_size=8, epochs=2, verbose=0, callbacks=[csv])


def _load(out_dir, rank):
    with np.load(os.path.join(out_dir, f"rank{rank}.npz")) as data:
        weights = [data[f"arr_{i}"] for i in range(4)]
        return weights, data["evaluation"], data["prediction"]


@pytest.mark.backends("torch")  # processes launched with torch.distributed (DDP)
@pytest.mark.parametrize("shuffle", [False, True])
def test_two_processes_match_one_process_with_the_same_global_batch(tmp_path, shuffle):
    cornu.distribution.launch(_replica, 2, args=(str(tmp_path), shuffle))
    single = _model()
    history, evaluation, prediction = _train(single, shuffle)
    # Each process took its part of every global batch of 8 (the last one holds 5).
    assert np.load(tmp_path / "sizes0.npy").tolist() == [4, 4, 3] * 3
    assert np.load(tmp_path / "sizes1.npy").tolist() == [4, 4, 2] * 3
    weights0, eval0, pred0 = _load(tmp_path, 0)
    weights1, eval1, pred1 = _load(tmp_path, 1)
    for a, b, c in zip(weights0, weights1, single.get_weights()):
        np.testing.assert_array_equal(a, b)  # replicas hold identical weights
        np.testing.assert_allclose(a, c, rtol=1e-5, atol=1e-6)
    for rank in (0, 1):
        with open(tmp_path / f"history{rank}.json") as f:
            ranked = json.load(f)
        assert sorted(ranked) == sorted(history)
        for key in history:
            np.testing.assert_allclose(ranked[key], history[key], rtol=1e-5)
    np.testing.assert_array_equal(eval0, eval1)
    np.testing.assert_allclose(eval0, evaluation, rtol=1e-5)
    np.testing.assert_allclose(pred0, prediction, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(pred0, pred1)
    rows = (tmp_path / "log.csv").read_text().strip().splitlines()
    assert len(rows) == 3  # one header and two epochs, written once


def _dies(out_dir):
    cornu.distribution.set_distribution(cornu.distribution.DataParallel())
    model = _model()
    x, y = _data()

    class Die(cornu.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if cornu.distribution.process_id() == 1 and batch == 1:
                os._exit(3)

    model.fit(x, y, batch_size=4, epochs=50, verbose=0, callbacks=[Die()])


@pytest.mark.backends("torch")  # processes launched with torch.distributed (DDP)
def test_a_dying_worker_fails_the_run_instead_of_hanging(tmp_path):
    with pytest.raises(Exception, match="exit"):
        cornu.distribution.launch(_dies, 2, args=(str(tmp_path),), timeout_seconds=30)


def test_data_parallel_without_a_process_group_is_inactive():
    cornu.distribution.set_distribution(cornu.distribution.DataParallel())
    try:
        assert cornu.distribution.distribution() is not None
        model = _model()
        history, _, _ = _train(model, shuffle=False)
        assert len(history["loss"]) == 3
    finally:
        cornu.distribution.set_distribution(None)
    with pytest.raises(ValueError, match="DataParallel"):
        cornu.distribution.set_distribution("data_parallel")


@pytest.mark.backends("torch")  # processes launched with torch.distributed (DDP)
def test_torchrun_runs_the_distributed_example(tmp_path):
    script = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "mnist_distributed.py")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node=2",
            script,
            "--synthetic",
            "--epochs",
            "1",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    weights = [np.load(tmp_path / f"weights{rank}.npy") for rank in (0, 1)]
    np.testing.assert_array_equal(weights[0], weights[1])
    assert result.stdout.count("test_acc:") == 1  # only process 0 prints


_ELASTIC = """
import os, sys, numpy as np
import cornu

out = sys.argv[1]
cornu.distribution.initialize()
cornu.distribution.set_distribution(cornu.distribution.DataParallel())
cornu.utils.set_random_seed(0)
rng = np.random.RandomState(0)
x = rng.standard_normal((64, 3)).astype("float32")
y = (x.sum(axis=1, keepdims=True)).astype("float32")
model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(4), cornu.layers.Dense(1)])
model.compile(optimizer=cornu.optimizers.SGD(0.05), loss="mse")
marker = os.path.join(out, "died")


class DieOnce(cornu.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.epoch == 2 and batch == 1 and cornu.distribution.process_id() == 1:
            if not os.path.exists(marker):
                open(marker, "w").close()
                os._exit(1)


model.fit(x, y, batch_size=16, epochs=4, verbose=0,
          callbacks=[cornu.callbacks.BackupAndRestore(os.path.join(out, "backup")), DieOnce()])
rank = cornu.distribution.process_id()
np.save(os.path.join(out, f"w{rank}.npy"), model.get_weights()[0])
"""


@pytest.mark.backends("torch")  # processes launched with torch.distributed (DDP)
def test_torchrun_restarts_a_dead_worker_and_training_finishes_in_step(tmp_path):
    script = tmp_path / "elastic.py"
    script.write_text(_ELASTIC)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node=2",
            "--max-restarts=1",
            str(script),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "died").exists()
    np.testing.assert_array_equal(np.load(tmp_path / "w0.npy"), np.load(tmp_path / "w1.npy"))
