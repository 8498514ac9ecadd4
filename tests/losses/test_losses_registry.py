"""cornu.losses.get / serialize / deserialize, and get_config round trips."""

import numpy as np
import pytest

from cornu import losses
from cornu.backend import convert_to_numpy


@pytest.mark.parametrize(
    "name,expected",
    [
        ("mse", losses.mean_squared_error),
        ("MSE", losses.mean_squared_error),
        ("mean_squared_error", losses.mean_squared_error),
        ("mae", losses.mean_absolute_error),
        ("MAE", losses.mean_absolute_error),
        ("bce", losses.binary_crossentropy),
        ("binary_crossentropy", losses.binary_crossentropy),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
    ],
)
def test_function_names(keras, name, expected):
    assert losses.get(name) is expected
    assert keras.losses.get(name).__name__ == expected.__name__


@pytest.mark.parametrize(
    "name",
    [
        "MeanSquaredError",
        "MeanAbsoluteError",
        "BinaryCrossentropy",
        "CategoricalCrossentropy",
        "SparseCategoricalCrossentropy",
    ],
)
def test_class_names_give_instances(name):
    obj = losses.get(name)
    assert type(obj) is getattr(losses, name)


def test_objects_classes_and_none_pass_through():
    loss = losses.MeanSquaredError()
    assert losses.get(loss) is loss
    assert isinstance(losses.get(losses.BinaryCrossentropy), losses.BinaryCrossentropy)
    assert losses.get(None) is None

    def custom(y_true, y_pred):
        return y_pred

    assert losses.get(custom) is custom


def test_unknown_name_names_the_closest():
    with pytest.raises(ValueError, match="Did you mean 'mean_squared_error'") as info:
        losses.get("mean_squared_eror")
    assert "Unknown loss: 'mean_squared_eror'" in str(info.value)
    with pytest.raises(ValueError, match="Did you mean 'categorical_crossentropy'"):
        losses.get("categorical_crossentropi")


def test_not_a_loss_is_refused():
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(42)


CONFIG_CASES = [
    ("MeanSquaredError", {"reduction": "sum"}),
    ("MeanAbsoluteError", {"name": "l1"}),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1, "axis": -1}),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2, "reduction": None}),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 3}),
]


@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_config_matches_keras_and_round_trips(keras, name, kwargs):
    loss = getattr(losses, name)(**kwargs)
    config = loss.get_config()
    assert config == getattr(keras.losses, name)(**kwargs).get_config()
    again = type(loss).from_config(config)
    assert again.get_config() == config
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss) and rebuilt.get_config() == config
    assert losses.get({"class_name": name, "config": config}).get_config() == config


def test_serialized_function_round_trips(keras):
    config = losses.serialize(losses.mean_absolute_error)
    assert config["class_name"] == "function"
    assert config["config"] == "mean_absolute_error"
    assert losses.deserialize(config) is losses.mean_absolute_error


def test_loss_function_wrapper_config_round_trips():
    wrapper = losses.LossFunctionWrapper(
        losses.binary_crossentropy, name="bce", reduction="sum", from_logits=True
    )
    config = wrapper.get_config()
    assert config["name"] == "bce" and config["reduction"] == "sum"
    assert config["from_logits"] is True
    again = losses.LossFunctionWrapper.from_config(config)
    assert again.fn is losses.binary_crossentropy
    y_true = np.array([[0.0, 1.0]], dtype="float32")
    y_pred = np.array([[-1.0, 2.0]], dtype="float32")
    np.testing.assert_allclose(
        convert_to_numpy(again(y_true, y_pred)), convert_to_numpy(wrapper(y_true, y_pred))
    )


KERAS_NAMES = [
    "mape",
    "MAPE",
    "msle",
    "MSLE",
    "kld",
    "KLD",
    "huber",
    "log_cosh",
    "kl_divergence",
    "poisson",
    "cosine_similarity",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "dice",
    "tversky",
    "ctc",
    "circle",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
]


@pytest.mark.parametrize("name", KERAS_NAMES)
def test_every_keras_loss_name_gives_the_same_function(keras, name):
    ours = losses.get(name)
    assert callable(ours) and not isinstance(ours, losses.Loss)
    assert ours.__name__ == keras.losses.get(name).__name__
    assert losses.deserialize(losses.serialize(ours)) is ours


def test_every_keras_loss_class_is_here(keras):
    from keras.src.losses import ALL_OBJECTS_DICT

    for name, obj in ALL_OBJECTS_DICT.items():
        assert name in losses.ALL_OBJECTS_DICT, name
        if isinstance(obj, type) and name not in ("Loss", "LossFunctionWrapper"):
            assert type(losses.get(name)).__name__ == obj.__name__
    assert isinstance(
        losses.get("CategoricalGeneralizedCrossEntropy"), losses.CategoricalGeneralizedCrossEntropy
    )


def test_a_custom_loss_function_works_as_it_is():
    def half_squares(y_true, y_pred):
        return 0.5 * (y_pred - y_true) ** 2

    assert losses.get(half_squares) is half_squares
    wrapper = losses.LossFunctionWrapper(half_squares, reduction="sum")
    total = wrapper(np.array([[1.0], [2.0]], "float32"), np.array([[0.0], [4.0]], "float32"))
    np.testing.assert_allclose(convert_to_numpy(total), 2.5)
