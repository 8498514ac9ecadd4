"""examples/tune_mnist.py runs (one small trial) and prints the summary and test accuracy."""

import os
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MNIST = os.path.join(REPO, "..", "shared", "data", "mnist.npz")
if not os.path.exists(MNIST):
    MNIST = "/work/shared/data/mnist.npz"


def test_tune_mnist_example_runs(tmp_path):
    if not os.path.exists(MNIST):
        pytest.skip("the MNIST file is not on this machine")
    os.makedirs(tmp_path / "home" / "datasets")
    os.symlink(os.path.abspath(MNIST), tmp_path / "home" / "datasets" / "mnist.npz")
    env = dict(os.environ, CORNU_HOME=str(tmp_path / "home"), PYTHONPATH=REPO)
    command = [
        sys.executable,
        os.path.join(REPO, "examples", "tune_mnist.py"),
        "--trials",
        "2",
        "--samples",
        "600",
        "--epochs",
        "1",
        "--directory",
        str(tmp_path / "search"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Results summary" in out and 'Objective(name="val_accuracy", direction="max")' in out
    assert out.count("summary\nHyperparameters:\nunits: ") == 2
    accuracy = float(out.rsplit("test accuracy:", 1)[1].split()[0])
    assert accuracy > 0.5
    assert os.path.exists(tmp_path / "search" / "mnist_mlp" / "best_model.keras")
