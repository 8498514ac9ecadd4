"""Layer members beyond build and call: stateless_call, symbolic_call, dtype_policy, metrics,
add_variable, and the errors of add_metric and quantize."""

import numpy as np
import pytest

import cornu
from cornu import ops


def _numpy(values):
    return [ops.convert_to_numpy(v) for v in values]


def test_stateless_call_matches_keras_and_changes_nothing(keras, oracle):
    ours, theirs = cornu.layers.BatchNormalization(), keras.layers.BatchNormalization()
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    ours(x), theirs(x)
    rng = np.random.default_rng(1)
    trainable = [rng.normal(size=(3,)).astype("float32") for _ in range(2)]
    non_trainable = [rng.normal(size=(3,)).astype("float32"), np.ones(3, "float32")]
    given = [v.copy() for v in non_trainable]
    out, updated = ours.stateless_call(trainable, non_trainable, x, training=True)
    their_out, their_updated = theirs.stateless_call(trainable, non_trainable, x, training=True)
    oracle.values(out, their_out, atol=1e-5)
    oracle.values(updated, their_updated, atol=1e-6)
    np.testing.assert_array_equal(_numpy(ours.non_trainable_variables), [np.zeros(3), np.ones(3)])
    np.testing.assert_array_equal(_numpy(ours.trainable_variables), [np.ones(3), np.zeros(3)])
    np.testing.assert_array_equal(non_trainable, given)  # the given arrays are not written


@pytest.mark.requires_training  # takes gradients through stateless_call
def test_stateless_call_gradients_reach_the_given_values():
    layer = cornu.layers.Dense(1, use_bias=False)
    layer.build((None, 2))
    x = np.array([[3.0, 4.0]], "float32")

    def forward(kernel):
        return ops.sum(layer.stateless_call([kernel], [], x)[0])

    value, (grad,) = cornu.backend.value_and_gradients(
        forward, [np.array([[1.0], [2.0]], "float32")]
    )
    assert float(ops.convert_to_numpy(value)) == 11.0
    np.testing.assert_array_equal(ops.convert_to_numpy(grad), [[3.0], [4.0]])


def test_stateless_call_of_a_sequential_passes_training_to_its_layers(keras, oracle):
    x = np.random.default_rng(2).normal(size=(8, 3)).astype("float32")
    ours = cornu.Sequential([cornu.layers.Input((3,)), cornu.layers.BatchNormalization()])
    theirs = keras.Sequential([keras.layers.Input((3,)), keras.layers.BatchNormalization()])
    trainable = [np.full(3, 2.0, "float32"), np.full(3, 0.5, "float32")]
    non_trainable = [np.zeros(3, "float32"), np.ones(3, "float32")]
    out, updated = ours.stateless_call(trainable, non_trainable, x, training=True)
    their_out, their_updated = theirs.stateless_call(trainable, non_trainable, x, training=True)
    # Batch statistics (training) normalise each column to mean 0.5 (the beta given).
    np.testing.assert_allclose(ops.convert_to_numpy(out).mean(axis=0), [0.5] * 3, atol=1e-5)
    oracle.values(out, their_out, atol=1e-5)
    oracle.values(updated, their_updated, atol=1e-6)
    assert not np.allclose(ops.convert_to_numpy(updated[0]), 0.0)


def test_stateless_call_collects_losses():
    class AddsLoss(cornu.layers.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x))
            return x

    layer = AddsLoss()
    layer(np.ones((2,), "float32"))
    _, _, losses = layer.stateless_call([], [], np.ones((3,), "float32"), return_losses=True)
    assert [float(ops.convert_to_numpy(v)) for v in losses] == [3.0]
    assert [float(ops.convert_to_numpy(v)) for v in layer.losses] == [2.0]


def test_stateless_call_errors():
    layer = cornu.layers.Dense(2)
    with pytest.raises(ValueError, match="To call stateless_call, Dense must be built"):
        layer.stateless_call([], [], np.ones((1, 3)))
    layer.build((None, 3))
    with pytest.raises(ValueError, match=r"Dense\(\).trainable_variables. Received list with"):
        layer.stateless_call([np.ones((3, 2))], [], np.ones((1, 3)))
    with pytest.raises(ValueError, match="it should have shape"):
        layer.stateless_call([np.ones((2, 2)), np.ones(2)], [], np.ones((1, 3)))


def test_stateless_scope_records_assignments():
    variable = cornu.Variable(np.zeros(2, "float32"), name="v")
    with cornu.StatelessScope([(variable, np.ones(2, "float32"))]) as scope:
        np.testing.assert_array_equal(ops.convert_to_numpy(variable.value), [1.0, 1.0])
        variable.assign_add(np.ones(2, "float32"))
        np.testing.assert_array_equal(
            ops.convert_to_numpy(scope.get_current_value(variable)), [2, 2]
        )
    np.testing.assert_array_equal(variable.numpy(), [0.0, 0.0])
    with pytest.raises(ValueError, match="must be Variable instances"):
        cornu.StatelessScope([(np.ones(2), np.ones(2))])


def test_symbolic_scope_skips_state_updates():
    layer = cornu.layers.BatchNormalization()
    layer(np.ones((4, 2), "float32"))
    with cornu.SymbolicScope():
        layer.moving_mean.assign(np.full(2, 5.0, "float32"))
    np.testing.assert_array_equal(layer.moving_mean.numpy(), [0.0, 0.0])


def test_symbolic_call_records_a_node():
    layer = cornu.layers.Dense(3)
    inputs = cornu.Input((2,))
    out = layer.symbolic_call(inputs)
    assert out.shape == (None, 3) and out._keras_history[0] is layer


def test_small_members(keras):
    layer = cornu.layers.Dense(2, dtype="float64")
    assert (
        layer.dtype_policy.name
        == "float64"
        == keras.layers.Dense(2, dtype="float64").dtype_policy.name
    )
    assert layer.input_dtype == "float64" and layer.quantization_mode is None
    weight = layer.add_variable((2,), "ones", name="w")
    assert weight.path == "dense/w" and weight.numpy().tolist() == [1.0, 1.0]
    with pytest.raises(NotImplementedError, match="`add_metric\\(\\)` method is deprecated"):
        layer.add_metric(1.0)
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        layer.quantize("foo")
    with pytest.raises(ValueError, match="Cannot quantize a layer that isn't yet built"):
        layer.quantize("int8")


def test_metrics_held_by_a_layer():
    class Tracks(cornu.layers.Layer):
        def __init__(self):
            super().__init__()
            self.tracker = cornu.metrics.Mean(name="seen")

        def call(self, x):
            return x

    outer = cornu.Sequential([cornu.Input((1,)), Tracks()])
    inner = outer.layers[0]
    assert inner.metrics == [inner.tracker]
    assert [v.name for v in inner.metrics_variables] == ["total", "count"]


@pytest.mark.requires_training  # runs a backward pass
def test_remat_scope_recomputes_in_the_backward_pass():
    calls = []

    class Square(cornu.layers.Layer):
        def call(self, x):
            calls.append(1)
            return x * x

    with cornu.RematScope(mode="full"):
        remat = Square()
    plain = Square()
    for layer, expected_calls in ((plain, 1), (remat, 2)):
        calls.clear()
        x = np.array([1.0, 2.0], "float32")
        _, (grad,) = cornu.backend.value_and_gradients(
            lambda t, layer=layer: ops.sum(layer(t)), [x]
        )
        np.testing.assert_array_equal(ops.convert_to_numpy(grad), [2.0, 4.0])
        if cornu.backend.backend() == "torch":
            # torch runs the Python call again in the backward pass; jax recomputes inside
            # its traced program (one Python trace).
            assert len(calls) == expected_calls


def test_remat_scope_modes():
    with cornu.RematScope(mode="list_of_layers", layer_names=["picked"]):
        picked, other = cornu.layers.Dense(1, name="picked"), cornu.layers.Dense(1, name="other")
    x = np.ones((2, 3), "float32")
    picked(x), other(x)
    assert picked.rematerialized_call(picked.call, x) is not picked.call
    assert other.rematerialized_call(other.call, x) == other.call
    with cornu.RematScope(mode="larger_than", output_size_threshold=10):
        big, small = cornu.layers.Dense(20), cornu.layers.Dense(2)
    big(x), small(x)
    assert big.rematerialized_call(big.call, x) is not big.call
    assert small.rematerialized_call(small.call, x) == small.call
    with cornu.RematScope(mode=None):
        assert cornu.layers.Dense(1)._remat_mode is None
    with pytest.raises(ValueError, match="Invalid mode 'bogus'"):
        cornu.RematScope(mode="bogus")


@pytest.mark.backends("torch")  # torch parameters
def test_torch_params_are_the_variables_parameters():
    model = cornu.Sequential([cornu.Input((2,)), cornu.layers.Dense(1)])
    params = model.torch_params
    assert list(params) == ["dense/kernel", "dense/bias"]
    assert params["dense/kernel"] is model.layers[0].kernel.value


@pytest.mark.backends("torch")  # Keras's torch Layer is a torch.nn.Module, with its members
def test_layer_model_and_sequential_have_kerass_members(keras):
    for ours, theirs in (
        (cornu.layers.Layer, keras.layers.Layer),
        (cornu.Model, keras.Model),
        (cornu.Sequential, keras.Sequential),
    ):
        instance_attributes = {"input_spec", "supports_masking", "jit_compile", "run_eagerly"}
        missing = {
            n for n in dir(theirs) if not n.startswith("_") and not hasattr(ours, n)
        } - instance_attributes
        assert missing == set(), f"{ours.__name__} lacks {sorted(missing)}"
    model = cornu.Sequential([cornu.Input((2,)), cornu.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    assert model.jit_compile is False and model.run_eagerly is False
    dense = model.layers[0]
    assert dense.supports_masking is keras.layers.Dense(1).supports_masking is True
    assert hasattr(dense, "input_spec")
