"""MultiOptimizer and OptimizerMap against Keras: the dispatch, the variables, the config and
a compiled model's .keras round trip."""

import io
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import cornu
from cornu import backend, layers, optimizers


def _map(lib):
    return lib.optimizers.OptimizerMap(
        lib.optimizers.SGD(learning_rate=0.1, momentum=0.5), {"b": lib.optimizers.Adam(0.1)}
    )


def test_matches_keras_with_an_optimizer_map(keras, compare_with_keras):
    ours = optimizers.MultiOptimizer(_map(cornu))
    theirs = keras.optimizers.MultiOptimizer(_map(keras))
    compare_with_keras(ours, theirs, steps=4)
    assert [type(o).__name__ for o in ours.optimizers] == ["Adam", "SGD"]
    assert int(ours.iterations) == 4
    assert [int(o.iterations) for o in ours.optimizers] == [4, 4]


def test_matches_keras_with_a_function(keras, compare_with_keras):
    def selector(lib):
        adam, sgd = lib.optimizers.Adam(0.05), lib.optimizers.SGD(0.1)
        return lambda variable: adam if len(variable.shape) == 2 else sgd

    shapes = {"a": (3,), "b": (2, 4), "c": (4,)}
    ours = optimizers.MultiOptimizer(selector(cornu), loss_scale_factor=4.0)
    theirs = keras.optimizers.MultiOptimizer(selector(keras), loss_scale_factor=4.0)
    compare_with_keras(ours, theirs, steps=3, shapes=shapes)
    assert [o.loss_scale_factor for o in ours.optimizers] == [4.0, 4.0]


def test_optimizer_map_lookups_and_errors():
    adam, sgd, rmsprop = optimizers.Adam(), optimizers.SGD(), optimizers.RMSprop()
    table = optimizers.OptimizerMap(default_optimizer=rmsprop)
    table["encoder/layer_0/dense"] = adam
    table["encoder/.*"] = sgd
    table["decoder"] = adam
    assert table["decoder"] is adam
    assert table["encoder/layer_0/dense"] is adam  # an exact key wins over a pattern
    assert table["encoder/layer_0/attention/query"] is sgd
    assert table["decoder/layer_0/dense"] is rmsprop
    assert len(table) == 3 and list(table) == ["encoder/layer_0/dense", "encoder/.*", "decoder"]
    with pytest.raises(ValueError, match="'decoder' already exists in the OptimizerMap"):
        table["decoder"] = sgd
    table[".*/query"] = adam
    with pytest.raises(ValueError, match="Multiple optimizers assigned to variable"):
        table["encoder/layer_0/attention/query"]
    with pytest.raises(ValueError, match="must be an Optimizer instance"):
        table["x"] = "adam"
    with pytest.raises(ValueError, match="cannot be a MultiOptimizer"):
        table["x"] = optimizers.MultiOptimizer(optimizers.OptimizerMap(adam))
    with pytest.raises(TypeError, match="`default_optimizer` must be an Optimizer instance"):
        optimizers.OptimizerMap("sgd")


def test_learning_rate_belongs_to_the_inner_optimizers():
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD()))
    with pytest.raises(AttributeError, match="cannot be accessed on a MultiOptimizer"):
        _ = multi.learning_rate
    with pytest.raises(AttributeError, match="cannot be set on a MultiOptimizer"):
        multi.learning_rate = 0.1


def test_a_selector_must_return_an_optimizer():
    multi = optimizers.MultiOptimizer(lambda variable: "sgd")
    w = backend.Variable(np.zeros(2, "float32"), name="w")
    with pytest.raises(ValueError, match="the optimizer for variable 'w' is not an Optimizer"):
        multi.build([w])


def test_wrong_number_of_gradients():
    multi = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD()))
    w = [backend.Variable(np.zeros(2, "float32"), name=n) for n in "ab"]
    multi.build(w)
    with pytest.raises(ValueError, match="Received 1 gradients and 2 variables"):
        multi.apply([backend.convert_to_tensor(np.ones(2, "float32"))])


def test_config_round_trip_and_keras_reads_it(keras):
    multi = optimizers.MultiOptimizer(_map(cornu), name="multi")
    config = optimizers.serialize(multi)
    clone = optimizers.deserialize(config)
    assert isinstance(clone, optimizers.MultiOptimizer)
    assert clone.get_config() == multi.get_config()
    assert clone._optimizer_map["b"].get_config() == multi._optimizer_map["b"].get_config()
    theirs = keras.optimizers.deserialize(config)
    assert theirs.name == "multi"
    for key in ("b", None):
        their_inner = theirs._optimizer_map[key] if key else theirs._optimizer_map.default_optimizer
        our_inner = multi._optimizer_map[key] if key else multi._optimizer_map.default_optimizer
        assert their_inner.get_config() == our_inner.get_config()
    back = optimizers.deserialize(keras.optimizers.serialize(theirs))
    assert back.get_config() == multi.get_config()


def _model():
    inputs = cornu.Input((4,))
    hidden = layers.Dense(3, name="encoder")(inputs)
    model = cornu.Model(inputs, layers.Dense(1, name="head")(hidden))
    table = optimizers.OptimizerMap(optimizers.SGD(0.1), {"encoder/.*": optimizers.Adam(0.01)})
    model.compile(optimizer=optimizers.MultiOptimizer(table), loss="mse")
    return model


def test_fit_save_and_load_keep_every_optimizer_state(tmp_path, keras):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 4)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")
    model = _model()
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    adam, sgd = model.optimizer.optimizers
    assert [v.name for v in adam.variables[2:]] == [
        "encoder_kernel_momentum",
        "encoder_kernel_velocity",
        "encoder_bias_momentum",
        "encoder_bias_velocity",
    ]
    assert int(model.optimizer.iterations) == 4 and int(sgd.iterations) == 4
    path = str(tmp_path / "multi.keras")
    model.save(path)
    loaded = cornu.saving.load_model(path)
    assert isinstance(loaded.optimizer, optimizers.MultiOptimizer)
    saved = [v.numpy() for v in model.optimizer.variables]
    restored = [v.numpy() for v in loaded.optimizer.variables]
    assert len(saved) == len(restored) == 2 + 6 + 2
    for a, b in zip(saved, restored):
        np.testing.assert_array_equal(a, b)
    # The file is laid out as Keras's: Keras reads it, with the same optimizer state.
    with (
        zipfile.ZipFile(path) as archive,
        h5py.File(io.BytesIO(archive.read("model.weights.h5"))) as h5,
    ):
        assert sorted(h5["optimizer/optimizers"]) == ["adam", "sgd"]
        assert len(h5["optimizer/optimizers/adam/vars"]) == 6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        theirs = keras.saving.load_model(path)
    for a, b in zip(saved, theirs.optimizer.variables):
        np.testing.assert_allclose(a, keras.ops.convert_to_numpy(b.value))
