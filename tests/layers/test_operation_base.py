"""cornu.Operation: custom weightless operations, eager and in Functional graphs."""

import numpy as np

import cornu


class Scale(cornu.Operation):
    def call(self, x, factor):
        return x * factor


class Halves(cornu.Operation):
    def call(self, x):
        return x[..., :2], x[..., 2:]

    def compute_output_spec(self, x):
        return (
            cornu.KerasTensor(x.shape[:-1] + (2,), dtype=x.dtype),
            cornu.KerasTensor(x.shape[:-1] + (x.shape[-1] - 2,), dtype=x.dtype),
        )


def test_eager_and_symbolic_calls():
    out = Scale()(np.ones((2,), "float32"), 3.0)
    np.testing.assert_array_equal(cornu.ops.convert_to_numpy(out), [3.0, 3.0])
    inputs = cornu.Input((4,))
    first, second = Halves()(inputs)
    assert first.shape == (None, 2) and second.shape == (None, 2)


def test_operations_in_a_functional_model():
    inputs = cornu.Input((4,))
    scaled = Scale(name="scale")(inputs, 2.0)
    model = cornu.Model(inputs, cornu.layers.Dense(1, kernel_initializer="ones")(scaled))
    assert [layer.name for layer in model.layers] == ["input_layer", "dense"]
    out = model(np.ones((3, 4), "float32"))
    np.testing.assert_allclose(cornu.ops.convert_to_numpy(out), np.full((3, 1), 8.0))


def test_every_layer_is_an_operation(keras):
    assert isinstance(cornu.layers.Dense(1), cornu.Operation)
    assert isinstance(keras.layers.Dense(1), keras.Operation)
    assert issubclass(cornu.layers.Dense, cornu.Operation)
    assert not isinstance(3, cornu.Operation)
    assert not isinstance(cornu.layers.Dense(1), Scale)
    assert Scale().get_config() == {"name": "scale"}
