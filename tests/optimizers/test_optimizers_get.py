"""optimizers.get / serialize / deserialize."""

import pytest

from cornu import optimizers


@pytest.mark.parametrize(
    "name, cls",
    [
        ("sgd", optimizers.SGD),
        ("SGD", optimizers.SGD),
        ("adam", optimizers.Adam),
        ("Adam", optimizers.Adam),
        ("rmsprop", optimizers.RMSprop),
        ("RMSprop", optimizers.RMSprop),
    ],
)
def test_names_are_case_insensitive(name, cls):
    opt = optimizers.get(name)
    assert type(opt) is cls
    assert opt.get_config()["learning_rate"] == pytest.approx(cls().get_config()["learning_rate"])


def test_classes_instances_and_none():
    assert type(optimizers.get(optimizers.Adam)) is optimizers.Adam
    opt = optimizers.SGD(learning_rate=0.3)
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None


def test_unknown_name_suggests_the_closest():
    with pytest.raises(ValueError, match="Unknown optimizer: 'adom'. Did you mean 'adam'?"):
        optimizers.get("adom")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_serialize_round_trip():
    opt = optimizers.RMSprop(learning_rate=0.5, centered=True, name="r")
    config = optimizers.serialize(opt)
    assert config["class_name"] == "RMSprop"
    clone = optimizers.deserialize(config)
    assert type(clone) is optimizers.RMSprop
    assert clone.get_config() == opt.get_config()
    assert optimizers.get(config).get_config() == opt.get_config()


def test_reads_a_keras_config(keras):
    config = keras.optimizers.serialize(keras.optimizers.Adam(learning_rate=0.02, amsgrad=True))
    opt = optimizers.get(config)
    assert type(opt) is optimizers.Adam
    assert opt.amsgrad is True
    assert opt.get_config() == config["config"]


@pytest.mark.parametrize(
    "name, suggestion",
    [("adamww", "adamw"), ("Adagard", "adagrad"), ("nadamm", "nadam"), ("adafactr", "adafactor")],
)
def test_unknown_new_names_suggest_the_closest(name, suggestion):
    with pytest.raises(
        ValueError, match=f"Unknown optimizer: '{name}'. Did you mean '{suggestion}'"
    ):
        optimizers.get(name)


def test_every_keras_name_resolves(keras):
    names = ["adadelta", "adafactor", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion"]
    for name in names + ["nadam", "rmsprop", "sgd"]:
        assert type(optimizers.get(name)).__name__ == type(keras.optimizers.get(name)).__name__
    # Keras 3.15 leaves Lamb out of its names; cornu resolves it too.
    assert type(optimizers.get("lamb")) is optimizers.Lamb
