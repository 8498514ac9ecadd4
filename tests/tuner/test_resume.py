"""A search killed with SIGKILL resumes from its directory: finished trials are not run
again, the cut-short one is, and the search completes with every trial once. overwrite=True
starts afresh."""

import glob
import json
import os
import signal
import subprocess
import sys
import time

from toys import ScoreModel

from cornu import tuner as kt

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

SCRIPT = """
import sys, time
sys.path.insert(0, {repo!r})
import cornu
from cornu import tuner as kt

class Slow(kt.HyperModel):
    def build(self, hp):
        hp.Int("a", 0, 5)
        model = cornu.Sequential([cornu.Input((1,)), cornu.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        return model

    def fit(self, hp, model, *args, **kwargs):
        with open(sys.argv[2], "a") as f:
            f.write(str(hp["a"]) + "\\n")
        time.sleep(0.5)
        return float(hp["a"])

tuner = kt.GridSearch(Slow(), objective=kt.Objective("score", "min"),
                      directory=sys.argv[1], project_name="p")
tuner.search(verbose=0)
print("finished", len(tuner.oracle.trials))
"""


def completed(directory):
    done = []
    for path in glob.glob(os.path.join(directory, "p", "trial_*", "trial.json")):
        with open(path) as f:
            state = json.load(f)
        if state["status"] == "COMPLETED":
            done.append(state["hyperparameters"]["values"]["a"])
    return done


def test_search_resumes_after_sigkill_without_repeating_trials(tmp_path):
    script = tmp_path / "search.py"
    script.write_text(SCRIPT.format(repo=REPO))
    log = tmp_path / "runs.log"
    command = [sys.executable, str(script), str(tmp_path), str(log)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while len(completed(tmp_path)) < 2 and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = completed(tmp_path)
    assert 2 <= len(done_before) < 6

    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Reloading Tuner from" in result.stdout
    assert "finished 6" in result.stdout
    assert sorted(completed(tmp_path)) == [0, 1, 2, 3, 4, 5]
    runs = [int(line) for line in log.read_text().split()]
    for value in done_before:
        assert runs.count(value) == 1  # a finished trial never runs again
    assert all(1 <= runs.count(value) <= 2 for value in range(6))  # the cut one runs again
    leftovers = glob.glob(os.path.join(tmp_path, "p", "**", ".*.tmp*"), recursive=True)
    assert leftovers == []


def test_resume_in_process_and_overwrite(tmp_path):
    runs = []

    def declare(hp):
        hp.Int("a", 0, 3)

    def make(max_trials, overwrite=False):
        return kt.GridSearch(
            ScoreModel(declare, lambda v: runs.append(v["a"]) or 1.0),
            objective=kt.Objective("score", "min"),
            max_trials=max_trials,
            directory=tmp_path,
            overwrite=overwrite,
        )

    make(2).search(verbose=0)
    assert runs == [0, 1]
    tuner = make(4)
    tuner.search(verbose=0)
    assert runs == [0, 1, 2, 3]
    assert len(tuner.oracle.trials) == 4
    make(4, overwrite=True).search(verbose=0)
    assert runs == [0, 1, 2, 3, 0, 1, 2, 3]
