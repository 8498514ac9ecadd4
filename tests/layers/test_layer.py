"""The Layer base: masks on tensors, symbolic calls, weights, tracking and penalties."""

import numpy as np
import pytest

import cornu
from cornu import ops
from cornu.core.config import backend


class MaskZeros(cornu.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_mask(self, inputs, previous_mask=None):
        return ops.not_equal(inputs, 0)


class MaskedSum(cornu.Layer):
    def call(self, inputs, mask=None):
        if mask is None:
            return ops.sum(inputs, axis=1)
        return ops.sum(inputs * ops.cast(mask, inputs.dtype), axis=1)


class PassThrough(cornu.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs * 2


def test_mask_is_set_eagerly_and_passed_through_supporting_layers():
    x = np.array([[1.0, 0.0, 3.0]], dtype="float32")
    masked = MaskZeros()(x)
    np.testing.assert_array_equal(ops.convert_to_numpy(masked._keras_mask), [[True, False, True]])
    doubled = PassThrough()(masked)
    np.testing.assert_array_equal(ops.convert_to_numpy(doubled._keras_mask), [[True, False, True]])
    out = MaskedSum()(doubled + 1)  # arithmetic drops the mask, as in Keras
    np.testing.assert_allclose(ops.convert_to_numpy(out), [11.0])
    out = MaskedSum()(doubled)
    np.testing.assert_allclose(ops.convert_to_numpy(out), [8.0])


def test_mask_flows_through_a_functional_model():
    inputs = cornu.Input((3,))
    masked = MaskZeros()(inputs)
    assert masked._keras_mask.shape == (None, 3)
    outputs = MaskedSum()(PassThrough()(masked))
    model = cornu.Model(inputs, outputs)
    x = np.array([[1.0, 5.0, 3.0], [0.0, 2.0, 0.0]], dtype="float32")
    y = MaskedSum()(ops.convert_to_tensor(x * 2))
    np.testing.assert_allclose(model.predict(x, verbose=0), ops.convert_to_numpy(y))
    np.testing.assert_allclose(ops.convert_to_numpy(model(x)), [18.0, 4.0])


def test_layer_without_masking_support_drops_the_mask():
    x = np.array([[1.0, 0.0]], dtype="float32")
    out = MaskedSum()(PassThrough()(MaskZeros()(x)))
    assert getattr(out, "_keras_mask", None) is None


def test_activity_regularizer_is_divided_by_the_batch_size():
    layer = cornu.layers.Dense(
        1, kernel_initializer="ones", use_bias=False, activity_regularizer=lambda y: ops.sum(y)
    )
    layer(np.ones((4, 2), dtype="float32"))
    np.testing.assert_allclose(float(ops.convert_to_numpy(layer.losses[0])), 8.0 / 4)


def test_frozen_layer_adds_no_weight_penalty():
    layer = cornu.layers.Dense(1, kernel_regularizer=lambda w: ops.sum(w * 0 + 1))
    layer.build((None, 2))
    assert len(layer.losses) == 1
    layer.trainable = False
    assert layer.losses == []


class CountCalls(cornu.Layer):
    def build(self, input_shape):
        self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False, name="calls")

    def call(self, inputs):
        self.calls.assign(self.calls + 1.0)
        return inputs


def test_symbolic_calls_change_no_state():
    layer = CountCalls()
    outputs = layer(cornu.Input((3,)))
    assert outputs.shape == (None, 3)
    assert float(layer.calls.numpy()) == 0.0
    layer(np.ones((2, 3), dtype="float32"))
    assert float(layer.calls.numpy()) == 1.0


def test_get_weights_returns_copies_that_later_updates_leave_alone():
    layer = cornu.layers.Dense(1)
    layer.build((None, 2))
    saved = layer.get_weights()
    layer.kernel.assign(np.zeros((2, 1)))
    assert np.any(saved[0] != 0)


@pytest.mark.requires_training
def test_layers_appended_to_a_list_attribute_are_tracked_and_trained():
    class Blocks(cornu.Model):
        def __init__(self):
            super().__init__()
            self.blocks = []
            for _ in range(3):
                self.blocks.append(cornu.layers.Dense(2))
            self.extra = []
            self.extra += [cornu.layers.Dense(1)]

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self.extra[0](x)

    model = Blocks()
    model(np.ones((1, 2), "float32"))
    assert len(model.trainable_weights) == 8
    if backend() == "torch":  # torch.nn.Module's view of the same weights
        assert len(list(model.parameters())) == 8
    model.compile(optimizer="sgd", loss="mse")
    before = [w.copy() for w in model.get_weights()]
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    assert all(np.any(a != b) for a, b in zip(before, model.get_weights()))
    assert model.blocks == model.blocks[:]  # still a list to its users
