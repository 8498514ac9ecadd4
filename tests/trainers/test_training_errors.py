"""The errors a user's mistakes get: clear, naming what was expected and received."""

import numpy as np
import pytest

from cornu import layers
from cornu.models import Sequential


def _model(loss="categorical_crossentropy", units=3):
    model = Sequential([layers.Input((4,)), layers.Dense(units, activation="softmax")])
    model.compile(optimizer="sgd", loss=loss, metrics=["accuracy"])
    return model


def test_x_and_y_of_different_lengths():
    with pytest.raises(ValueError, match="'x' sizes: 10 'y' sizes: 9"):
        _model().fit(np.zeros((10, 4)), np.zeros((9, 3)), verbose=0)


def test_input_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 4"):
        _model().fit(np.zeros((10, 5)), np.zeros((10, 3)), verbose=0)


def test_non_numeric_array():
    with pytest.raises(TypeError, match="must hold numbers.*strings"):
        _model().fit(np.array([["a", "b", "c", "d"]] * 3), np.zeros((3, 3)), verbose=0)


def test_unknown_optimizer_loss_and_metric_names_suggest_the_closest():
    model = Sequential([layers.Input((4,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="Unknown optimizer: 'rmsprp'.*Did you mean 'rmsprop'"):
        model.compile(optimizer="rmsprp", loss="mse")
    with pytest.raises(
        ValueError,
        match="Unknown loss.*'categorical_crossentropyy'.*Did you mean 'categorical_crossentropy'",
    ):
        model.compile(optimizer="sgd", loss="categorical_crossentropyy")
    with pytest.raises(ValueError, match="Unknown metric.*'acuracy'.*Did you mean 'accuracy'"):
        model.compile(optimizer="sgd", loss="mse", metrics=["acuracy"])


def test_sparse_labels_out_of_range():
    model = _model(loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"label value of 3.*valid range of \[0, 3\)"):
        model.fit(np.zeros((4, 4)), np.array([0, 1, 2, 3]), verbose=0)
    with pytest.raises(ValueError, match=r"label value of -1"):
        model.evaluate(np.zeros((2, 4)), np.array([0, -1]), verbose=0)


def test_fit_before_compile():
    model = Sequential([layers.Input((4,)), layers.Dense(1)])
    with pytest.raises(RuntimeError, match=r"must call `compile\(\)` before using `fit\(\)`"):
        model.fit(np.zeros((2, 4)), np.zeros((2, 1)))


def test_predict_on_a_model_that_cannot_know_its_input_shape():
    model = Sequential()
    with pytest.raises(ValueError, match="has no layers"):
        model.predict(np.zeros((2, 4)), verbose=0)
    with pytest.raises(ValueError, match="has not yet been built"):
        Sequential([layers.Dense(2)]).summary()


def test_bad_validation_split_and_batch_size():
    with pytest.raises(ValueError, match="`validation_split` must be between 0 and 1"):
        _model().fit(np.zeros((4, 4)), np.zeros((4, 3)), validation_split=1.5, verbose=0)
    with pytest.raises(ValueError, match="`batch_size` must be a positive int"):
        _model().fit(np.zeros((4, 4)), np.zeros((4, 3)), batch_size=0, verbose=0)
