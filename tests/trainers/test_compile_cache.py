"""The compiled training step's artifacts are cached on disk across processes: a second
process that compiles the same step reads torch inductor's cache instead of compiling."""

import json
import os
import subprocess
import sys

import pytest

from cornu.backend.torch import compiled_step

pytestmark = pytest.mark.backends("torch")

_CHILD = """
import json, os
import numpy as np
import torch._dynamo.utils as dynamo_utils
import cornu
from cornu import layers

model = cornu.Sequential([layers.Input((6,)), layers.Dense(5, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", jit_compile=True)
x = np.ones((16, 6), "float32")
model.fit(x, np.zeros((16, 1), "float32"), batch_size=8, epochs=1, verbose=0)
counts = dict(dynamo_utils.counters["inductor"])
print(json.dumps({"dir": os.environ["TORCHINDUCTOR_CACHE_DIR"], **counts}))
"""


def _compile_in_a_process(cache_home):
    env = {k: v for k, v in os.environ.items() if k != "TORCHINDUCTOR_CACHE_DIR"}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env.update(XDG_CACHE_HOME=str(cache_home), CORNU_BACKEND="torch")
    env["PYTHONPATH"] = os.pathsep.join([root, env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _files(folder):
    return sorted(
        os.path.relpath(os.path.join(here, name), folder)
        for here, _, names in os.walk(folder)
        for name in names
    )


def test_a_second_process_reads_the_compiled_step_from_the_cache(tmp_path):
    cache = tmp_path / "cornu" / "torchinductor"
    first = _compile_in_a_process(tmp_path)
    assert first["dir"] == str(cache)
    assert first.get("fxgraph_cache_miss", 0) >= 1 and first.get("fxgraph_cache_hit", 0) == 0
    graphs = _files(cache / "fxgraph")
    assert graphs  # the compiled graphs were written
    second = _compile_in_a_process(tmp_path)
    assert second["dir"] == str(cache)
    assert second.get("fxgraph_cache_hit", 0) == first["fxgraph_cache_miss"]
    assert second.get("fxgraph_cache_miss", 0) == 0
    assert _files(cache / "fxgraph") == graphs  # read, not written again


def test_a_cache_folder_chosen_by_the_user_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    compiled_step.use_compile_cache()
    assert os.environ["TORCHINDUCTOR_CACHE_DIR"] == str(tmp_path / "mine")
    monkeypatch.delenv("TORCHINDUCTOR_CACHE_DIR")
    compiled_step.use_compile_cache()
    assert os.environ["TORCHINDUCTOR_CACHE_DIR"] == str(
        tmp_path / "xdg" / "cornu" / "torchinductor"
    )
