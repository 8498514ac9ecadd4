"""The nn ops (ctc_decode, depth_to_space, fold, multi_hot, polar, psnr, ...) against keras.ops."""

import numpy as np
import pytest

from cornu import ops
from cornu.core.config import backend

RNG = np.random.default_rng(0)


def test_namespace_matches_keras(keras):
    # adaptive pooling is another part of the same issue.
    skipped = {"adaptive_average_pool", "adaptive_max_pool"}
    public = [n for n in dir(keras.ops.nn) if not n.startswith("_") and n not in skipped]
    assert [n for n in public if not hasattr(ops.nn, n)] == []
    assert [n for n in public if not hasattr(ops, n)] == []


def _logits(batch=2, steps=6, classes=4):
    return RNG.normal(size=(batch, steps, classes)).astype("float32")


@pytest.mark.parametrize("merge_repeated", [True, False])
@pytest.mark.parametrize("mask_index", [0, 3, None])
def test_ctc_greedy_decode(oracle, merge_repeated, mask_index):
    inputs = _logits()
    lengths = np.array([6, 4], dtype="int32")
    paths, scores = oracle.op(
        "nn.ctc_decode",
        inputs,
        lengths,
        strategy="greedy",
        merge_repeated=merge_repeated,
        mask_index=mask_index,
        atol=1e-5,
    )
    assert paths.shape == (1, 2, 6) and scores.shape == (2, 1)


def test_ctc_greedy_decode_merges_repeats_and_drops_blanks():
    # Steps: 1 1 0 1 2 2 with blank 0 -> labels 1 1 2 (the blank separates the two 1s).
    best = [1, 1, 0, 1, 2, 2]
    inputs = np.full((1, 6, 3), -5.0, dtype="float32")
    inputs[0, np.arange(6), best] = 0.0
    paths, scores = ops.ctc_decode(inputs, np.array([6]), strategy="greedy", mask_index=0)
    np.testing.assert_array_equal(ops.convert_to_numpy(paths)[0, 0], [1, 1, 2, -1, -1, -1])
    assert ops.dtype(paths) == "int32"
    np.testing.assert_allclose(ops.convert_to_numpy(scores), [[0.0]])


@pytest.mark.parametrize("top_paths", [1, 3])
@pytest.mark.parametrize("mask_index", [0, 2])
def test_ctc_beam_search_decode(oracle, top_paths, mask_index):
    inputs = _logits(batch=2, steps=5, classes=3)
    lengths = np.array([5, 3], dtype="int32")
    paths, scores = oracle.op(
        "nn.ctc_decode",
        inputs,
        lengths,
        strategy="beam_search",
        beam_width=4,
        top_paths=top_paths,
        mask_index=mask_index,
        atol=1e-5,
        rtol=1e-5,
    )
    assert paths.shape == (top_paths, 2, 5) and scores.shape == (2, top_paths)
    assert np.all(np.diff(scores, axis=1) <= 0)  # best path first


def test_ctc_beam_search_with_a_wide_beam_finds_the_most_likely_labelling():
    # Two steps, classes {blank=0, 1}: P("1") = 1 - P(blank blank) is the larger.
    probs = np.array([[[0.6, 0.4], [0.6, 0.4]]], dtype="float32")
    paths, scores = ops.ctc_decode(
        np.log(probs), np.array([2]), strategy="beam_search", beam_width=10, top_paths=2
    )
    paths = ops.convert_to_numpy(paths)
    np.testing.assert_array_equal(paths[0, 0], [1, -1])
    np.testing.assert_array_equal(paths[1, 0], [-1, -1])
    np.testing.assert_allclose(np.exp(ops.convert_to_numpy(scores)), [[0.64, 0.36]], rtol=1e-5)


def test_ctc_decode_rejects_an_unknown_strategy():
    with pytest.raises(ValueError, match="'greedy' and 'beam_search'"):
        ops.ctc_decode(_logits(), np.array([6, 6]), strategy="best")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_depth_to_space_and_space_to_depth(oracle, data_format):
    shape = (2, 3, 4, 8) if data_format == "channels_last" else (2, 8, 3, 4)
    x = RNG.normal(size=shape).astype("float32")
    oracle.op("nn.depth_to_space", x, 2, data_format=data_format)
    y = RNG.normal(size=(2, 4, 6, 6)).astype("float32")
    oracle.op("nn.space_to_depth", y, 2, data_format=data_format)
    back = ops.depth_to_space(ops.space_to_depth(y, 2, data_format), 2, data_format)
    np.testing.assert_array_equal(ops.convert_to_numpy(back), y)


def test_depth_to_space_checks_its_arguments():
    with pytest.raises(ValueError, match="block_size"):
        ops.depth_to_space(np.zeros((1, 2, 2, 4)), 1)
    with pytest.raises(ValueError, match="divisible by block_size\\*\\*2"):
        ops.depth_to_space(np.zeros((1, 2, 2, 6)), 2)
    with pytest.raises(ValueError, match="4-D"):
        ops.space_to_depth(np.zeros((2, 2, 4)), 2)


@pytest.mark.parametrize(
    "kwargs", [{}, {"stride": 2}, {"padding": 1, "dilation": (1, 2)}, {"stride": (1, 2)}]
)
def test_unfold_and_fold(oracle, keras, kwargs):
    # Keras's unfold takes tensors only (no NumPy arrays).
    x = ops.convert_to_tensor(RNG.normal(size=(2, 3, 6, 7)).astype("float32"))
    cols = oracle.op("nn.unfold", x, 3, **kwargs)
    if backend() == "jax" and kwargs.get("stride") == 2:
        # Keras's JAX fold returns only the rows the patches reach (5 of output_size's 6);
        # torch.nn.functional.fold, and cornu, fill the requested size with zeros.
        ours = ops.convert_to_numpy(ops.fold(ops.convert_to_tensor(cols), (6, 7), 3, **kwargs))
        theirs = keras.ops.convert_to_numpy(
            keras.ops.nn.fold(keras.ops.convert_to_tensor(cols), (6, 7), 3, **kwargs)
        )
        np.testing.assert_allclose(ours[:, :, :5], theirs, atol=1e-5)
        np.testing.assert_array_equal(ours[:, :, 5:], 0.0)
        return
    oracle.op("nn.fold", ops.convert_to_tensor(cols), (6, 7), 3, **kwargs, atol=1e-5)


def test_fold_and_unfold_check_ranks():
    with pytest.raises(ValueError, match="4-D"):
        ops.unfold(np.zeros((3, 6, 6), "float32"), 2)
    with pytest.raises(ValueError, match="3-D"):
        ops.fold(np.zeros((1, 3, 6, 6), "float32"), (4, 4), 2)


def test_hard_swish(oracle):
    assert ops.hard_swish is ops.hard_silu  # as in Keras: one function, two names
    x = np.linspace(-5, 5, 11).astype("float32")
    oracle.op("nn.hard_swish", x)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.hard_swish(x)), x * np.clip(x + 3, 0, 6) / 6
    )


@pytest.mark.parametrize("dtype", [None, "int32", "bool"])
def test_multi_hot(oracle, dtype):
    x = np.array([[0, 2, 2], [3, 1, 0]])
    result = oracle.op("nn.multi_hot", x, 5, dtype=dtype)
    np.testing.assert_array_equal(result.astype(int), [[1, 0, 1, 0, 0], [1, 1, 0, 1, 0]])
    oracle.op("nn.multi_hot", np.array([1, 3]), num_classes=4)


def test_multi_hot_takes_num_tokens_and_needs_a_size():
    result = ops.multi_hot(np.array([[1]]), num_tokens=3)
    np.testing.assert_array_equal(ops.convert_to_numpy(result), [[0, 1, 0]])
    with pytest.raises(ValueError, match="num_classes"):
        ops.multi_hot(np.array([[1]]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_polar(oracle, dtype):
    magnitude = RNG.uniform(0, 2, size=(3, 2)).astype(dtype)
    angle = RNG.uniform(-3, 3, size=(3, 2)).astype(dtype)
    oracle.op("nn.polar", magnitude, angle, atol=1e-6)


def test_polar_needs_floats():
    with pytest.raises(ValueError, match="float"):
        ops.polar(np.array([1, 2]), np.array([0.0, 1.0]))


def test_psnr(oracle):
    x1 = RNG.uniform(size=(2, 8, 8, 3)).astype("float32")
    x2 = np.clip(x1 + RNG.normal(scale=0.05, size=x1.shape), 0, 1).astype("float32")
    result = oracle.op("nn.psnr", x1, x2, 1.0, rtol=1e-5)
    mse = np.mean((x1 - x2) ** 2)
    np.testing.assert_allclose(result, 10 * np.log10(1.0 / mse), rtol=1e-5)
    with pytest.raises(ValueError, match="same shape"):
        ops.psnr(x1, x2[:1], 1.0)
