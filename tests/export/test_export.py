"""model.export: ONNX files that onnxruntime runs, and torch.export programs."""

import numpy as np
import pytest

import cornu


def _model():
    cornu.utils.set_random_seed(0)
    a = cornu.Input((4,), name="a")
    b = cornu.Input((2,), name="b")
    hidden = cornu.layers.Dense(8, activation="relu")(a)
    out = cornu.layers.Dense(3, activation="softmax")(cornu.layers.Concatenate()([hidden, b]))
    return cornu.Model([a, b], out)


def test_onnx_export_runs_in_onnxruntime_with_any_batch(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    model = _model()
    path = str(tmp_path / "model.onnx")
    model.export(path, format="onnx")
    session = ort.InferenceSession(path)
    names = [i.name for i in session.get_inputs()]
    for batch in (1, 7):
        rng = np.random.RandomState(batch)
        x = [rng.rand(batch, 4).astype("float32"), rng.rand(batch, 2).astype("float32")]
        (onnx_out,) = session.run(None, dict(zip(names, x)))
        np.testing.assert_allclose(onnx_out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_torch_export_program(tmp_path):
    import torch

    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    path = str(tmp_path / "model.pt2")
    model.export(path, format="torch")
    program = torch.export.load(path)
    x = np.ones((5, 3), "float32")
    out = program.module()(torch.from_numpy(x))
    np.testing.assert_allclose(out.detach().numpy(), model.predict(x, verbose=0), rtol=1e-6)
    with pytest.raises(ValueError, match="Unrecognized format"):
        model.export(path, format="tflite")
