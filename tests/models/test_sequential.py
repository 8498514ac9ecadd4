"""Sequential: building, layers, summary, errors."""

import numpy as np
import pytest

import cornu
from cornu import layers
from cornu.models import Sequential


def tutorial_model():
    model = Sequential()
    model.add(layers.Dense(512, activation="relu", input_dim=28 * 28))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def test_tutorial_model_is_built_with_keras_parameter_count():
    model = tutorial_model()
    assert model.built
    assert model.count_params() == 407_050
    assert [w.shape for w in model.weights] == [(784, 512), (512,), (512, 10), (10,)]
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert model.output.shape == (None, 10)


def test_summary_table(capsys):
    tutorial_model().summary()
    out = capsys.readouterr().out
    assert 'Model: "sequential"' in out
    assert "(None, 512)" in out and "401,920" in out and "5,130" in out
    assert "Total params: 407,050" in out
    assert "Trainable params: 407,050" in out
    assert "Non-trainable params: 0" in out


def test_list_constructor_with_input_and_keras_alias():
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(3), cornu.layers.Dense(2)])
    assert model.built and model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    assert len(model.layers) == 2


def test_deferred_build_on_first_call():
    model = Sequential([layers.Dense(3), layers.Dense(1)])
    assert not model.built and model.weights == []
    with pytest.raises(ValueError, match="has not yet been built"):
        model.summary()
    out = model(np.ones((5, 7), "float32"))
    assert tuple(out.shape) == (5, 1)
    assert model.built and model.layers[0].kernel.shape == (7, 3)


def test_pop_and_get_layer():
    model = tutorial_model()
    model.add(layers.Dense(2, name="extra"))
    assert model.get_layer("extra").units == 2
    assert model.get_layer(index=0).name == "dense"
    popped = model.pop()
    assert popped.name == "extra" and len(model.layers) == 2
    assert model.output.shape == (None, 10)
    with pytest.raises(ValueError, match="No such layer: 'nope'"):
        model.get_layer("nope")


def test_adding_a_non_layer_is_an_error():
    with pytest.raises(ValueError, match="Only instances of `cornu.layers.Layer`"):
        Sequential().add("dense")


def test_duplicate_layer_names_are_an_error():
    model = Sequential([layers.Dense(2, name="a")])
    with pytest.raises(ValueError, match="unique names"):
        model.add(layers.Dense(2, name="a"))


def test_empty_model_cannot_predict():
    model = Sequential()
    model.compile(loss="mse")
    with pytest.raises(ValueError, match="has no layers"):
        model.predict(np.ones((2, 3), "float32"))


@pytest.mark.backends("torch")
def test_torch_module_view():
    model = tutorial_model()
    params = dict(model.named_parameters())
    assert set(params) == {"dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias"}
    assert sum(p.numel() for p in model.parameters()) == 407_050
    assert set(model.state_dict()) == set(params)


def test_call_conveniences_and_nested_input_check():
    import numpy as np
    import pytest

    import cornu

    x = np.ones((2, 3), "float32")
    dense = cornu.layers.Dense(2)
    assert tuple(dense(inputs=x).shape) == (2, 2)
    assert tuple(cornu.Sequential([cornu.layers.Dense(2)])([x]).shape) == (2, 2)
    assert tuple((dense.kernel + np.ones((3, 2), "float32")).shape) == (3, 2)
    inner = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"expected shape=\(None, 3\).*\(None, 4\)"):
        inner(cornu.Input((4,)))
