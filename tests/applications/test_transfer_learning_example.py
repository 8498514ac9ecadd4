import os
import runpy

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "transfer_learning.py")


def test_transfer_learning_example_runs_and_says_which_weights(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CORNU_HOME", str(tmp_path / "cornu"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    main = runpy.run_path(EXAMPLE)["main"]
    accuracy = main(["--image-size", "32", "--samples", "32", "--epochs", "1"])
    out = capsys.readouterr().out
    assert "base weights: random" in out
    assert "1. new head on the frozen base (2 trainable weights)" in out
    assert "2. fine-tuning from block_13 on" in out
    assert 0.0 <= accuracy <= 1.0
