"""examples/explain_mnist.py writes its three pictures (on a small file in MNIST's format)."""

import os
import runpy
import warnings

import numpy as np
import pytest

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "explain_mnist.py")


def test_example_writes_diagram_curves_and_attributions(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("pydot")
    rng = np.random.default_rng(0)
    data = tmp_path / "mnist.npz"
    np.savez(
        data,
        x_train=rng.integers(0, 256, (128, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, 128, dtype=np.uint8),
        x_test=rng.integers(0, 256, (16, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, 16, dtype=np.uint8),
    )
    main = runpy.run_path(EXAMPLE)["main"]
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the SVG fallback's warning where graphviz is missing
        main(["--epochs", "1", "--train-samples", "128", "--data", str(data), "--out", str(out)])
    for name in ("training_curves.png", "attributions.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    assert (out / "model.png").exists() or (out / "model.svg").exists()
