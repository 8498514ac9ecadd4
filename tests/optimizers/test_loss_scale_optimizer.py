"""LossScaleOptimizer: skipped steps and a halved scale on overflow, growth after good steps,
its config and its state in .keras files, against Keras's."""

import numpy as np
import pytest

import cornu


def _run(lib, grads_list, growth=2, scale=8.0):
    variable = lib.Variable(np.array([1.0, 2.0], "float32"))
    optimizer = lib.optimizers.LossScaleOptimizer(
        lib.optimizers.SGD(0.5), initial_scale=scale, dynamic_growth_steps=growth
    )
    trace = []
    for grads in grads_list:
        grad = lib.ops.convert_to_tensor(np.array(grads, "float32"))
        _apply(lib, optimizer, grad, variable)
        trace.append(
            (
                lib.ops.convert_to_numpy(variable).tolist(),
                float(lib.ops.convert_to_numpy(optimizer.dynamic_scale)),
                int(lib.ops.convert_to_numpy(optimizer.step_counter)),
                int(lib.ops.convert_to_numpy(optimizer.iterations)),
            )
        )
    return trace, optimizer


def _apply(lib, optimizer, grad, variable):
    """One step. Keras on JAX applies its LossScaleOptimizer statelessly (as its trainer does:
    its eager ``apply`` assigns inside ``lax.cond`` and leaks tracers there)."""
    if lib is cornu or lib.backend.backend() != "jax":
        optimizer.apply([grad], [variable])
        return
    if not optimizer.built:
        optimizer.build([variable])
    values = [v.value for v in optimizer.variables]
    (new_value,), new_values = optimizer.stateless_apply(values, [grad], [variable.value])
    variable.assign(new_value)
    for optimizer_variable, value in zip(optimizer.variables, new_values):
        optimizer_variable.assign(value)


GRADS = [[8.0, 8.0], [np.inf, 1.0], [4.0, 4.0], [np.nan, 0.0], [2.0, 2.0], [2.0, 2.0], [1.0, 1.0]]


def test_dynamic_scaling_matches_keras(keras):
    ours, _ = _run(cornu, GRADS)
    theirs, _ = _run(keras, GRADS)
    assert ours == theirs
    # A forced overflow skips the step (weights unchanged) and halves the scale.
    assert ours[1][0] == ours[0][0] and ours[1][1] == ours[0][1] / 2 and ours[1][2] == 0
    # Two finite steps in a row double it.
    assert ours[5][1] == 2 * ours[4][1]


@pytest.mark.backends("jax")
def test_traced_step_matches_the_eager_one():
    """Inside a StatelessScope (the JAX step) the skip/halve/grow decision is a `where`
    selection; it gives the eager numbers. (On torch the optimizer updates its gathered
    tensors in place, outside any scope.)"""
    eager, _ = _run(cornu, GRADS)
    variable = cornu.Variable(np.array([1.0, 2.0], "float32"))
    optimizer = cornu.optimizers.LossScaleOptimizer(
        cornu.optimizers.SGD(0.5), initial_scale=8.0, dynamic_growth_steps=2
    )
    optimizer.build([variable])
    state = [variable, *optimizer.variables]
    trace = []
    for grads in GRADS:
        grad = cornu.ops.convert_to_tensor(np.array(grads, "float32"))
        mapping = [(v, cornu.ops.convert_to_tensor(v.numpy())) for v in state]
        with cornu.StatelessScope(state_mapping=mapping) as scope:
            optimizer.apply([grad], [variable])
            new_values = [scope.get_current_value(v) for v in state]
        for target, value in zip(state, new_values):
            if value is not None:
                target.assign(value)
        trace.append(
            (
                cornu.ops.convert_to_numpy(variable).tolist(),
                float(optimizer.dynamic_scale.numpy()),
                int(optimizer.step_counter.numpy()),
                int(cornu.ops.convert_to_numpy(optimizer.iterations)),
            )
        )
    assert trace == eager


def test_scale_loss_and_delegation():
    trace, optimizer = _run(cornu, [[1.0, 1.0]], scale=4.0)
    assert float(cornu.ops.convert_to_numpy(optimizer.scale_loss(cornu.ops.ones(())))) == 4.0
    optimizer.learning_rate = 0.25
    assert float(optimizer.inner_optimizer.learning_rate.numpy()) == 0.25
    assert [v.name for v in optimizer.variables][:4] == [
        "iteration",
        "learning_rate",
        "step_counter",
        "dynamic_scale",
    ]
    unbuilt = cornu.optimizers.LossScaleOptimizer(cornu.optimizers.SGD(), initial_scale=16.0)
    assert float(cornu.ops.convert_to_numpy(unbuilt.scale_loss(cornu.ops.ones(())))) == 16.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"dynamic": False}, "no longer supports `dynamic=False`"),
        ({"clipnorm": 1.0}, "does not support `clipnorm`. Instead, set `clipnorm` on"),
        ({"foo": 1}, "does not support arguments: `foo`"),
        ({"dynamic_growth_steps": 0}, "`dynamic_growth_steps` must be a positive int"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        cornu.optimizers.LossScaleOptimizer(cornu.optimizers.SGD(), **kwargs)


def test_inner_must_be_an_optimizer():
    with pytest.raises(TypeError, match="`inner_optimizer` must be an Optimizer instance"):
        cornu.optimizers.LossScaleOptimizer("sgd")


def test_config_round_trips_with_keras(keras):
    ours = cornu.mixed_precision.LossScaleOptimizer(
        cornu.optimizers.Adam(0.01), initial_scale=64.0, dynamic_growth_steps=10
    )
    config = cornu.optimizers.serialize(ours)
    theirs = keras.optimizers.deserialize(config)
    assert isinstance(theirs, keras.optimizers.LossScaleOptimizer)
    assert (theirs.initial_scale, theirs.dynamic_growth_steps) == (64.0, 10)
    back = cornu.optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert isinstance(back, cornu.optimizers.LossScaleOptimizer)
    assert isinstance(back.inner_optimizer, cornu.optimizers.Adam)
    assert back.get_config()["initial_scale"] == 64.0


def _trained(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])
    model.compile(
        lib.optimizers.LossScaleOptimizer(
            lib.optimizers.SGD(0.1), initial_scale=2.0**20, dynamic_growth_steps=3
        ),
        "mse",
    )
    x = np.full((4, 3), 1e30, "float32")  # the scaled loss overflows: steps are skipped
    model.fit(x, np.ones((4, 2), "float32"), batch_size=2, verbose=0)
    return model


def test_state_saves_and_restores_both_ways(keras, tmp_path):
    ours, theirs = _trained(cornu), _trained(keras)
    ours_scale = float(ours.optimizer.dynamic_scale.numpy())
    assert ours_scale == float(keras.ops.convert_to_numpy(theirs.optimizer.dynamic_scale))
    assert ours_scale < 2.0**20
    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    for loaded in (
        keras.saving.load_model(tmp_path / "ours.keras"),
        cornu.saving.load_model(tmp_path / "theirs.keras"),
        cornu.saving.load_model(tmp_path / "ours.keras"),
    ):
        scale = loaded.optimizer.dynamic_scale
        value = scale.numpy() if hasattr(scale, "numpy") else keras.ops.convert_to_numpy(scale)
        assert float(value) == ours_scale
