"""The Loss base: custom subclasses, reductions, sample weights, masks, no host syncs."""

import numpy as np
import pytest

from cornu import backend, losses, ops
from cornu.backend import convert_to_numpy


class Squares(losses.Loss):
    def call(self, y_true, y_pred):
        return ops.mean(ops.square(y_pred - y_true), axis=-1)


def _keras_squares(keras):
    class KerasSquares(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1)

    return KerasSquares


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]
)
@pytest.mark.parametrize("weighted", [False, True])
def test_custom_loss_reductions_match_keras(keras, reduction, weighted):
    rng = np.random.default_rng(0)
    y_true = rng.random((5, 3)).astype("float32")
    y_pred = rng.random((5, 3)).astype("float32")
    sample_weight = rng.random(5).astype("float32") if weighted else None
    ours = Squares(reduction=reduction)(y_true, y_pred, sample_weight=sample_weight)
    theirs = _keras_squares(keras)(reduction=reduction)(y_true, y_pred, sample_weight)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-6, atol=1e-7
    )


def test_default_name_and_config():
    loss = Squares()
    assert loss.name == "squares"
    assert Squares().name == "squares_1"
    assert loss.get_config() == {"name": "squares", "reduction": "sum_over_batch_size"}
    assert loss.dtype == "float32"
    again = Squares.from_config(loss.get_config())
    assert again.name == loss.name and again.reduction == loss.reduction


def test_invalid_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction='average'"):
        Squares(reduction="average")


def test_a_subclass_without_call_says_so():
    with pytest.raises(NotImplementedError, match="call"):
        losses.Loss()(np.ones((2, 1)), np.ones((2, 1)))


def test_empty_batch_gives_zero_not_nan(keras):
    empty = np.zeros((0, 3), dtype="float32")
    # Empty per-sample losses come back unreduced, as in Keras.
    assert tuple(losses.MeanSquaredError()(empty, empty).shape) == (0,)
    assert tuple(keras.losses.MeanSquaredError()(empty, empty).shape) == (0,)
    both = np.zeros((0, 2, 3), dtype="float32")
    assert float(convert_to_numpy(losses.MeanSquaredError()(both, both))) == 0.0


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight"])
@pytest.mark.parametrize("weighted", [False, True])
def test_mask_on_predictions_matches_keras(keras, reduction, weighted):
    from keras.src.backend import set_keras_mask

    rng = np.random.default_rng(1)
    y_true = rng.random((4, 3, 2)).astype("float32")
    mask = ops.convert_to_tensor(np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]], bool))
    sample_weight = rng.random((4, 3)).astype("float32") if weighted else None
    y_pred = ops.convert_to_tensor(rng.random((4, 3, 2)).astype("float32"))
    set_keras_mask(y_pred, mask)
    assert losses.loss.get_keras_mask(y_pred) is mask
    ours = losses.MeanSquaredError(reduction=reduction)(y_true, y_pred, sample_weight)
    theirs = keras.losses.MeanSquaredError(reduction=reduction)(y_true, y_pred, sample_weight)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-6
    )


def test_nested_structures_are_accepted(keras):
    rng = np.random.default_rng(2)
    y_true = [rng.random((3, 2)).astype("float32"), rng.random((3, 2)).astype("float32")]
    y_pred = [rng.random((3, 2)).astype("float32"), rng.random((3, 2)).astype("float32")]

    def total(y_true, y_pred):
        return sum(losses.mean_squared_error(t, p) for t, p in zip(y_true, y_pred))

    wrapper = losses.LossFunctionWrapper(total, name="total")
    expected = np.mean(
        sum(np.mean((t - p) ** 2, axis=-1) for t, p in zip(y_true, y_pred)), dtype="float32"
    )
    np.testing.assert_allclose(convert_to_numpy(wrapper(y_true, y_pred)), expected, rtol=1e-6)


@pytest.mark.backends("torch")  # torch's meta device
def test_losses_run_on_the_meta_device_so_never_sync_with_the_host():
    """Meta tensors hold no data: any read back to the host (item, bool, numpy) would fail."""
    rng = np.random.default_rng(3)
    with backend.device_scope("meta"):
        probs = rng.random((4, 3)).astype("float32")
        labels = rng.integers(0, 3, (4,))
        one_hot = np.eye(3, dtype="float32")[labels]
        cases = [
            (losses.MeanSquaredError(), probs, probs),
            (losses.MeanAbsoluteError(reduction="sum"), probs, probs),
            (losses.BinaryCrossentropy(label_smoothing=0.1), probs.round(), probs),
            (losses.CategoricalCrossentropy(from_logits=True), one_hot, probs),
            (losses.SparseCategoricalCrossentropy(), labels, probs),
            (losses.SparseCategoricalCrossentropy(ignore_class=0), labels[:, None], probs),
        ]
        for loss, y_true, y_pred in cases:
            for sample_weight in (None, np.ones(4, dtype="float32")):
                out = loss(y_true, y_pred, sample_weight=sample_weight)
                assert out.device.type == "meta"
                assert tuple(out.shape) == ()


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight"])
@pytest.mark.parametrize("weighted", [False, True])
def test_mask_and_ignore_class_combine_as_in_keras(keras, reduction, weighted):
    """A padding mask on the predictions and ignore_class's own mask are merged (both must
    keep an entry), then folded into the weights with Keras's normalization."""
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 4, (4, 5))
    logits = rng.normal(size=(4, 5, 4)).astype("float32")
    mask = np.arange(5)[None, :] < np.array([[5], [3], [1], [4]])
    sample_weight = rng.random((4, 5)).astype("float32") if weighted else None
    ours_pred = ops.convert_to_tensor(logits)
    ours_pred._keras_mask = ops.convert_to_tensor(mask)
    theirs_pred = keras.ops.convert_to_tensor(logits)
    theirs_pred._keras_mask = keras.ops.convert_to_tensor(mask)
    kwargs = {"from_logits": True, "ignore_class": 2, "reduction": reduction}
    ours = losses.SparseCategoricalCrossentropy(**kwargs)(labels, ours_pred, sample_weight)
    theirs = keras.losses.SparseCategoricalCrossentropy(**kwargs)(
        labels, theirs_pred, sample_weight
    )
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-6
    )
