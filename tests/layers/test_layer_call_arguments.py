"""How Layer.__call__ reads its arguments, as Keras's does: the first argument by name, array
arguments beside it converted, ``mask`` filled only for a call of one tensor, and a ``build``
of several shapes given every shape it names."""

import numpy as np
import pytest

import cornu

A = np.ones((2, 3), "float32")
B = np.full((2, 5), 2.0, "float32")


def two_input_layer(lib):
    class Project(lib.layers.Layer):
        def build(self, a_shape, b_shape=None):
            self.seen = (tuple(a_shape), None if b_shape is None else tuple(b_shape))
            self.w = self.add_weight(shape=(a_shape[-1] + b_shape[-1], 2), initializer="ones")

        def call(self, a, b=None):
            return lib.ops.matmul(lib.ops.concatenate([a, b], axis=-1), self.w)

    return Project()


@pytest.mark.parametrize("by_name", [False, True], ids=["positional", "keywords"])
def test_build_with_an_optional_second_shape_gets_both(keras, by_name):
    ours, theirs = two_input_layer(cornu), two_input_layer(keras)
    out = ours(a=A, b=B) if by_name else ours(A, B)
    expected = theirs(a=A, b=B) if by_name else theirs(A, B)
    assert ours.seen == ((2, 3), (2, 5))
    np.testing.assert_allclose(
        cornu.ops.convert_to_numpy(out), keras.ops.convert_to_numpy(expected)
    )
    assert ours.get_build_config() == {"shapes_dict": {"a_shape": [2, 3], "b_shape": [2, 5]}}


def test_build_of_several_shapes_from_symbolic_inputs():
    layer = two_input_layer(cornu)
    out = layer(cornu.Input((3,)), cornu.Input((5,)))
    assert layer.seen == ((None, 3), (None, 5)) and tuple(out.shape) == (None, 2)


def test_the_first_argument_given_by_its_name():
    class Double(cornu.layers.Layer):
        def call(self, x):
            return x * 2

    np.testing.assert_allclose(cornu.ops.convert_to_numpy(Double()(x=A)), 2 * A)


def test_an_array_beside_the_inputs_is_converted(keras):
    def scale(lib):
        class Scale(lib.layers.Layer):
            def build(self, shape):
                self.w = self.add_weight(shape=(), initializer="ones")

            def call(self, x, y):
                return x * self.w + y

        return Scale()

    expected = keras.ops.convert_to_numpy(scale(keras)(A, B[:, :3]))
    np.testing.assert_allclose(cornu.ops.convert_to_numpy(scale(cornu)(A, B[:, :3])), expected)


def test_mask_is_not_filled_from_the_first_of_several_tensors(keras):
    def probe(lib):
        class Probe(lib.layers.Layer):
            def call(self, x, other, mask=None):
                self.mask_seen = mask
                return x

        return Probe()

    for lib in (cornu, keras):
        ids = lib.Input((3,), dtype="int32")
        embedded = lib.layers.Embedding(4, 2, mask_zero=True)(ids)
        layer = probe(lib)
        model = lib.Model(ids, layer(embedded, lib.ops.ones((1, 3, 2))))
        model(np.array([[1, 2, 0]]))
        assert layer.mask_seen is None, lib.__name__


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_a_build_that_got_one_named_shape_writes_input_shape_as_keras(keras, name):
    x = np.ones((2, 4, 3), "float32")
    ours, theirs = getattr(cornu.layers, name)(2), getattr(keras.layers, name)(2)
    ours(x), theirs(x)
    expected = {"input_shape": list(theirs.get_build_config()["input_shape"])}
    assert ours.get_build_config() == expected
