"""Constraints: values against Keras, names, configs, and their use after optimizer steps."""

import numpy as np
import pytest

import cornu
from cornu import constraints, ops


def _weight():
    return np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0], [0.2, 0.1, -0.3]], "float32")


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("MaxNorm", {}),
        ("MaxNorm", {"max_value": 1.5, "axis": 1}),
        ("MaxNorm", {"max_value": 1.0, "axis": [0, 1]}),
        ("MinMaxNorm", {}),
        ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0, "rate": 0.5, "axis": 1}),
        ("NonNeg", {}),
        ("UnitNorm", {}),
        ("UnitNorm", {"axis": 1}),
    ],
)
def test_values_and_configs_match_keras(keras, name, kwargs):
    ours = getattr(constraints, name)(**kwargs)
    theirs = getattr(keras.constraints, name)(**kwargs)
    w = _weight()
    expected = keras.ops.convert_to_numpy(theirs(keras.ops.convert_to_tensor(w)))
    np.testing.assert_allclose(ops.convert_to_numpy(ours(w)), expected, rtol=1e-6, atol=1e-7)
    assert ours.get_config() == theirs.get_config()
    assert constraints.serialize(ours) == keras.constraints.serialize(theirs)
    rebuilt = constraints.deserialize(keras.constraints.serialize(theirs))
    assert type(rebuilt) is type(ours) and rebuilt.get_config() == ours.get_config()


def test_known_values():
    w = np.array([[3.0, 0.0], [4.0, 1.0]], "float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(constraints.MaxNorm(1.0)(w)), [[0.6, 0.0], [0.8, 1.0]], atol=1e-6
    )
    np.testing.assert_allclose(
        ops.convert_to_numpy(constraints.UnitNorm()(w)), [[0.6, 0.0], [0.8, 1.0]], atol=1e-6
    )
    np.testing.assert_array_equal(
        ops.convert_to_numpy(constraints.NonNeg()(-w)), np.zeros((2, 2), "float32")
    )


def test_names_and_aliases():
    for name, cls in [
        ("max_norm", constraints.MaxNorm),
        ("min_max_norm", constraints.MinMaxNorm),
        ("non_neg", constraints.NonNeg),
        ("unit_norm", constraints.UnitNorm),
        ("NonNeg", constraints.NonNeg),
    ]:
        assert isinstance(constraints.get(name), cls)
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.get(None) is None
    assert constraints.get(constraints.UnitNorm).get_config() == {"axis": 0}
    assert constraints.Constraint()(3.0) == 3.0 and constraints.Constraint().get_config() == {}
    with pytest.raises(ValueError, match="Unknown constraint: 'non_negative'. Did you mean"):
        constraints.get("non_negative")


def _model(lib, constraint):
    model = lib.Sequential(
        [lib.Input((3,)), lib.layers.Dense(4, kernel_constraint=constraint, name="dense")]
    )
    model.compile(optimizer=lib.optimizers.SGD(0.5), loss="mse")
    return model


@pytest.mark.parametrize(
    "identifier", ["non_neg", "max_norm", {"class_name": "UnitNorm", "config": {"axis": 1}}]
)
def test_constraint_applied_after_each_step_like_keras(keras, identifier):
    rng = np.random.RandomState(0)
    x = rng.standard_normal((8, 3)).astype("float32")
    y = (rng.standard_normal((8, 4)) * 3).astype("float32")
    ours, theirs = _model(cornu, identifier), _model(keras, identifier)
    weights = [rng.standard_normal(w.shape).astype("float32") for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    h_ours = ours.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    h_theirs = theirs.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(h_ours.history["loss"], h_theirs.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
    kernel = ours.get_layer("dense").kernel.numpy()
    if identifier == "non_neg":
        assert np.all(kernel >= 0) and np.any(weights[0] < 0)
