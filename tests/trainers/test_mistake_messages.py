"""Mistakes that used to end in a raw torch error or in silence get a message that names the
argument, what was expected, what was received and the fix."""

import warnings

import numpy as np
import pytest

import cornu


def _model(loss="sparse_categorical_crossentropy", activation="softmax"):
    model = cornu.Sequential([cornu.Input((4,)), cornu.layers.Dense(3, activation=activation)])
    model.compile(optimizer="sgd", loss=loss)
    return model


def test_one_hot_targets_with_a_sparse_loss():
    x = np.ones((6, 4), "float32")
    y = np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2]]
    with pytest.raises(ValueError, match="look one-hot encoded: use `categorical_crossentropy`"):
        _model().fit(x, y, verbose=0)


def test_sparse_targets_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"target.shape=\(6, 2\), output.shape=\(6, 3\)"):
        cornu.losses.sparse_categorical_crossentropy(np.zeros((6, 2)), np.ones((6, 3)) / 3)


@pytest.mark.parametrize("epochs", [-1, 0])
def test_fit_that_runs_no_epoch_says_so(epochs):
    model = _model()
    before = [w.copy() for w in model.get_weights()]
    with pytest.warns(UserWarning, match=rf"fit\(epochs={epochs}, initial_epoch=0\) runs no epoch"):
        history = model.fit(np.ones((4, 4)), np.zeros(4), epochs=epochs, verbose=0)
    assert history.history == {}
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_epochs_must_be_an_int():
    with pytest.raises(TypeError, match=r"`epochs` must be an int. Received: epochs='3'"):
        _model().fit(np.ones((4, 4)), np.zeros(4), epochs="3", verbose=0)


def test_class_weight_missing_a_class_warns_and_weights_it_one():
    x = np.ones((6, 4), "float32")
    y = np.array([0, 1, 2, 0, 1, 2])
    with pytest.warns(UserWarning, match=r"no entry for the classes \[2\] found in `y`"):
        _model().fit(x, y, class_weight={0: 1.0, 1: 2.0}, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _model().fit(x, y, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, verbose=0)


def test_non_finite_inputs_warn_once():
    x = np.ones((6, 4), "float32")
    x[2, 1] = np.nan
    x[3, 0] = np.inf
    with pytest.warns(UserWarning, match=r"`x` holds 2 NaN or infinite value\(s\) \(of 24\)"):
        _model().fit(x, np.zeros(6), epochs=2, verbose=0)
