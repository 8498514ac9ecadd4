"""The Optimizer base: variables, learning rate, clipping, weight decay, EMA, accumulation."""

import warnings

import numpy as np
import pytest

from cornu import backend, ops, optimizers


def _var(values, name="w"):
    return backend.Variable(np.asarray(values, "float32"), name=name)


def _tensor(values):
    return backend.convert_to_tensor(np.asarray(values, "float32"))


def test_variables_in_keras_order(keras):
    shapes = [(2,), (3,)]
    ours = optimizers.Adam(amsgrad=True, use_ema=True, gradient_accumulation_steps=2)
    theirs = keras.optimizers.Adam(amsgrad=True, use_ema=True, gradient_accumulation_steps=2)
    ours.build([_var(np.zeros(s), n) for s, n in zip(shapes, "ab")])
    theirs.build([keras.Variable(np.zeros(s, "float32"), name=n) for s, n in zip(shapes, "ab")])
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    assert [v.dtype for v in ours.variables] == [v.dtype for v in theirs.variables]
    assert ours.variables[0].path == f"{ours.name}/iteration"


@pytest.mark.parametrize(
    "config",
    [
        {"use_ema": True},
        {"use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2},
        {"gradient_accumulation_steps": 2},
        {"gradient_accumulation_steps": 3, "use_ema": True, "weight_decay": 0.1},
        {"loss_scale_factor": 4.0},
    ],
    ids=str,
)
def test_ema_accumulation_and_loss_scale_match_keras(keras, compare_with_keras, config):
    for cls in ("SGD", "Adam"):
        ours = getattr(optimizers, cls)(learning_rate=0.1, **config)
        theirs = getattr(keras.optimizers, cls)(learning_rate=0.1, **config)
        compare_with_keras(ours, theirs, steps=6)


def test_finalize_variable_values_copies_the_averages():
    w = _var([1.0, 1.0])
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    opt.apply([_tensor([1.0, 2.0])], [w])  # w = [0, -1]; first step: average = w
    opt.apply([_tensor([1.0, 2.0])], [w])  # w = [-1, -3]; average = [-0.5, -2]
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [-0.5, -2.0])


def test_exclude_from_weight_decay_matches_keras(keras, compare_with_keras):
    ours = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    theirs = keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    ours.exclude_from_weight_decay(var_names=["b"])
    theirs.exclude_from_weight_decay(var_names=["b"])
    compare_with_keras(ours, theirs)


def test_exclude_from_weight_decay_by_variable():
    a, b = _var([1.0], "a"), _var([1.0], "b")
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=1.0)
    opt.exclude_from_weight_decay(var_list=[a])
    opt.apply([_tensor([0.0]), _tensor([0.0])], [a, b])
    np.testing.assert_allclose([a.numpy()[0], b.numpy()[0]], [1.0, 0.9], rtol=1e-6)


@pytest.mark.backends("torch")  # reads the torch tensor's device
def test_learning_rate_is_a_settable_cpu_variable():
    opt = optimizers.SGD(learning_rate=0.5)
    assert float(opt.learning_rate) == 0.5
    assert opt.learning_rate.value.device.type == "cpu"
    assert opt.iterations.value.device.type == "cpu"
    w = _var([0.0])
    opt.learning_rate = 0.25
    opt.apply([_tensor([1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [-0.25])
    opt.learning_rate.assign(1.0)
    opt.apply([_tensor([1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [-1.25])
    assert int(opt.iterations) == 2


def test_learning_rate_callable_without_arguments_matches_keras(keras, compare_with_keras):
    ours = optimizers.RMSprop(learning_rate=lambda: 0.05)
    theirs = keras.optimizers.RMSprop(learning_rate=lambda: 0.05)
    compare_with_keras(ours, theirs)
    assert "learning_rate" not in [v.name for v in ours.variables]


def test_learning_rate_callable_of_the_step():
    seen = []

    def schedule(step):
        seen.append(int(step))
        return 0.1 * (int(step) + 1)

    w = _var([0.0])
    opt = optimizers.SGD(learning_rate=schedule)
    for _ in range(3):
        opt.apply([_tensor([1.0])], [w])
    assert seen == [0, 1, 2]
    np.testing.assert_allclose(w.numpy(), [-0.6], rtol=1e-6)


def test_schedule_object_matches_keras(keras, compare_with_keras):
    schedule = {"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5}
    ours = optimizers.Adam(learning_rate=_HalvingSchedule(0.1))
    theirs = keras.optimizers.Adam(
        learning_rate=keras.optimizers.schedules.ExponentialDecay(**schedule)
    )
    compare_with_keras(ours, theirs)
    with pytest.raises(TypeError, match="schedule"):
        ours.learning_rate = 0.1


class _HalvingSchedule:
    def __init__(self, initial):
        self.initial = initial

    def __call__(self, step):
        return self.initial * 0.5 ** float(step)

    def get_config(self):
        return {"initial": self.initial}


def test_setting_a_callable_drops_the_learning_rate_variable():
    opt = optimizers.SGD(learning_rate=0.1)
    opt.learning_rate = lambda: 0.3
    assert [v.name for v in opt.variables] == ["iteration"]
    assert opt.learning_rate == 0.3


def test_none_gradients_are_skipped_with_a_warning():
    a, b = _var([1.0], "a"), _var([1.0], "b")
    opt = optimizers.SGD(learning_rate=0.1, momentum=0.9)
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        opt.apply([None, _tensor([1.0])], [a, b])
    np.testing.assert_allclose([a.numpy()[0], b.numpy()[0]], [1.0, 0.9], rtol=1e-6)
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.apply([None, None], [a, b])


def test_variables_in_another_order_match_keras(keras):
    rng = np.random.default_rng(1)
    values = [rng.normal(size=s).astype("float32") for s in [(2,), (3,)]]
    grads = [rng.normal(size=s).astype("float32") for s in [(2,), (3,)]]
    ours = [backend.Variable(v, name=n) for v, n in zip(values, "ab")]
    theirs = [keras.Variable(v, name=n) for v, n in zip(values, "ab")]
    opt, ref = optimizers.Adam(learning_rate=0.1), keras.optimizers.Adam(learning_rate=0.1)
    opt.build(ours), ref.build(theirs)
    for _ in range(2):
        opt.apply([_tensor(g) for g in grads[::-1]], ours[::-1])
        ref.apply([keras.ops.convert_to_tensor(g) for g in grads[::-1]], theirs[::-1])
    for mine, expected in zip(opt.variables, ref.variables):
        np.testing.assert_allclose(mine.numpy(), expected.numpy(), rtol=1e-6, atol=1e-6)


def test_apply_without_variables_uses_the_built_ones():
    w = _var([1.0, 2.0])
    opt = optimizers.SGD(learning_rate=1.0)
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([_tensor([1.0, 1.0])])
    opt.build([w])
    opt.apply([_tensor([1.0, 1.0])])
    np.testing.assert_allclose(w.numpy(), [0.0, 1.0])
    with pytest.raises(ValueError, match="Received 2 gradients"):
        opt.apply([_tensor([1.0, 1.0]), _tensor([1.0])])


def test_apply_gradients_returns_the_iterations():
    w = _var([1.0])
    opt = optimizers.SGD()
    assert int(opt.apply_gradients([(_tensor([1.0]), w)])) == 1


def test_unknown_variable_is_refused():
    opt = optimizers.SGD()
    opt.build([_var([1.0], "a")])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([_tensor([1.0])], [_var([1.0], "b")])


def test_constraints_are_applied_after_the_update():
    w = _var([1.0, -1.0])
    w.constraint = lambda v: v * 0 + 0.5
    optimizers.SGD().apply([_tensor([1.0, 1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.5, 0.5])


def test_keras_style_update_step_subclass():
    class SignSGD(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            # A boolean tensor times a float: torch promotes, TensorFlow (and Keras on it)
            # refuses, so the Keras-style step casts first, as a portable one must.
            self.assign_sub(variable, ops.cast(gradient > 0, "float32") * 2.0 - 1.0)

    w = _var([0.0, 0.0])
    SignSGD().apply([_tensor([3.0, -0.1])], [w])
    np.testing.assert_allclose(w.numpy(), [-1.0, 1.0])


def test_weights_round_trip():
    w = _var([1.0, 2.0])
    opt = optimizers.Adam()
    opt.apply([_tensor([1.0, -1.0])], [w])
    store = {}
    opt.save_own_variables(store)
    fresh = optimizers.Adam()
    fresh.build([w])
    fresh.load_own_variables(store)
    for a, b in zip(opt.variables, fresh.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    fresh.set_weights([np.array(7, "int32")] + [v.numpy() for v in opt.variables[1:]])
    assert int(fresh.iterations) == 7
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizers.Adam().load_own_variables(store)
    assert "Skipping variable loading" in str(caught[0].message)


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.Adam, optimizers.RMSprop])
def test_get_config_round_trip(cls):
    opt = cls(learning_rate=0.25, weight_decay=0.01, clipnorm=1.0, name="opt")
    clone = cls.from_config(opt.get_config())
    assert clone.get_config() == opt.get_config()
    assert clone.get_config()["learning_rate"] == 0.25


def test_constructor_errors():
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.SGD(lr=0.1)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.SGD(gradient_accumulation_steps=1)
    with pytest.raises(ValueError, match="ema_momentum"):
        optimizers.SGD(use_ema=True, ema_momentum=2.0)
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.SGD(learning_rate="fast")


def test_finalize_variable_values_defaults_to_the_built_variables():
    w = _var([4.0])
    opt = optimizers.Adagrad(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    for _ in range(2):
        opt.apply([_tensor([1.0])], [w])
    average = opt.variables[2].numpy()
    assert opt.variables[2].name == "w_average"
    opt.finalize_variable_values()
    np.testing.assert_allclose(w.numpy(), average)


def test_callable_learning_rate_is_not_settable_to_a_number():
    opt = optimizers.Lion(learning_rate=lambda: 0.01)
    with pytest.raises(TypeError, match="callable.*not settable"):
        opt.learning_rate = 0.1


def test_build_twice_creates_nothing_more():
    w = _var([1.0])
    opt = optimizers.Nadam()
    opt.build([w])
    count = len(opt.variables)
    opt.build([w])
    assert len(opt.variables) == count == 5
