"""Circle loss against Keras."""

import numpy as np
import pytest

from cornu import losses, ops
from cornu.backend import convert_to_numpy


def _embeddings(rng, n=8, dim=5):
    x = rng.normal(size=(n, dim)).astype("float32")
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
@pytest.mark.parametrize(
    "kwargs", [{}, {"gamma": 10.0, "margin": 0.25}, {"remove_diagonal": False}], ids=str
)
@pytest.mark.parametrize("weighted", [False, True])
def test_loss_matches_keras(keras, kwargs, reduction, weighted):
    rng = np.random.default_rng(0)
    labels = np.array([0, 1, 0, 2, 1, 0, 3, 2])
    embeddings = _embeddings(rng)
    sample_weight = rng.random(8).astype("float32") if weighted else None
    ours = losses.Circle(**kwargs, reduction=reduction)(labels, embeddings, sample_weight)
    theirs = keras.losses.Circle(**kwargs, reduction=reduction)(labels, embeddings, sample_weight)
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-5
    )


def test_function_with_references_matches_keras(keras):
    rng = np.random.default_rng(1)
    labels, embeddings = np.array([0, 1, 2, 1]), _embeddings(rng, 4)
    ref_labels, ref_embeddings = np.array([1, 0, 2, 2, 0, 1]), _embeddings(rng, 6)
    ours = losses.circle(labels, embeddings, ref_labels, ref_embeddings, remove_diagonal=False)
    convert = keras.ops.convert_to_tensor
    theirs = keras.losses.circle(
        convert(labels),
        convert(embeddings),
        convert(ref_labels),
        convert(ref_embeddings),
        remove_diagonal=False,
    )
    np.testing.assert_allclose(
        convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-5
    )


def test_samples_without_loss_are_masked():
    # Every sample alone in its class: no positives, so no loss and a mask of False.
    out = losses.circle(
        np.array([0, 1, 2]), ops.convert_to_tensor(_embeddings(np.random.default_rng(2), 3))
    )
    assert not np.any(convert_to_numpy(out._keras_mask))


def test_config_matches_keras(keras):
    loss = losses.Circle(gamma=20.0, margin=0.3, remove_diagonal=False, name="c")
    config = loss.get_config()
    assert (
        config
        == keras.losses.Circle(gamma=20.0, margin=0.3, remove_diagonal=False, name="c").get_config()
    )
    assert losses.deserialize(losses.serialize(loss)).get_config() == config
