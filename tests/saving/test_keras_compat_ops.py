"""Keras's operation layers (``x != 0``, ``keras.ops.mean``, ...) in Functional files, both
ways between cornu and the real Keras."""

import json

import numpy as np
import pytest

import cornu


def _keras_ops_model(keras):
    ops = keras.ops
    x = keras.Input((4,))
    a = keras.layers.Dense(4)(x)
    mask = ops.cast(x != 0, "float32")
    s = (a + mask - 1.0) * 2 / 3
    s = ops.add(s, a)
    squeezed = ops.squeeze(ops.expand_dims(s, -1), -1)
    joined = ops.concatenate([s, squeezed], axis=-1)
    mean = ops.mean(joined, axis=-1, keepdims=True)
    outputs = [
        joined + mean,
        ops.sum(joined, axis=1),
        ops.softmax(joined),
        ops.reshape(s, (-1, 2, 2)),
        s[:, 1:3],
        ops.matmul(s, ops.transpose(a)),
        ops.cast(ops.equal(x, 1.0), "float32"),
        ops.cast(ops.greater(a, 0.5), "int32"),
        ops.einsum("bi,bj->bij", a, x),
        ops.where(x > 0.5, ops.exp(a), ops.negative(a)),
        ops.clip(ops.max(joined, axis=0), -1.0, 1.0),
        ops.logical_and(x < 0.8, x >= 0.2),
        ops.sqrt(ops.abs(a)) ** 2,
    ]
    return keras.Model(x, outputs)


def _inputs():
    x = np.random.RandomState(0).rand(5, 4).astype("float32")
    x[0, 1], x[1, 2] = 0.0, 1.0  # hit `!= 0` and `== 1`
    return x


def _same(first, second):
    assert len(first) == len(second)
    for p, q in zip(first, second):
        p, q = np.asarray(p), np.asarray(q)
        assert p.shape == q.shape
        np.testing.assert_allclose(p.astype("float64"), q.astype("float64"), atol=1e-5)


def _op_entries(path):
    import zipfile

    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    return [
        {k: e[k] for k in ("module", "class_name", "config", "registered_name")}
        for e in config["config"]["layers"]
        if e["module"].startswith("keras.src.ops")
    ]


def test_a_keras_model_with_operations_loads_and_saves_back(keras, tmp_path):
    model = _keras_ops_model(keras)
    path = str(tmp_path / "keras_ops.keras")
    model.save(path)
    ours = cornu.saving.load_model(path)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in model.layers]
    assert len(ours.layers) == 2  # the operations are not layers
    x = _inputs()
    _same(model.predict(x, verbose=0), ours.predict(x, verbose=0))
    clone = cornu.models.clone_model(ours)
    clone.set_weights(ours.get_weights())
    _same(model.predict(x, verbose=0), clone.predict(x, verbose=0))

    again = str(tmp_path / "cornu_ops.keras")
    ours.save(again)
    assert _op_entries(again) == _op_entries(path)  # every operation written as Keras did
    theirs = keras.saving.load_model(again)
    _same(model.predict(x, verbose=0), theirs.predict(x, verbose=0))
    _same(model.predict(x, verbose=0), cornu.saving.load_model(again).predict(x, verbose=0))


def test_cornu_operators_load_in_keras(keras, tmp_path):
    x = cornu.Input((4,))
    d = cornu.layers.Dense(4)(x)
    y = -(2 - d)[:, 1:3] + abs(d[:, :2]) ** 2 / 3.0
    model = cornu.Model(x, [y, 1.0 / d, d @ cornu.ops.ones((4, 2))])
    path = str(tmp_path / "operators.keras")
    model.save(path)
    data = _inputs() + 0.5
    for loaded in (keras.saving.load_model(path), cornu.saving.load_model(path)):
        _same(model.predict(data, verbose=0), loaded.predict(data, verbose=0))
    entries = {e["config"]["name"]: e for e in _op_entries(path)}
    assert entries["subtract"]["class_name"] == "Subtract"


def test_an_unsupported_operation_names_its_class(keras, tmp_path):
    x = keras.Input((4,))
    model = keras.Model(x, keras.ops.floor_divide(x, 2.0))
    path = str(tmp_path / "floor_divide.keras")
    model.save(path)
    with pytest.raises(ValueError, match="'FloorDivide' \\(module 'keras.src.ops.numpy'\\)"):
        cornu.saving.load_model(path)


def test_an_operation_argument_cornu_lacks_is_named(keras):
    x = keras.Input((4,))
    config = json.loads(keras.Model(x, keras.ops.mean(x, axis=1)).to_json())
    mean = next(e for e in config["config"]["layers"] if e["class_name"] == "Mean")
    mean["config"]["bogus"] = 3
    with pytest.raises(ValueError, match=r"'Mean'.*cornu.ops.mean does not take: \['bogus'\]"):
        cornu.models.model_from_json(json.dumps(config))


def test_an_operation_of_an_unknown_module_is_refused(keras):
    x = keras.Input((4,))
    config = json.loads(keras.Model(x, keras.ops.mean(x, axis=1)).to_json())
    mean = next(e for e in config["config"]["layers"] if e["class_name"] == "Mean")
    mean["module"] = "keras.src.ops.image"
    with pytest.raises(ValueError, match="cornu cannot rebuild"):
        cornu.models.model_from_json(json.dumps(config))
