"""The examples that run on synthetic data run as they are and reach what their docstrings
promise (the others are run on small files by the dataset tests)."""

import os
import runpy

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")


def test_sequence_classification_example_learns(capsys):
    runpy.run_path(os.path.join(EXAMPLES, "sequence_classification.py"), run_name="__main__")
    accuracy = float(capsys.readouterr().out.rsplit("test accuracy:", 1)[1].split()[0])
    assert accuracy >= 0.95
