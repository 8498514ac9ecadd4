"""model.export: ONNX files that onnxruntime runs, and torch.export programs."""

import builtins

import numpy as np
import pytest

import cornu

pytestmark = pytest.mark.backends("torch")  # ONNX files and torch.export programs


def _model():
    cornu.utils.set_random_seed(0)
    a = cornu.Input((4,), name="a")
    b = cornu.Input((2,), name="b")
    hidden = cornu.layers.Dense(8, activation="relu")(a)
    hidden = cornu.layers.BatchNormalization()(hidden)
    out = cornu.layers.Dense(3, activation="softmax")(cornu.layers.Concatenate()([hidden, b]))
    return cornu.Model([a, b], out)


def test_onnx_export_runs_in_onnxruntime_with_any_batch(tmp_path, capsys):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    model = _model()
    path = str(tmp_path / "model.onnx")
    model.export(path, format="onnx")
    assert f"Saved artifact at '{path}'." in capsys.readouterr().out
    session = ort.InferenceSession(path)
    assert [i.name for i in session.get_inputs()] == ["a", "b"]  # the Inputs' names
    for batch in (1, 7):
        rng = np.random.RandomState(batch)
        x = [rng.rand(batch, 4).astype("float32"), rng.rand(batch, 2).astype("float32")]
        (onnx_out,) = session.run(None, {"a": x[0], "b": x[1]})
        np.testing.assert_allclose(onnx_out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_onnx_export_of_a_cnn(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    layers = cornu.layers
    cnn = cornu.Sequential(
        [
            cornu.Input((8, 8, 1)),
            layers.Conv2D(3, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    x = np.random.RandomState(0).rand(3, 8, 8, 1).astype("float32")
    cnn.export(str(tmp_path / "cnn.onnx"), verbose=False)
    session = ort.InferenceSession(str(tmp_path / "cnn.onnx"))
    (out,) = session.run(None, {session.get_inputs()[0].name: x})
    np.testing.assert_allclose(out, cnn.predict(x, verbose=0), rtol=1e-5, atol=1e-5)


def test_onnx_export_of_a_subclassed_model_needs_a_signature(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    layers = cornu.layers

    class Net(cornu.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x) * 2.0

    net = Net()
    with pytest.raises(ValueError, match="has not yet been built"):
        net.export(str(tmp_path / "net.onnx"), verbose=False)
    net(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match="input_signature"):
        net.export(str(tmp_path / "net.onnx"), verbose=False)
    spec = cornu.layers.InputSpec(shape=(None, 3), dtype="float32")
    net.export(str(tmp_path / "net.onnx"), input_signature=[spec], verbose=False)
    session = ort.InferenceSession(str(tmp_path / "net.onnx"))
    x = np.ones((4, 3), "float32")
    (out,) = session.run(None, {"input_0": x})
    np.testing.assert_allclose(out, net.predict(x, verbose=0), rtol=1e-6)


def test_torch_export_program(tmp_path):
    import torch

    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    path = str(tmp_path / "model.pt2")
    model.export(path, format="torch", verbose=False)
    program = torch.export.load(path)
    for batch in (1, 5):
        x = np.ones((batch, 3), "float32")
        out = program.module()(torch.from_numpy(x))
        np.testing.assert_allclose(out.detach().numpy(), model.predict(x, verbose=0), rtol=1e-6)
    with pytest.raises(ValueError, match="end with '.pt2'"):
        model.export(str(tmp_path / "model.pt"), format="torch")


def test_export_errors(tmp_path, monkeypatch):
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"Unrecognized format=tflite. Supported formats"):
        model.export(str(tmp_path / "m"), format="tflite")
    with pytest.raises(ValueError, match="needs TensorFlow"):
        model.export(str(tmp_path / "m"), format="tf_saved_model")
    real_import = builtins.__import__

    def no_onnx(name, *args, **kwargs):
        if name.split(".")[0] in ("onnx", "onnxscript"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnx)
    with pytest.raises(ImportError, match=r'pip install "cornu\[onnx\]"'):
        model.export(str(tmp_path / "m.onnx"))
    assert not (tmp_path / "m.onnx").exists()
