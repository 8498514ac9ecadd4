"""Every optimizer against Keras: the base features (weight decay, clipping, EMA, gradient
accumulation, schedules), variables in Keras's order, state and config round trips."""

import copy
import re

import numpy as np
import pytest

from cornu import backend, optimizers

NAMES = [
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Adamax",
    "Nadam",
    "Lion",
    "Ftrl",
    "Lamb",
    "Adafactor",
    "Muon",
    "ScheduleFreeAdamW",
]
# SGD with momentum, so that it has slots too.
EXTRA = {"SGD": {"momentum": 0.5}}
FEATURES = [
    {"weight_decay": 0.2},
    {"clipnorm": 0.5},
    {"clipvalue": 0.3},
    {"global_clipnorm": 0.8},
    {"use_ema": True, "ema_momentum": 0.5},
    {"use_ema": True, "ema_overwrite_frequency": 2},
    {"gradient_accumulation_steps": 2},
    {"gradient_accumulation_steps": 3, "use_ema": True, "weight_decay": 0.1, "clipnorm": 1.0},
    {"loss_scale_factor": 8.0},
]


def keras_name(name):
    """Without the global counter Keras appends to unnamed variables (Nadam's `variable_3`)."""
    return re.sub(r"^variable_\d+$", "variable", name)


def _pair(keras, name, **config):
    config = {"learning_rate": 0.1, **EXTRA.get(name, {}), **config}
    return getattr(optimizers, name)(**config), getattr(keras.optimizers, name)(**config)


@pytest.mark.parametrize("config", FEATURES, ids=str)
@pytest.mark.parametrize("name", NAMES)
def test_base_features_match_keras(keras, compare_with_keras, name, config):
    ours, theirs = _pair(keras, name, **config)
    compare_with_keras(ours, theirs, steps=6, atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_schedule_learning_rate_matches_keras(keras, compare_with_keras, name):
    args = {"initial_learning_rate": 0.2, "decay_steps": 2, "decay_rate": 0.5}
    ours, theirs = _pair(keras, name)
    ours.learning_rate = optimizers.schedules.ExponentialDecay(**args)
    theirs.learning_rate = keras.optimizers.schedules.ExponentialDecay(**args)
    compare_with_keras(ours, theirs, steps=5, atol=1e-5)
    assert "learning_rate" not in [v.name for v in ours.variables]
    np.testing.assert_allclose(float(ours.learning_rate), 0.2 * 0.5**2.5, rtol=1e-6)


@pytest.mark.parametrize("name", ["Adam", "Nadam", "Lamb"])
def test_schedule_with_gradient_accumulation_reads_the_real_step(keras, compare_with_keras, name):
    # Keras evaluates the schedule at the count of calls, not of updates.
    args = {"initial_learning_rate": 0.1, "decay_steps": 3, "end_learning_rate": 0.01}
    config = {"gradient_accumulation_steps": 2}
    ours = getattr(optimizers, name)(
        learning_rate=optimizers.schedules.PolynomialDecay(**args), **config
    )
    theirs = getattr(keras.optimizers, name)(
        learning_rate=keras.optimizers.schedules.PolynomialDecay(**args), **config
    )
    compare_with_keras(ours, theirs, steps=6, atol=1e-5)
    assert int(ours.iterations) == 3 and int(ours._iterations) == 6


@pytest.mark.parametrize("name", NAMES)
def test_exclude_from_weight_decay_matches_keras(keras, compare_with_keras, name):
    ours, theirs = _pair(keras, name, weight_decay=0.3)
    ours.exclude_from_weight_decay(var_names=["a"])
    theirs.exclude_from_weight_decay(var_names=["a"])
    compare_with_keras(ours, theirs, steps=3, atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_variables_match_keras_after_build(keras, name):
    shapes = {"a": (3,), "b": (2, 4), "c": (2, 3, 2)}
    config = {**EXTRA.get(name, {}), "use_ema": True, "gradient_accumulation_steps": 2}
    ours = getattr(optimizers, name)(**config)
    theirs = getattr(keras.optimizers, name)(**config)
    ours.build([backend.Variable(np.zeros(s, "float32"), name=n) for n, s in shapes.items()])
    theirs.build([keras.Variable(np.zeros(s, "float32"), name=n) for n, s in shapes.items()])
    described = [(v.name, tuple(v.shape), v.dtype) for v in ours.variables]
    expected = [(keras_name(v.name), tuple(v.shape), v.dtype) for v in theirs.variables]
    assert described == expected
    assert ours.variables[0].path == f"{ours.name}/iteration"
    assert ours.variables[1].path == f"{ours.name}/learning_rate"


@pytest.mark.parametrize("name", NAMES)
def test_loads_keras_optimizer_state_and_continues_identically(keras, name):
    # Keras's save_own_variables store (what a .keras file holds under optimizer/vars) loads
    # into the cornu optimizer by index, and both then take the same steps.
    rng = np.random.default_rng(3)
    values = [rng.normal(size=s).astype("float32") for s in [(3,), (2, 4)]]
    grads = [[rng.normal(size=v.shape).astype("float32") for v in values] for _ in range(4)]
    theirs = getattr(keras.optimizers, name)(learning_rate=0.1, **EXTRA.get(name, {}))
    their_vars = [keras.Variable(v, name=n) for v, n in zip(values, "ab")]
    for g in grads[:2]:
        theirs.apply([keras.ops.convert_to_tensor(x) for x in g], their_vars)
    store = {}
    theirs.save_own_variables(store)

    ours = getattr(optimizers, name)(learning_rate=0.1, **EXTRA.get(name, {}))
    our_vars = [backend.Variable(v.numpy(), name=n) for v, n in zip(their_vars, "ab")]
    ours.build(our_vars)
    ours.load_own_variables(store)
    assert int(ours.iterations) == 2
    for g in grads[2:]:
        theirs.apply([keras.ops.convert_to_tensor(x) for x in g], their_vars)
        ours.apply([backend.convert_to_tensor(x) for x in g], our_vars)
    for mine, ref in zip(our_vars, their_vars):
        np.testing.assert_allclose(mine.numpy(), ref.numpy(), rtol=1e-5, atol=1e-5)
    mine = {}
    ours.save_own_variables(mine)
    assert sorted(mine) == sorted(store)


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trip_and_keras_configs(keras, name):
    schedule = optimizers.schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10)
    ours = getattr(optimizers, name)(learning_rate=schedule, clipvalue=0.5, name="opt")
    config = ours.get_config()
    clone = type(ours).from_config(config)
    assert clone.get_config() == config
    assert isinstance(clone._learning_rate, optimizers.schedules.CosineDecay)
    # Keras reads cornu's config, and cornu reads Keras's.
    theirs = getattr(keras.optimizers, name).from_config(copy.deepcopy(config))
    assert theirs.get_config() == config
    assert optimizers.get(keras.optimizers.serialize(theirs)).get_config() == config
    # Defaults are Keras's.
    defaults, keras_defaults = getattr(optimizers, name)().get_config(), theirs.__class__()
    keras_defaults = keras_defaults.get_config()
    defaults.pop("name"), keras_defaults.pop("name")
    assert defaults == keras_defaults


@pytest.mark.parametrize("name", NAMES)
def test_get_resolves_names_case_insensitively(name):
    for identifier in (name, name.lower(), name.upper()):
        assert type(optimizers.get(identifier)) is getattr(optimizers, name)


@pytest.mark.parametrize("name", NAMES)
def test_two_clipping_options_are_refused(name):
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue` and"):
        getattr(optimizers, name)(clipnorm=1.0, global_clipnorm=1.0)
