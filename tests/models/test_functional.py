"""Functional models: graphs, several inputs and outputs, shared layers, dict inputs, errors."""

import numpy as np
import pytest

import cornu
from cornu import layers, ops
from cornu.models import Model


def test_tutorial_functional_model():
    inputs = layers.Input(shape=(100,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dense(32, activation="relu")(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = Model(inputs=inputs, outputs=outputs)
    assert type(model).__name__ == "Functional"
    assert isinstance(model, Model)
    assert model.count_params() == 100 * 64 + 64 + 64 * 32 + 32 + 33
    out = ops.convert_to_numpy(model(np.zeros((3, 100), "float32")))
    assert out.shape == (3, 1)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer",
        "Dense",
        "Dense",
        "Dense",
    ]


def test_two_inputs_two_outputs_shared_layer_and_merge_by_hand(keras):
    a, b = layers.Input((4,), name="a"), layers.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    ha, hb = shared(a), shared(b)
    out1 = layers.Dense(2, name="out1")(ha)
    out2 = layers.Dense(1, name="out2")(hb)
    model = Model([a, b], [out1, out2])
    assert len(model.weights) == 6  # the shared layer's weights appear once
    xa = np.random.RandomState(0).standard_normal((5, 4)).astype("float32")
    xb = np.random.RandomState(1).standard_normal((5, 4)).astype("float32")
    y1, y2 = model.predict([xa, xb], verbose=0)
    assert y1.shape == (5, 2) and y2.shape == (5, 1)

    ka, kb = keras.Input((4,)), keras.Input((4,))
    kshared = keras.layers.Dense(3)
    ref = keras.Model(
        [ka, kb], [keras.layers.Dense(2)(kshared(ka)), keras.layers.Dense(1)(kshared(kb))]
    )
    ref.set_weights(model.get_weights())
    r1, r2 = ref.predict([xa, xb], verbose=0)
    np.testing.assert_allclose(y1, r1, atol=1e-6)
    np.testing.assert_allclose(y2, r2, atol=1e-6)
    by_name = model.predict({"a": xa, "b": xb}, verbose=0)
    np.testing.assert_allclose(by_name[0], y1, atol=1e-6)


def test_dict_inputs_and_outputs():
    inputs = {"x": layers.Input((2,), name="x"), "y": layers.Input((3,), name="y")}
    hx = layers.Dense(4)(inputs["x"])
    hy = layers.Dense(4)(inputs["y"])
    model = Model(inputs, {"left": layers.Dense(1)(hx), "right": layers.Dense(1)(hy)})
    out = model({"x": np.ones((2, 2), "float32"), "y": np.ones((2, 3), "float32")})
    assert set(out) == {"left", "right"}
    assert tuple(out["left"].shape) == (2, 1)


def test_graph_disconnected_is_a_clear_error():
    a, b = layers.Input((2,)), layers.Input((2,))
    h = layers.Dense(1)(b)
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model(a, h)


def test_wrong_input_width_names_the_model():
    inputs = layers.Input((100,))
    model = Model(inputs, layers.Dense(1)(inputs))
    with pytest.raises(ValueError, match=r'layer "functional".*\(None, 100\).*\(2, 50\)'):
        model(np.zeros((2, 50), "float32"))


def test_model_used_as_a_layer():
    inner_in = layers.Input((3,))
    inner = Model(inner_in, layers.Dense(2)(inner_in), name="inner")
    outer_in = layers.Input((3,))
    outer = Model(outer_in, layers.Dense(1)(inner(outer_in)))
    assert tuple(outer(np.ones((4, 3), "float32")).shape) == (4, 1)
    assert len(outer.weights) == 4


def test_keras_alias_names():
    assert cornu.Model is Model
    assert cornu.models.Model is Model


@pytest.mark.parametrize("direct", [True, False], ids=["call", "__call__"])
def test_training_reaches_the_layers_when_call_is_called_directly(direct):
    inputs = layers.Input(shape=(200,))
    model = Model(inputs, layers.Dropout(0.5)(inputs))
    x = np.ones((4, 200), "float32")
    run = model.call if direct else model
    dropped = ops.convert_to_numpy(run(x, training=True))
    assert set(np.unique(dropped)) == {0.0, 2.0}  # kept units scaled by 1 / (1 - rate)
    np.testing.assert_array_equal(ops.convert_to_numpy(run(x, training=False)), x)
    np.testing.assert_array_equal(ops.convert_to_numpy(run(x)), x)


@pytest.mark.parametrize("direct", [True, False], ids=["call", "__call__"])
def test_a_mask_given_to_the_model_reaches_its_first_layer(direct):
    inputs = layers.Input(shape=(3, 2))
    model = Model(inputs, layers.GlobalAveragePooling1D()(inputs))
    x = np.arange(12, dtype="float32").reshape(2, 3, 2)
    mask = np.array([[True, True, False], [True, False, False]])
    run = model.call if direct else model
    out = ops.convert_to_numpy(run(x, mask=ops.convert_to_tensor(mask)))
    expected = [x[0, :2].mean(axis=0), x[1, :1].mean(axis=0)]
    np.testing.assert_allclose(out, np.stack(expected), rtol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(run(x)), x.mean(axis=1), rtol=1e-6)
