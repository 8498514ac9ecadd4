"""The NumPy inference backend end to end: ``.keras`` files written by cornu on torch and by
Keras load on ``CORNU_BACKEND=numpy`` and predict the same numbers (to 1e-5); ``evaluate``
works and ``fit`` gives the clear error. Each backend runs in its own process."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

BUILD = """
import numpy as np
from cornu import layers

def build(lib, name):
    L = lib.layers
    if name == "mlp":
        inputs = lib.Input((6,))
        x = L.Dense(8, activation="relu")(inputs)
        x = L.BatchNormalization()(x)
        outputs = L.Dense(3, activation="softmax")(L.Dropout(0.3)(x))
    elif name == "cnn":
        inputs = lib.Input((12, 12, 2))
        x = L.Conv2D(4, 3, strides=2, padding="same", activation="relu")(inputs)
        x = L.DepthwiseConv2D(3, padding="same")(x)
        x = L.MaxPooling2D()(x)
        x = L.Conv2DTranspose(3, 3, strides=2)(x)
        x = L.GlobalAveragePooling2D()(x)
        outputs = L.Dense(2)(x)
    else:
        inputs = lib.Input((5,), dtype="int32")
        x = L.Embedding(11, 4, mask_zero=True)(inputs)
        x = L.LSTM(6, return_sequences=True)(x)
        x = L.Bidirectional(L.GRU(3))(x)
        outputs = L.Dense(1, activation="sigmoid")(x)
    return lib.Model(inputs, outputs)

def data(name):
    rng = np.random.default_rng(1)
    if name == "mlp":
        return rng.standard_normal((4, 6)).astype("float32")
    if name == "cnn":
        return rng.standard_normal((3, 12, 12, 2)).astype("float32")
    x = rng.integers(1, 11, (4, 5)).astype("int32")
    x[0, 3:] = 0
    return x

def perturbed(model):
    rng = np.random.default_rng(2)
    weights = model.get_weights()
    model.set_weights([w + 0.1 * rng.standard_normal(w.shape).astype(w.dtype) for w in weights])
    return model
"""

SAVE_ON_TORCH = """
import sys, numpy as np, cornu
out = sys.argv[1]
for name in ("mlp", "cnn", "rnn"):
    model = perturbed(build(cornu, name))
    model.compile(loss="mse", metrics=["mae"])
    model.save(f"{out}/cornu_{name}.keras")
    np.save(f"{out}/cornu_{name}.npy", model.predict(data(name), verbose=0))
"""

LOAD_ON_NUMPY = """
import json, sys, numpy as np, cornu
assert cornu.backend.backend() == "numpy"
out = sys.argv[1]
report = {}
for prefix in ("cornu", "keras"):
    for name in ("mlp", "cnn", "rnn"):
        model = cornu.saving.load_model(f"{out}/{prefix}_{name}.keras")
        np.save(f"{out}/numpy_{prefix}_{name}.npy", model.predict(data(name), verbose=0))
model = cornu.saving.load_model(f"{out}/cornu_mlp.keras")
x = data("mlp")
y = np.zeros((4, 3), "float32")
report["evaluate"] = model.evaluate(x, y, verbose=0, return_dict=True)
try:
    model.fit(x, y, verbose=0)
except NotImplementedError as error:
    report["fit_error"] = str(error)
try:
    model.train_on_batch(x, y)
except NotImplementedError as error:
    report["train_on_batch_error"] = str(error)
try:
    model.export(f"{out}/m.onnx")
except NotImplementedError as error:
    report["export_error"] = str(error)
print(json.dumps(report))
"""


def _run(script, backend, out):
    env = dict(os.environ, CORNU_BACKEND=backend, PYTHONPATH=str(ROOT))
    code = textwrap.dedent(BUILD) + textwrap.dedent(script)
    result = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def loaded_on_numpy(tmp_path_factory):
    keras = pytest.importorskip("keras")
    out = tmp_path_factory.mktemp("numpy_backend")
    namespace = {}
    exec(textwrap.dedent(BUILD), namespace)
    for name in ("mlp", "cnn", "rnn"):
        model = namespace["perturbed"](namespace["build"](keras, name))
        model.save(str(out / f"keras_{name}.keras"))
        np.save(out / f"keras_{name}.npy", model.predict(namespace["data"](name), verbose=0))
    _run(SAVE_ON_TORCH, "torch", out)
    report = json.loads(_run(LOAD_ON_NUMPY, "numpy", out).strip().splitlines()[-1])
    return out, report


@pytest.mark.parametrize("writer", ["cornu", "keras"])
@pytest.mark.parametrize("name", ["mlp", "cnn", "rnn"])
def test_files_predict_the_same_on_numpy(loaded_on_numpy, writer, name):
    out, _ = loaded_on_numpy
    expected = np.load(out / f"{writer}_{name}.npy")
    got = np.load(out / f"numpy_{writer}_{name}.npy")
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=1e-5)


def test_evaluate_runs_and_fit_and_export_name_the_backends_that_can(loaded_on_numpy):
    _, report = loaded_on_numpy
    assert set(report["evaluate"]) == {"loss", "mae"}
    for key in ("fit_error", "train_on_batch_error"):
        assert "NumPy backend cannot train" in report[key]
        assert "torch, jax" in report[key]
    assert "not available on the NumPy backend" in report["export_error"]
    assert "torch backend" in report["export_error"]
