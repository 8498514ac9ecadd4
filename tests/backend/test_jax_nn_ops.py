"""The JAX backend's nn, rnn, math, linalg and signal families against cornu-on-torch: the same
values and dtypes (64-bit results narrowed, as jax's default 32-bit mode gives them), the same
errors, and every training op usable under ``jax.jit`` and ``jax.grad``."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
torch = pytest.importorskip("torch")

import jax.numpy as jnp  # noqa: E402

from cornu.backend.jax import linalg as jax_linalg  # noqa: E402
from cornu.backend.jax import math as jax_math  # noqa: E402
from cornu.backend.jax import nn as jax_nn  # noqa: E402
from cornu.backend.jax import rnn as jax_rnn  # noqa: E402
from cornu.backend.torch import linalg as torch_linalg  # noqa: E402
from cornu.backend.torch import math as torch_math  # noqa: E402
from cornu.backend.torch import nn as torch_nn  # noqa: E402
from cornu.backend.torch import rnn as torch_rnn  # noqa: E402

FAMILIES = {
    "nn": (jax_nn, torch_nn),
    "math": (jax_math, torch_math),
    "linalg": (jax_linalg, torch_linalg),
}
_NARROW = {"int64": "int32", "float64": "float32", "complex128": "complex64", "uint64": "uint32"}

rng = np.random.default_rng(0)


def _f(*shape):
    return rng.standard_normal(shape).astype("float32")


def _to_numpy(x):
    if isinstance(x, (list, tuple)):
        return [_to_numpy(v) for v in x]
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _compare(ours, theirs, atol, rtol=1e-5):
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _compare(a, b, atol, rtol)
        return
    ours, theirs = _to_numpy(ours), _to_numpy(theirs)
    expected = _NARROW.get(theirs.dtype.name, theirs.dtype.name)
    assert ours.dtype.name == expected, f"dtype {ours.dtype} != {expected}"
    assert ours.shape == theirs.shape, f"shape {ours.shape} != {theirs.shape}"
    np.testing.assert_allclose(ours, theirs, atol=atol, rtol=rtol)


def _torch_args(args):
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(torch.from_numpy(a.copy()))
        elif isinstance(a, tuple) and a and isinstance(a[0], np.ndarray):
            out.append(tuple(torch.from_numpy(v.copy()) for v in a))
        else:
            out.append(a)
    return out


def _jax_args(args):
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(jnp.asarray(a))
        elif isinstance(a, tuple) and a and isinstance(a[0], np.ndarray):
            out.append(tuple(jnp.asarray(v) for v in a))
        else:
            out.append(a)
    return out


X = _f(2, 3, 4)
IMG = _f(2, 7, 6, 3)
LABELS = np.array([[1, 2, 2, 0], [3, 1, 0, 0]], dtype="int32")
SQUARE = _f(3, 3) + 3 * np.eye(3, dtype="float32")
SPD = SQUARE @ SQUARE.T
ATT_Q, ATT_K = _f(2, 3, 4, 5), _f(2, 6, 2, 5)
PROBS = np.abs(_f(2, 3, 4)) + 0.1

CASES = [
    # activations
    *[
        ("nn", name, (X,), {})
        for name in (
            "relu",
            "relu6",
            "sigmoid",
            "tanh",
            "softsign",
            "softplus",
            "silu",
            "swish",
            "log_sigmoid",
            "selu",
            "leaky_relu",
            "elu",
            "celu",
            "hard_sigmoid",
            "hard_silu",
            "mish",
            "hard_tanh",
            "hard_shrink",
            "soft_shrink",
            "tanh_shrink",
            "squareplus",
            "sparse_plus",
            "sparse_sigmoid",
            "sparsemax",
            "softmax",
            "log_softmax",
            "glu",
        )
    ],  # fmt: skip
    ("nn", "gelu", (X,), {"approximate": True}),
    ("nn", "gelu", (X,), {"approximate": False}),
    ("nn", "threshold", (X, 0.1, -2.0), {}),
    ("nn", "softmax", (X,), {"axis": (1, 2)}),
    ("nn", "log_softmax", (X,), {"axis": 1}),
    ("nn", "relu", (np.array([-2, 3], dtype="int32"),), {}),
    ("nn", "one_hot", (np.array([0, 2, 5, -1], dtype="int32"), 4), {}),
    ("nn", "one_hot", (np.array([[0, 2], [1, 3]], dtype="int32"), 4), {"axis": 0}),
    ("nn", "multi_hot", (np.array([[0, 2], [1, 1]], dtype="int32"), 4), {}),
    # losses
    ("nn", "categorical_crossentropy", (np.eye(4, dtype="float32")[[0, 3, 1]], _f(3, 4)), {}),
    (
        "nn",
        "categorical_crossentropy",
        (np.eye(4, dtype="float32")[[0, 3, 1]], _f(3, 4)),
        {"from_logits": True},
    ),
    ("nn", "sparse_categorical_crossentropy", (np.array([0, 3, 1]), PROBS[0, :3]), {}),
    (
        "nn",
        "sparse_categorical_crossentropy",
        (np.array([[0], [3], [1]]), _f(3, 4)),
        {"from_logits": True},
    ),
    (
        "nn",
        "binary_crossentropy",
        (np.array([0.0, 1.0, 1.0], "float32"), np.array([0.2, 0.7, 0.99], "float32")),
        {},
    ),  # noqa: E501
    (
        "nn",
        "binary_crossentropy",
        (np.array([0.0, 1.0, 1.0], "float32"), _f(3)),
        {"from_logits": True},
    ),  # noqa: E501
    ("nn", "dense", (_f(2, 3), _f(3, 4), _f(4)), {}),
    ("nn", "dense", (np.arange(6, dtype="int32").reshape(2, 3), _f(3, 4)), {}),
    # convolutions and pooling
    ("nn", "conv", (IMG, _f(3, 3, 3, 4)), {}),
    ("nn", "conv", (IMG, _f(3, 2, 3, 4)), {"strides": 2, "padding": "same"}),
    ("nn", "conv", (IMG, _f(3, 3, 1, 6)), {"padding": "same", "dilation_rate": 2}),
    (
        "nn",
        "conv",
        (np.moveaxis(IMG, -1, 1), _f(2, 2, 3, 2)),
        {"data_format": "channels_first", "padding": "same", "strides": (2, 1)},
    ),  # noqa: E501
    ("nn", "conv", (_f(2, 9, 3), _f(4, 3, 2)), {"padding": "same", "strides": 2}),
    ("nn", "conv", (_f(1, 4, 5, 6, 2), _f(2, 2, 2, 2, 3)), {"padding": "same"}),
    ("nn", "depthwise_conv", (IMG, _f(3, 3, 3, 2)), {"padding": "same", "strides": 2}),
    ("nn", "separable_conv", (IMG, _f(3, 3, 3, 2), _f(1, 1, 6, 4)), {"padding": "same"}),
    ("nn", "conv_transpose", (IMG, _f(3, 3, 5, 3)), {"strides": 2}),
    ("nn", "conv_transpose", (IMG, _f(3, 3, 5, 3)), {"strides": 2, "padding": "same"}),
    (
        "nn",
        "conv_transpose",
        (IMG, _f(2, 3, 5, 3)),
        {"strides": (2, 3), "padding": "valid", "output_padding": 1},
    ),  # noqa: E501
    (
        "nn",
        "conv_transpose",
        (_f(2, 5, 3), _f(4, 2, 3)),
        {"strides": 3, "padding": "same", "dilation_rate": 1},
    ),  # noqa: E501
    (
        "nn",
        "conv_transpose",
        (np.moveaxis(IMG, -1, 1), _f(3, 3, 2, 3)),
        {"strides": 2, "padding": "same", "data_format": "channels_first"},
    ),  # noqa: E501
    ("nn", "max_pool", (IMG, 2), {}),
    ("nn", "max_pool", (IMG, 3), {"strides": 2, "padding": "same"}),
    (
        "nn",
        "max_pool",
        (np.moveaxis(IMG, -1, 1), (2, 3)),
        {"padding": "same", "data_format": "channels_first"},
    ),  # noqa: E501
    ("nn", "average_pool", (IMG, 2), {}),
    ("nn", "average_pool", (IMG, 3), {"strides": 2, "padding": "same"}),
    ("nn", "average_pool", (_f(2, 9, 3), 4), {"strides": 3, "padding": "same"}),
    ("nn", "adaptive_average_pool", (IMG, (3, 4)), {}),
    ("nn", "adaptive_max_pool", (np.moveaxis(IMG, -1, 1), 4), {"data_format": "channels_first"}),
    # normalization
    ("nn", "moments", (X, (0, 2)), {}),
    ("nn", "moments", (X, [1]), {"keepdims": True}),
    ("nn", "batch_normalization", (X, _f(4), np.abs(_f(4)), -1, _f(4), _f(4)), {}),
    ("nn", "batch_normalization", (X, _f(3), np.abs(_f(3)), 1), {"epsilon": 0.1}),
    ("nn", "layer_normalization", (X, _f(4), _f(4)), {}),
    ("nn", "layer_normalization", (X, _f(3, 4), None), {"axis": (1, 2), "epsilon": 1e-5}),
    ("nn", "layer_normalization", (X, _f(4)), {"rms_scaling": True}),
    ("nn", "rms_normalization", (X, _f(4)), {}),
    ("nn", "normalize", (X,), {}),
    ("nn", "normalize", (X,), {"axis": 1, "order": 1}),
    # attention, resampling, misc
    ("nn", "dot_product_attention", (ATT_Q, ATT_K, _f(2, 6, 2, 5)), {}),
    (
        "nn",
        "dot_product_attention",
        (ATT_Q, ATT_K, _f(2, 6, 2, 5)),
        {"is_causal": True, "scale": 0.3},
    ),  # noqa: E501
    (
        "nn",
        "dot_product_attention",
        (ATT_Q, ATT_K, _f(2, 6, 2, 5)),
        {"mask": rng.random((2, 1, 3, 6)) > 0.3},
    ),  # noqa: E501
    ("nn", "dot_product_attention", (ATT_Q, ATT_K, _f(2, 6, 2, 5)), {"bias": _f(1, 4, 3, 6)}),
    ("nn", "upsample", (IMG, 2), {}),
    ("nn", "upsample", (IMG, (2, 3)), {"interpolation": "bilinear"}),
    ("nn", "upsample", (IMG, 2), {"interpolation": "bicubic"}),
    ("nn", "upsample", (_f(2, 5, 3), 3), {"interpolation": "bilinear"}),
    ("nn", "psnr", (PROBS, PROBS + 0.1 * _f(2, 3, 4), 1.0), {}),
    ("nn", "polar", (np.abs(_f(3)), _f(3)), {}),
    ("nn", "depth_to_space", (_f(2, 3, 4, 8), 2), {}),
    ("nn", "depth_to_space", (_f(2, 8, 3, 4), 2), {"data_format": "channels_first"}),
    ("nn", "space_to_depth", (_f(2, 4, 6, 3), 2), {}),
    ("nn", "space_to_depth", (_f(2, 3, 4, 6), 2), {"data_format": "channels_first"}),
    ("nn", "unfold", (_f(2, 3, 6, 7), 3), {"dilation": (1, 2), "padding": 1, "stride": 2}),
    ("nn", "fold", (_f(2, 12, 12), (5, 6), 2), {"padding": 1, "stride": 2}),
    # ctc
    ("nn", "ctc_loss", (LABELS, _f(2, 8, 5), np.array([3, 2]), np.array([8, 6])), {}),
    (
        "nn",
        "ctc_loss",
        (LABELS, _f(2, 8, 5), np.array([4, 0]), np.array([8, 5])),
        {"mask_index": 4},
    ),  # noqa: E501
    ("nn", "ctc_loss", (np.array([[1, 1, 1]]), _f(1, 3, 3), np.array([3]), np.array([3])), {}),
    ("nn", "ctc_decode", (_f(2, 6, 4), np.array([6, 4])), {}),
    (
        "nn",
        "ctc_decode",
        (_f(2, 6, 4), np.array([6, 4])),
        {"merge_repeated": False, "mask_index": 3},
    ),  # noqa: E501
    (
        "nn",
        "ctc_decode",
        (_f(3, 7, 5), np.array([7, 4, 1])),
        {"strategy": "beam_search", "beam_width": 4, "top_paths": 3},
    ),  # noqa: E501
    (
        "nn",
        "ctc_decode",
        (_f(2, 6, 3), np.array([6, 5])),
        {"strategy": "beam_search", "beam_width": 10, "top_paths": 2, "mask_index": 2},
    ),  # noqa: E501
    # math
    ("math", "top_k", (_f(3, 6), 3), {}),
    ("math", "in_top_k", (np.array([0, 3, 5]), _f(3, 6), 2), {}),
    ("math", "logsumexp", (X,), {}),
    ("math", "logsumexp", (X,), {"axis": 1, "keepdims": True}),
    ("math", "erf", (X,), {}),
    ("math", "erfc", (X,), {}),
    ("math", "erfinv", (np.tanh(X),), {}),
    ("math", "qr", (_f(4, 3),), {}),
    ("math", "qr", (_f(2, 4, 3),), {"mode": "complete"}),
    ("math", "segment_sum", (_f(5, 2), np.array([0, 0, 2, 1, 7])), {"num_segments": 3}),
    ("math", "segment_sum", (_f(5, 2), np.array([0, 0, 2, 1, 2])), {}),
    ("math", "segment_max", (_f(5, 2), np.array([0, 0, 3, 1, 1])), {}),
    ("math", "segment_min", (_f(5), np.array([0, 0, 2, 1, 1])), {"num_segments": 4}),
    ("math", "segment_prod", (_f(5, 3), np.array([1, 0, 1, 1, 0])), {}),
    ("math", "cdist", (_f(2, 3, 4), _f(2, 5, 4)), {}),
    ("math", "logdet", (SPD + 2 * np.eye(3, dtype="float32"),), {}),
    ("math", "view_as_complex", (_f(3, 2),), {}),
    ("math", "fft", ((_f(2, 8), _f(2, 8)),), {}),
    ("math", "fft2", ((_f(2, 4, 8), _f(2, 4, 8)),), {}),
    ("math", "ifft2", ((_f(2, 4, 8), _f(2, 4, 8)),), {}),
    ("math", "rfft", (_f(2, 10),), {}),
    ("math", "rfft", (_f(2, 10),), {"fft_length": 16}),
    ("math", "irfft", ((_f(2, 5), _f(2, 5)),), {}),
    ("math", "irfft", ((_f(2, 5), _f(2, 5)),), {"fft_length": 7}),
    ("math", "extract_sequences", (_f(2, 20), 6, 3), {}),
    ("math", "stft", (_f(2, 40), 16, 4, 16), {}),
    ("math", "stft", (_f(40), 10, 5, 16), {"window": "hamming", "center": False}),
    ("math", "stft", (_f(2, 40), 16, 4, 16), {"window": None}),
    ("math", "istft", ((_f(2, 11, 9), _f(2, 11, 9)), 16, 4, 16), {}),
    ("math", "istft", ((_f(2, 11, 9), _f(2, 11, 9)), 16, 4, 16), {"length": 30}),
    (
        "math",
        "istft",
        ((_f(2, 7, 9), _f(2, 7, 9)), 10, 5, 16),
        {"window": "hamming", "center": False},
    ),  # noqa: E501
    # linalg
    ("linalg", "cholesky", (SPD,), {}),
    ("linalg", "cholesky", (SPD,), {"upper": True}),
    ("linalg", "cholesky_inverse", (np.linalg.cholesky(SPD),), {}),
    ("linalg", "cholesky_inverse", (np.linalg.cholesky(SPD).T.copy(),), {"upper": True}),
    ("linalg", "det", (SQUARE,), {}),
    ("linalg", "eigh", (SPD,), {}),
    ("linalg", "inv", (SQUARE,), {}),
    ("linalg", "lu_factor", (SQUARE,), {}),
    ("linalg", "norm", (X,), {}),
    ("linalg", "norm", (X,), {"axis": 1, "ord": 1, "keepdims": True}),
    ("linalg", "norm", (X,), {"axis": (1, 2), "ord": "fro"}),
    ("linalg", "norm", (X,), {"axis": (1, 2), "ord": "nuc"}),
    ("linalg", "norm", (X,), {"axis": (1, 2), "ord": 2}),
    ("linalg", "norm", (np.arange(6, dtype="int32").reshape(2, 3),), {}),
    ("linalg", "solve", (SQUARE, _f(3, 2)), {}),
    ("linalg", "solve", (SQUARE, _f(3)), {}),
    ("linalg", "solve_triangular", (np.triu(SQUARE), _f(3, 2)), {}),
    ("linalg", "solve_triangular", (np.tril(SQUARE), _f(3)), {"lower": True}),
    ("linalg", "svd", (_f(4, 3),), {"compute_uv": False}),
    ("linalg", "lstsq", (_f(5, 3), _f(5, 2)), {}),
    ("linalg", "lstsq", (_f(5, 3), _f(5)), {"rcond": 1e-3}),
    ("linalg", "matrix_rank", (_f(4, 2) @ _f(2, 5),), {}),
    ("linalg", "matrix_rank", (_f(2, 4, 3),), {"tol": 0.5}),
    ("linalg", "pinv", (_f(4, 3),), {}),
    ("linalg", "qr", (_f(3, 3),), {}),
]


def _case_id(case):
    family, name, args, kwargs = case
    return f"{family}.{name}-" + ",".join(f"{k}" for k in kwargs)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_matches_torch(case):
    family, name, args, kwargs = case
    ours_module, theirs_module = FAMILIES[family]
    theirs = getattr(theirs_module, name)(*_torch_args(args), **kwargs)
    ours = getattr(ours_module, name)(*_jax_args(args), **kwargs)
    _compare(ours, theirs, atol=2e-4 if name in ("fold", "istft", "conv_transpose") else 2e-5)


def test_glu_needs_an_even_axis():
    with pytest.raises(ValueError, match="axis size must be divisible by 2"):
        jax_nn.glu(_f(2, 3))


def test_svd_and_eig_reconstruct():
    a = _f(4, 3)
    u, s, vh = jax_linalg.svd(a, full_matrices=False)
    np.testing.assert_allclose(np.asarray(u * s @ vh), a, atol=1e-5)
    w, v = jax_linalg.eig(SQUARE)
    assert w.dtype == jnp.complex64
    np.testing.assert_allclose(np.asarray(SQUARE @ v), np.asarray(v * w), atol=1e-4)


def test_fused_batch_normalization_updates_moving_statistics():
    from cornu.backend.jax.core import Variable as JaxVariable
    from cornu.backend.torch.core import Variable as TorchVariable

    x, gamma, beta = _f(6, 3), _f(3), _f(3)
    mean0, var0 = _f(3), np.abs(_f(3))
    ours_mean, ours_var = JaxVariable(mean0), JaxVariable(var0)
    theirs_mean, theirs_var = TorchVariable(mean0), TorchVariable(var0)
    ours = jax_nn.fused_batch_normalization(
        x, gamma, beta, ours_mean, ours_var, momentum=0.9, training=True
    )
    theirs = torch_nn.fused_batch_normalization(
        torch.from_numpy(x),
        torch.from_numpy(gamma),
        torch.from_numpy(beta),
        theirs_mean,
        theirs_var,
        momentum=0.9,
        training=True,
    )
    _compare(ours, theirs, atol=1e-5)
    _compare(ours_mean.value, theirs_mean.value, atol=1e-6)
    _compare(ours_var.value, theirs_var.value, atol=1e-6)
    inference = jax_nn.fused_batch_normalization(x, gamma, beta, mean0, var0)
    expected = torch_nn.fused_batch_normalization(
        *(torch.from_numpy(v) for v in (x, gamma, beta, mean0, var0))
    )
    _compare(inference, expected, atol=1e-5)


@pytest.mark.parametrize(
    "name, args, kwargs, message",
    [
        ("conv", (IMG, _f(3, 3, 2, 4)), {}, "must be a multiple of the kernel's"),
        ("conv", (IMG, _f(3, 3, 3, 4)), {"padding": "full"}, "`padding` must be 'valid' or"),
        ("conv", (_f(2, 3), _f(3, 3)), {}, "must have rank 3, 4 or 5"),
        ("conv", (IMG, _f(3, 3, 3, 4)), {"strides": (1, 2, 3)}, "`strides` must be an int"),
        ("conv_transpose", (IMG, _f(3, 3, 4, 2)), {}, "the kernel expects 2 input channels"),
        ("max_pool", (_f(3, 3), 2), {}, "must have rank 3, 4 or 5"),
        ("categorical_crossentropy", (_f(2, 3), _f(2, 4)), {}, "must have the same shape"),
        ("normalize", (X,), {"order": 0}, "Argument `order` must be an int >= 1"),
        ("depth_to_space", (_f(2, 3, 4, 6), 2), {}, "channels divisible by block_size"),
        ("space_to_depth", (_f(2, 3, 4, 6), 2), {}, "height and width divisible"),
        ("unfold", (_f(2, 3, 4), 2), {}, "`unfold` expects a 4-D input"),
        ("dot_product_attention", (X, X, X), {}, "only supports 4D inputs"),
        ("ctc_decode", (_f(2, 3), np.array([3, 3])), {}, "`ctc_decode` expects `inputs`"),
        ("ctc_decode", (_f(2, 3, 4), np.array([3, 3])), {"strategy": "x"}, "supports the strat"),
        ("multi_hot", (np.array([0, 1]),), {}, "`multi_hot` needs `num_classes`"),
        ("moments", (X, 0), {"synchronized": True}, "synchronized=True is not supported"),
    ],
)
def test_errors_match_torch(name, args, kwargs, message):
    error_type = NotImplementedError if "synchronized" in kwargs else ValueError
    with pytest.raises(error_type, match=message):
        getattr(torch_nn, name)(*_torch_args(args), **kwargs)
    with pytest.raises(error_type, match=message):
        getattr(jax_nn, name)(*_jax_args(args), **kwargs)


@pytest.mark.parametrize(
    "family, name, args, message",
    [
        ("math", "qr", (_f(3, 3), "full"), "`mode` must be 'reduced' or 'complete'"),
        ("math", "segment_max", (_f(4, 2), np.zeros((2, 2), "int32")), "expects 1-D"),
        ("math", "cdist", (_f(3), _f(3, 2)), "expects inputs of rank >= 2"),
        ("math", "view_as_real", (_f(3),), "expects a complex tensor"),
        ("math", "fft", (_f(3),), "should be a tuple of two tensors"),
        ("math", "stft", (_f(20), 8, 0, 8), "`sequence_stride` must be a positive integer"),
        ("math", "stft", (_f(20), 8, 2, 4), "`fft_length` must equal or larger"),
        ("linalg", "inv", (_f(2, 3),), "expects a square matrix"),
        ("linalg", "det", (_f(3),), "expects an input of rank >= 2"),
        ("linalg", "solve", (SQUARE, _f(4)), r"expects `a.shape\[-1\] == b.shape\[-1\]`"),
        ("linalg", "norm", (X, "bad"), "accepts the strings 'fro' and 'nuc'"),
        ("linalg", "lstsq", (_f(3, 2), _f(4)), r"expects `a.shape\[0\] == b.shape\[0\]`"),
        ("linalg", "cholesky", (-np.eye(3, dtype="float32"),), "Cholesky decomposition failed"),
    ],
)
def test_math_and_linalg_errors_match_torch(family, name, args, message):
    ours_module, theirs_module = FAMILIES[family]
    with pytest.raises(ValueError, match=message):
        getattr(theirs_module, name)(*_torch_args(args))
    with pytest.raises(ValueError, match=message):
        getattr(ours_module, name)(*_jax_args(args))


# ---- rnn -------------------------------------------------------------------------------------

W, U = _f(3, 4), _f(4, 4)
SEQ = _f(2, 5, 3)
H0 = _f(2, 4)
MASK = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], dtype=bool)


def _jax_step(x, states):
    h = jnp.tanh(x @ W + states[0] @ U)
    return h, [h]


def _torch_step(x, states):
    h = torch.tanh(x @ torch.from_numpy(W) + states[0] @ torch.from_numpy(U))
    return h, [h]


@pytest.mark.parametrize("unroll", [False, True])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"go_backwards": True},
        {"mask": MASK},
        {"mask": MASK, "zero_output_for_mask": True},
        {"mask": MASK, "go_backwards": True, "return_all_outputs": False},
        {"return_all_outputs": False},
    ],
)
def test_rnn_matches_torch(kwargs, unroll):
    theirs_kwargs = dict(kwargs)
    if "mask" in kwargs:
        theirs_kwargs["mask"] = torch.from_numpy(kwargs["mask"])
    theirs = torch_rnn.rnn(
        _torch_step, torch.from_numpy(SEQ), [torch.from_numpy(H0)], **theirs_kwargs
    )
    ours = jax_rnn.rnn(_jax_step, jnp.asarray(SEQ), [jnp.asarray(H0)], unroll=unroll, **kwargs)
    _compare(list(ours), list(theirs), atol=1e-5)


def test_rnn_time_major_nested_inputs_and_constants():
    def jax_step(x, states):
        h = jnp.tanh(x[0] @ W + x[1] + states[0] @ U) * states[1]
        return {"h": h}, [h]

    def torch_step(x, states):
        h = torch.tanh(x[0] @ torch.from_numpy(W) + x[1] + states[0] @ torch.from_numpy(U))
        return {"h": h * states[1]}, [h * states[1]]

    extra = _f(5, 2, 4)
    seq = np.swapaxes(SEQ, 0, 1).copy()
    scale = np.float32(0.5)
    ours = jax_rnn.rnn(
        jax_step, (seq, extra), [H0], constants=[scale], time_major=True, mask=MASK.T
    )
    theirs = torch_rnn.rnn(
        torch_step,
        (torch.from_numpy(seq), torch.from_numpy(extra)),
        [torch.from_numpy(H0)],
        constants=[torch.tensor(scale)],
        time_major=True,
        mask=torch.from_numpy(MASK.T.copy()),
    )
    _compare(ours[0]["h"], theirs[0]["h"], atol=1e-5)
    _compare(ours[1]["h"], theirs[1]["h"], atol=1e-5)
    _compare(ours[2], theirs[2], atol=1e-5)


LEFT_PADDED = np.array([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]], dtype=bool)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_sequences": True},
        {"return_sequences": True, "go_backwards": True},
        {"mask": LEFT_PADDED, "return_sequences": True},
        {"mask": LEFT_PADDED, "return_sequences": True, "zero_output_for_mask": True},
        {"mask": np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool), "go_backwards": True},
    ],
)
@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_fused_lstm_and_gru_match_torch(kind, kwargs):
    units = 4
    gates = 4 if kind == "lstm" else 3
    kernel, recurrent = _f(3, gates * units), _f(units, gates * units)
    bias = _f(gates * units) if kind == "lstm" else _f(2, gates * units)
    states = [H0, _f(2, units)] if kind == "lstm" else [H0]
    mask = kwargs.pop("mask", None)
    theirs = getattr(torch_rnn, kind)(
        torch.from_numpy(SEQ),
        *(torch.from_numpy(s) for s in states),
        None if mask is None else torch.from_numpy(mask),
        torch.from_numpy(kernel),
        torch.from_numpy(recurrent),
        torch.from_numpy(bias),
        **kwargs,
    )
    ours = getattr(jax_rnn, kind)(SEQ, *states, mask, kernel, recurrent, bias, **kwargs)
    _compare(list(ours), list(theirs), atol=1e-5)


# ---- under jax.jit and jax.grad ---------------------------------------------------------------


def test_training_ops_trace_and_differentiate():
    kernel = jnp.asarray(_f(3, 3, 3, 4))
    images = jnp.asarray(IMG)
    labels = jnp.asarray(LABELS)
    logits = jnp.asarray(_f(2, 8, 5))

    def loss(kernel, logits):
        y = jax_nn.conv(images, kernel, strides=2, padding="same")
        y = jax_nn.max_pool(jax_nn.relu(y), 2, padding="same")
        y = jax_nn.average_pool(y, 2, strides=1, padding="same")
        y = jax_nn.layer_normalization(y, jnp.ones(4), jnp.zeros(4))
        mean, variance = jax_nn.moments(y, (0, 1, 2))
        y = jax_nn.batch_normalization(y, mean, variance, -1)
        pooled = jnp.mean(y, axis=(1, 2))
        ce = jax_nn.sparse_categorical_crossentropy(jnp.array([1, 2]), pooled, from_logits=True)
        ctc = jax_nn.ctc_loss(labels, logits, jnp.array([3, 2]), jnp.array([8, 6]))
        return jnp.sum(ce) + jnp.sum(ctc) + jax_math.logsumexp(pooled)

    value, grads = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))(kernel, logits)
    eager = loss(kernel, logits)
    np.testing.assert_allclose(float(value), float(eager), rtol=1e-5)
    for g in grads:
        assert np.all(np.isfinite(np.asarray(g))) and float(jnp.abs(g).sum()) > 0


def test_ctc_loss_gradient_matches_torch():
    logits = _f(2, 8, 5)
    lengths = (np.array([3, 2]), np.array([8, 6]))
    grad = jax.grad(lambda o: jnp.sum(jax_nn.ctc_loss(LABELS, o, *lengths)))(jnp.asarray(logits))
    theirs = torch.from_numpy(logits).requires_grad_()
    torch_nn.ctc_loss(torch.from_numpy(LABELS), theirs, *map(torch.from_numpy, lengths)).sum()
    torch.sum(
        torch_nn.ctc_loss(torch.from_numpy(LABELS), theirs, *map(torch.from_numpy, lengths))
    ).backward()
    np.testing.assert_allclose(np.asarray(grad), theirs.grad.numpy(), atol=1e-5)


def test_rnn_and_fused_lstm_under_jit_and_grad():
    kernel, recurrent, bias = _f(3, 16), _f(4, 16), _f(16)
    c0 = _f(2, 4)

    def loss(kernel, w):
        def step(x, states):
            h = jnp.tanh(x @ w + states[0] @ U)
            return h, [h]

        _, outputs, _ = jax_rnn.rnn(step, jnp.asarray(SEQ), [jnp.asarray(H0)], mask=MASK)
        last, _, _ = jax_rnn.lstm(SEQ, H0, c0, MASK, kernel, recurrent, bias)
        return jnp.sum(outputs) + jnp.sum(last)

    value, grads = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))(
        jnp.asarray(kernel), jnp.asarray(W)
    )
    np.testing.assert_allclose(float(value), float(loss(kernel, W)), rtol=1e-5)
    assert all(float(jnp.abs(g).sum()) > 0 for g in grads)


def test_jit_of_decoding_signal_and_linalg():
    inputs = _f(2, 6, 4)
    lengths = np.array([6, 3])
    eager = jax_nn.ctc_decode(inputs, lengths, strategy="beam_search", beam_width=3)
    jitted = jax.jit(lambda x, n: jax_nn.ctc_decode(x, n, strategy="beam_search", beam_width=3))(
        inputs, lengths
    )
    _compare(list(jitted), list(eager), atol=1e-6)
    signal = _f(2, 40)
    frames = jax.jit(lambda s: jax_math.stft(s, 16, 4, 16))(signal)
    back = jax.jit(lambda f: jax_math.istft(f, 16, 4, 16, length=40))(frames)
    np.testing.assert_allclose(np.asarray(back), signal, atol=1e-5)
    grad = jax.grad(lambda a: jnp.sum(jax_linalg.solve(a, jnp.ones(3))))(jnp.asarray(SQUARE))
    assert np.all(np.isfinite(np.asarray(grad)))


def test_jvp_matches_torch():
    x, t = _f(3), _f(3)
    ours = jax_linalg.jvp(lambda v: jnp.sin(v) * v, (x,), (t,))
    theirs = torch_linalg.jvp(
        lambda v: torch.sin(v) * v, (torch.from_numpy(x),), (torch.from_numpy(t),)
    )
    _compare(list(ours), list(theirs), atol=1e-6)
    out, tangent, aux = jax_linalg.jvp(lambda v: (v * 2, v.sum()), (x,), (t,), has_aux=True)
    np.testing.assert_allclose(np.asarray(tangent), 2 * t)
    np.testing.assert_allclose(float(aux), float(x.sum()), rtol=1e-6)


@pytest.mark.parametrize(
    "name, args, kwargs",
    [
        ("conv", (IMG, _f(3, 3, 3, 4)), {"strides": 2, "padding": "same"}),
        ("depthwise_conv", (IMG, _f(3, 3, 3, 2)), {"padding": "same", "dilation_rate": 2}),
        ("conv_transpose", (IMG, _f(3, 3, 5, 3)), {"strides": 2, "padding": "same"}),
        ("max_pool", (IMG, 3), {"strides": 2, "padding": "same"}),
        ("average_pool", (IMG, 3), {"strides": 2, "padding": "same"}),
        ("layer_normalization", (X, _f(4), _f(4)), {}),
        ("log_softmax", (X,), {"axis": 1}),
        ("binary_crossentropy", (np.abs(np.tanh(X)), X), {"from_logits": True}),
        ("upsample", (IMG, 2), {"interpolation": "bilinear"}),
    ],
)
def test_gradients_match_torch(name, args, kwargs):
    """The gradient with respect to every float argument of ``sum(op(...) * weights)``."""
    out_shape = np.shape(_to_numpy(getattr(torch_nn, name)(*_torch_args(args), **kwargs)))
    weights = _f(*out_shape)
    floats = [i for i, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype.kind == "f"]

    def ours(*values):
        full = list(_jax_args(args))
        for i, v in zip(floats, values):
            full[i] = v
        return jnp.sum(getattr(jax_nn, name)(*full, **kwargs) * weights)

    grads = jax.grad(ours, argnums=tuple(range(len(floats))))(*(args[i] for i in floats))
    full = _torch_args(args)
    leaves = [full[i].requires_grad_() for i in floats]
    torch.sum(getattr(torch_nn, name)(*full, **kwargs) * torch.from_numpy(weights)).backward()
    for g, leaf in zip(grads, leaves):
        np.testing.assert_allclose(np.asarray(g), leaf.grad.numpy(), atol=1e-4, rtol=1e-4)
