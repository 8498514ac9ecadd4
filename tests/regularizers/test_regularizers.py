"""Regularizers: values against Keras, names, configs, and their penalties in losses and fit."""

import numpy as np
import pytest

import cornu
from cornu import ops, regularizers


def _weight():
    return np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], "float32")


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("L1", {}),
        ("L1", {"l1": 0.3}),
        ("L2", {}),
        ("L2", {"l2": 0.2}),
        ("L1L2", {"l1": 0.1, "l2": 0.05}),
        ("L1L2", {}),
        ("OrthogonalRegularizer", {}),
        ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"}),
    ],
)
def test_values_and_configs_match_keras(keras, name, kwargs):
    ours = getattr(regularizers, name)(**kwargs)
    theirs = getattr(keras.regularizers, name)(**kwargs)
    w = _weight()
    expected = float(keras.ops.convert_to_numpy(theirs(keras.ops.convert_to_tensor(w))))
    np.testing.assert_allclose(float(ops.convert_to_numpy(ours(w))), expected, rtol=1e-6)
    # Keras keeps L1's and OrthogonalRegularizer's factor as a float32 tensor, so its config
    # reads 0.009999999776482582 for 0.01; cornu keeps the float given.
    assert ours.get_config() == pytest.approx(theirs.get_config())
    ours_serialized = regularizers.serialize(ours)
    theirs_serialized = keras.regularizers.serialize(theirs)
    assert ours_serialized["config"] == pytest.approx(theirs_serialized["config"])
    assert {**ours_serialized, "config": None} == {**theirs_serialized, "config": None}
    rebuilt = keras.regularizers.deserialize(ours_serialized)
    assert rebuilt.get_config() == pytest.approx(ours.get_config())
    assert regularizers.deserialize(theirs_serialized).get_config() == pytest.approx(
        theirs.get_config()
    )


def test_known_values():
    w = _weight()
    assert float(regularizers.L1(0.1)(w)) == pytest.approx(0.1 * 7.5)
    assert float(regularizers.L2(0.1)(w)) == pytest.approx(0.1 * 15.25)
    assert float(regularizers.L1L2(l1=0.1, l2=0.1)(w)) == pytest.approx(0.1 * 22.75)
    orthogonal = np.eye(3, dtype="float32")
    assert float(regularizers.OrthogonalRegularizer(1.0)(orthogonal)) == pytest.approx(0.0)


def test_names_and_aliases():
    assert isinstance(regularizers.get("l1"), regularizers.L1)
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert isinstance(regularizers.get("l1_l2"), regularizers.L1L2)
    assert isinstance(regularizers.get("l1l2"), regularizers.L1L2)
    assert regularizers.get("L1L2").get_config() == {"l1": 0.0, "l2": 0.0}  # as Keras
    assert isinstance(
        regularizers.get("orthogonal_regularizer"), regularizers.OrthogonalRegularizer
    )
    assert regularizers.l1 is regularizers.L1 and regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.l2(0.5).l2 == 0.5
    assert regularizers.get(None) is None
    custom = lambda w: ops.sum(w)  # noqa: E731
    assert regularizers.get(custom) is custom
    assert regularizers.get({"class_name": "L2", "config": {"l2": 0.3}}).l2 == 0.3


def test_errors():
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="expected a non-negative float. Received: l2=-1"):
        regularizers.L2(-1)
    with pytest.raises(ValueError, match="Received: mode=diagonal"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match=r"must have rank 2. Received: inputs.shape=\(3,\)"):
        regularizers.OrthogonalRegularizer()(np.ones(3, "float32"))
    with pytest.raises(ValueError, match="Layer 'dense'"):
        cornu.layers.Dense(2, kernel_regularizer="l3", name="dense").build((None, 3))
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        regularizers.Regularizer().get_config()


def test_penalties_appear_in_losses():
    layer = cornu.layers.Dense(2, kernel_regularizer=regularizers.L2(0.1), bias_regularizer="l1")
    layer.build((None, 3))
    kernel, bias = layer.get_weights()
    losses = [float(ops.convert_to_numpy(v)) for v in layer.losses]
    np.testing.assert_allclose(
        sorted(losses), sorted([0.1 * np.square(kernel).sum(), 0.01 * np.abs(bias).sum()])
    )
    model = cornu.Sequential([cornu.Input((3,)), layer])
    assert len(model.losses) == 2


def _model(lib, regularizer):
    model = lib.Sequential(
        [
            lib.Input((3,)),
            lib.layers.Dense(
                2,
                kernel_regularizer=regularizer,
                bias_regularizer=lib.regularizers.L1(0.05),
                name="dense",
            ),
        ]
    )
    model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
    return model


@pytest.mark.parametrize(
    "name,kwargs",
    [("L2", {"l2": 0.1}), ("L1L2", {"l1": 0.05, "l2": 0.02}), ("OrthogonalRegularizer", {})],
)
def test_fit_adds_the_penalty_like_keras(keras, name, kwargs):
    rng = np.random.RandomState(0)
    x = rng.standard_normal((4, 3)).astype("float32")
    y = rng.standard_normal((4, 2)).astype("float32")
    ours = _model(cornu, getattr(cornu.regularizers, name)(**kwargs))
    theirs = _model(keras, getattr(keras.regularizers, name)(**kwargs))
    weights = [rng.standard_normal(w.shape).astype("float32") for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    h_ours = ours.fit(x, y, batch_size=4, epochs=1, verbose=0)
    h_theirs = theirs.fit(x, y, batch_size=4, epochs=1, verbose=0)
    np.testing.assert_allclose(h_ours.history["loss"], h_theirs.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
    unregularized = float(np.mean(np.square(x @ weights[0] + weights[1] - y)))
    assert h_ours.history["loss"][0] > unregularized


def test_string_regularizer_in_fit_matches_keras(keras):
    rng = np.random.RandomState(1)
    x = rng.standard_normal((4, 3)).astype("float32")
    y = rng.standard_normal((4, 2)).astype("float32")
    ours, theirs = _model(cornu, "l2"), _model(keras, "l2")
    ours.set_weights(theirs.get_weights())
    h_ours = ours.fit(x, y, epochs=1, verbose=0)
    h_theirs = theirs.fit(x, y, epochs=1, verbose=0)
    np.testing.assert_allclose(h_ours.history["loss"], h_theirs.history["loss"], rtol=1e-5)
