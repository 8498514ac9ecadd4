"""Model members beyond training: get/set_state_tree, stateless_compute_loss, the step
functions, Sequential's input/output shapes and quantize."""

import numpy as np
import pytest

import cornu
from cornu import ops


def _model(lib):
    model = lib.Sequential(
        [
            lib.Input((3,)),
            lib.layers.Dense(2, name="dense"),
            lib.layers.BatchNormalization(name="bn"),
        ],
        name="seq",
    )
    model.compile(optimizer="sgd", loss="mse", metrics=[lib.metrics.MeanAbsoluteError()])
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    return model


def _shape_tree(tree):
    if isinstance(tree, dict):
        return {k: _shape_tree(v) for k, v in tree.items()}
    return tuple(np.shape(tree))


@pytest.mark.requires_training  # the model is fitted first
def test_state_tree_has_keras_layout(keras):
    ours, theirs = _model(cornu), _model(keras)
    our_tree = ours.get_state_tree(value_format="numpy_array")
    their_tree = theirs.get_state_tree(value_format="numpy_array")
    assert _shape_tree(our_tree) == _shape_tree(their_tree)
    assert isinstance(our_tree["trainable_variables"]["seq"]["dense"]["kernel"], np.ndarray)
    tensors = ours.get_state_tree()
    assert cornu.backend.is_tensor(tensors["trainable_variables"]["seq"]["dense"]["kernel"])
    with pytest.raises(ValueError, match="Invalid `value_format` argument"):
        ours.get_state_tree("lists")


@pytest.mark.requires_training  # the model is fitted first
def test_set_state_tree_round_trip_and_errors():
    model = _model(cornu)
    tree = model.get_state_tree(value_format="numpy_array")
    tree["trainable_variables"]["seq"]["dense"]["bias"] = np.array([5.0, 6.0], "float32")
    tree["metrics_variables"]["loss"]["count"] = np.array(9.0, "float32")
    model.set_state_tree(tree)
    np.testing.assert_array_equal(model.layers[0].bias.numpy(), [5.0, 6.0])
    assert float(ops.convert_to_numpy(model.metrics[0].variables[1])) == 9.0
    with pytest.raises(ValueError, match="hold 'seq/nope', which is no variable"):
        model.set_state_tree({"trainable_variables": {"seq": {"nope": np.ones(1)}}})
    with pytest.raises(ValueError, match="Unknown variable group 'weights'"):
        model.set_state_tree({"weights": {}})


@pytest.mark.requires_training  # the model is fitted first
def test_stateless_compute_loss_changes_no_variable():
    model = _model(cornu)
    x, y = np.ones((2, 3), "float32"), np.zeros((2, 2), "float32")
    trainable = [np.zeros(v.shape, "float32") for v in model.trainable_variables]
    non_trainable = [v.numpy() for v in model.non_trainable_variables]
    metrics = [v.numpy() for v in model.metrics_variables]
    before = [v.numpy().copy() for v in model.trainable_variables]
    y_pred = model(x)  # the model's own weights: a loss different from zero weights'
    loss, (t, nt, mv) = model.stateless_compute_loss(
        trainable, non_trainable, metrics, x=x, y=y, y_pred=y_pred
    )
    expected = model.compute_loss(x=x, y=y, y_pred=y_pred)
    np.testing.assert_allclose(ops.convert_to_numpy(loss), ops.convert_to_numpy(expected))
    assert t is trainable and len(nt) == len(non_trainable) and len(mv) == len(metrics)
    for variable, value in zip(model.trainable_variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)


@pytest.mark.requires_training  # the model is fitted first
def test_step_functions_and_shapes():
    model = _model(cornu)
    step = model.make_train_function()
    assert callable(step) and model.train_function is step
    assert model.make_train_function() is step
    assert callable(model.make_test_function()) and callable(model.make_predict_function())
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    unbuilt = cornu.Sequential([cornu.layers.Dense(1)])
    with pytest.raises(AttributeError, match="input_shape"):
        _ = unbuilt.input_shape  # as Keras: no shape before the model is built
    with pytest.raises(AttributeError, match="output_shape"):
        _ = unbuilt.output_shape


@pytest.mark.requires_training  # the model is fitted first
def test_quantize_quantizes_the_layers_that_can_be():
    model = _model(cornu)
    assert model.get_quantization_layer_structure("int8") is None
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        model.quantize("int3")
    with pytest.warns(UserWarning, match="Layer BatchNormalization does not have a `quantize`"):
        model.quantize("int8")
    assert [layer.dtype_policy.name for layer in model.layers] == ["int8_from_float32", "float32"]
    x = np.ones((4, 3), "float32")
    expected = cornu.ops.convert_to_numpy(model(x, training=False))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)


def test_state_tree_paths_of_functional_and_subclassed_models(keras):
    def functional(lib):
        inputs = lib.Input((3,))
        model = lib.Model(inputs, lib.layers.Dense(2, name="d")(inputs), name="f")
        model.compile(optimizer="sgd", loss="mse")
        return model

    def subclassed(lib):
        class Sub(lib.Model):
            def __init__(self):
                super().__init__(name="sub")
                self.d = lib.layers.Dense(2, name="d")

            def call(self, x):
                return self.d(x)

        model = Sub()
        model(np.ones((1, 3), "float32"))
        model.compile(optimizer="sgd", loss="mse")
        return model

    for make in (functional, subclassed):
        ours = make(cornu).get_state_tree("numpy_array")["trainable_variables"]
        theirs = make(keras).get_state_tree("numpy_array")["trainable_variables"]
        assert _shape_tree(ours) == _shape_tree(theirs)
