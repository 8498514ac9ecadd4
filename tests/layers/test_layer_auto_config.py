"""A custom layer or model without get_config round-trips as in Keras 3: its constructor's
plain arguments become its config; other arguments get Keras's error asking for get_config."""

import numpy as np
import pytest

import cornu


class Scale(cornu.layers.Layer):
    def __init__(self, factor, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.factor, self.offset = factor, offset

    def call(self, x):
        return x * self.factor + self.offset


class NoKwargs(cornu.layers.Layer):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def call(self, x):
        return x * self.factor


class Wide(cornu.Model):
    def __init__(self, units=3, names=("a", "b"), **kwargs):
        super().__init__(**kwargs)
        self.dense = cornu.layers.Dense(units)
        self.names = names

    def call(self, x):
        return self.dense(x)


def test_constructor_arguments_become_the_config(keras):
    config = Scale(2.0, offset=1.0, name="s").get_config()
    assert config["factor"] == 2.0 and config["offset"] == 1.0 and config["name"] == "s"

    class TheirScale(keras.layers.Layer):
        def __init__(self, factor, offset=0.0, **kwargs):
            super().__init__(**kwargs)
            self.factor, self.offset = factor, offset

    theirs = TheirScale(2.0, offset=1.0, name="s").get_config()
    assert set(config) == set(theirs)
    assert {k: config[k] for k in ("factor", "offset", "name", "trainable")} == {
        k: theirs[k] for k in ("factor", "offset", "name", "trainable")
    }


def test_a_custom_layer_without_get_config_saves_and_loads(tmp_path):
    model = cornu.Sequential([cornu.Input((2,)), Scale(3.0, 1.0)])
    model.save(tmp_path / "m.keras")
    restored = cornu.saving.load_model(tmp_path / "m.keras", custom_objects={"Scale": Scale})
    np.testing.assert_allclose(restored.predict(np.ones((1, 2)), verbose=0), [[4.0, 4.0]])


def test_base_keys_are_dropped_for_a_constructor_without_kwargs():
    config = NoKwargs(5).get_config()
    assert config == {"factor": 5}
    assert NoKwargs.from_config(config).factor == 5


def test_a_subclassed_model_without_get_config_round_trips():
    config = Wide(units=4, names=["x"], name="w").get_config()
    assert config == {"name": "w", "trainable": True, "units": 4, "names": ["x"]}
    assert Wide.from_config(config).dense.units == 4


def test_unserializable_arguments_ask_for_get_config():
    layer = Scale(object())
    with pytest.raises(NotImplementedError, match="Scale was created by passing non-serializable"):
        layer.get_config()
