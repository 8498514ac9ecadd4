"""CTC loss (and ops.ctc_loss) against Keras, with Keras's label and blank conventions."""

import numpy as np
import pytest

from cornu import losses, ops
from cornu.backend import convert_to_numpy

LABELS = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [1, 1, 1, 0], [2, 0, 0, 0]])


def _logits(rng, batch=4, time=7, classes=5):
    return rng.normal(size=(batch, time, classes)).astype("float32")


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]
)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_dtype", ["int32", "int64", "float32"])
def test_loss_matches_keras(keras, reduction, weighted, label_dtype):
    rng = np.random.default_rng(0)
    logits = _logits(rng)
    labels = LABELS.astype(label_dtype)
    sample_weight = rng.random(4).astype("float32") if weighted else None
    ours = losses.CTC(reduction=reduction)(labels, logits, sample_weight)
    theirs = keras.losses.CTC(reduction=reduction)(labels, logits, sample_weight)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-5
    )


def test_known_value_with_blank_0():
    # One time step and the label [2]: the only path emits class 2, so the loss is
    # -log(softmax(logits)[2]).
    logits = np.array([[[0.5, -1.0, 2.0]]], dtype="float32")
    expected = -(2.0 - np.log(np.exp(logits).sum()))
    out = losses.ctc(np.array([[2, 0]]), logits)
    np.testing.assert_allclose(convert_to_numpy(out), [expected], rtol=1e-6)


def test_ctc_loss_op_with_lengths_and_mask_index_matches_keras(keras):
    rng = np.random.default_rng(1)
    logits = _logits(rng)
    target = np.array([[0, 1, 2, 3], [1, 1, 3, 3], [2, 0, 0, 3], [3, 3, 3, 3]])
    target_length = np.array([3, 2, 1, 4], dtype="int32")
    output_length = np.array([7, 5, 6, 7], dtype="int32")
    ours = ops.ctc_loss(target, logits, target_length, output_length, mask_index=4)
    theirs = keras.ops.ctc_loss(target, logits, target_length, output_length, mask_index=4)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5
    )


def test_shapes_are_checked():
    with pytest.raises(ValueError, match=r"y_true.shape=\(4,\)"):
        losses.ctc(np.ones(4), _logits(np.random.default_rng(2)))
    with pytest.raises(ValueError, match=r"y_pred.shape=\(4, 5\)"):
        losses.ctc(LABELS, np.ones((4, 5), dtype="float32"))


def test_config_and_name(keras):
    assert losses.get("ctc") is losses.ctc
    config = losses.CTC(reduction="sum").get_config()
    assert config == keras.losses.CTC(reduction="sum").get_config()
    assert isinstance(losses.deserialize({"class_name": "CTC", "config": config}), losses.CTC)
