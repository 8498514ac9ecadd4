"""The TensorFlow backend's nn, signal, rnn and image families against cornu-on-torch on the
same inputs: the same values, dtypes and errors (TensorFlow keeps the 64-bit dtypes, as torch
does), and the training ops inside a ``tf.function`` and under ``tf.GradientTape``."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
torch = pytest.importorskip("torch")

from cornu.backend.tensorflow import image as tf_image  # noqa: E402
from cornu.backend.tensorflow import nn as tf_nn  # noqa: E402
from cornu.backend.tensorflow import rnn as tf_rnn  # noqa: E402
from cornu.backend.tensorflow import signal as tf_signal  # noqa: E402
from cornu.backend.torch import image as torch_image  # noqa: E402
from cornu.backend.torch import math as torch_math  # noqa: E402
from cornu.backend.torch import nn as torch_nn  # noqa: E402
from cornu.backend.torch import rnn as torch_rnn  # noqa: E402

FAMILIES = {"nn": (tf_nn, torch_nn), "signal": (tf_signal, torch_math)}

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
    assert ours.dtype == theirs.dtype, f"dtype {ours.dtype} != {theirs.dtype}"
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


def _tf_args(args):
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(tf.constant(a))
        elif isinstance(a, tuple) and a and isinstance(a[0], np.ndarray):
            out.append(tuple(tf.constant(v) for v in a))
        else:
            out.append(a)
    return out


X = _f(2, 3, 4)
IMG = _f(2, 7, 6, 3)
LABELS = np.array([[1, 2, 2, 0], [3, 1, 0, 0]], dtype="int32")
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
    ("signal", "fft", ((_f(2, 8), _f(2, 8)),), {}),
    ("signal", "fft2", ((_f(2, 4, 8), _f(2, 4, 8)),), {}),
    ("signal", "ifft2", ((_f(2, 4, 8), _f(2, 4, 8)),), {}),
    ("signal", "rfft", (_f(2, 10),), {}),
    ("signal", "rfft", (_f(2, 10),), {"fft_length": 16}),
    ("signal", "irfft", ((_f(2, 5), _f(2, 5)),), {}),
    ("signal", "irfft", ((_f(2, 5), _f(2, 5)),), {"fft_length": 7}),
    ("signal", "extract_sequences", (_f(2, 20), 6, 3), {}),
    ("signal", "stft", (_f(2, 40), 16, 4, 16), {}),
    ("signal", "stft", (_f(40), 10, 5, 16), {"window": "hamming", "center": False}),
    ("signal", "stft", (_f(2, 40), 16, 4, 16), {"window": None}),
    ("signal", "istft", ((_f(2, 11, 9), _f(2, 11, 9)), 16, 4, 16), {}),
    ("signal", "istft", ((_f(2, 11, 9), _f(2, 11, 9)), 16, 4, 16), {"length": 30}),
    (
        "signal",
        "istft",
        ((_f(2, 7, 9), _f(2, 7, 9)), 10, 5, 16),
        {"window": "hamming", "center": False},
    ),  # noqa: E501
    # linalg
    ("nn", "conv", (_f(2, 9, 3), _f(3, 3, 4)), {"strides": 2, "dilation_rate": 2}),
    ("nn", "conv", (IMG, _f(3, 3, 1, 6)), {"padding": "same", "strides": 2, "dilation_rate": 2}),
    ("nn", "conv", (IMG, _f(3, 3, 3, 6)), {"padding": "same", "strides": (2, 1)}),
    ("nn", "conv", (_f(2, 8, 6), _f(3, 2, 6)), {"padding": "same"}),
    ("nn", "depthwise_conv", (_f(2, 9, 3), _f(3, 3, 2)), {"padding": "same", "strides": 2}),
    ("nn", "depthwise_conv", (IMG, _f(3, 3, 3, 2)), {"strides": (2, 1)}),
    ("nn", "conv_transpose", (_f(1, 3, 4, 3, 2), _f(2, 2, 2, 3, 2)), {"strides": 2}),
    ("nn", "conv_transpose", (IMG, _f(3, 3, 5, 3)), {"dilation_rate": 2, "padding": "same"}),
    ("nn", "max_pool", (_f(1, 4, 5, 6, 2), 2), {"padding": "same"}),
    ("nn", "average_pool", (_f(1, 4, 5, 6, 2), (2, 3, 2)), {"strides": 1}),
]


def _case_id(case):
    family, name, args, kwargs = case
    return f"{family}.{name}-" + ",".join(f"{k}" for k in kwargs)


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_matches_torch(case):
    family, name, args, kwargs = case
    ours_module, theirs_module = FAMILIES[family]
    theirs = getattr(theirs_module, name)(*_torch_args(args), **kwargs)
    ours = getattr(ours_module, name)(*_tf_args(args), **kwargs)
    _compare(ours, theirs, atol=2e-4 if name in ("fold", "istft", "conv_transpose") else 2e-5)


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
    ],
)
def test_errors_match_torch(name, args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        getattr(torch_nn, name)(*_torch_args(args), **kwargs)
    with pytest.raises(ValueError, match=message):
        getattr(tf_nn, name)(*_tf_args(args), **kwargs)


@pytest.mark.parametrize(
    "name, args, message",
    [
        ("fft", (_f(3),), "should be a tuple of two tensors"),
        ("stft", (_f(20), 8, 0, 8), "`sequence_stride` must be a positive integer"),
        ("stft", (_f(20), 8, 2, 4), "`fft_length` must equal or larger"),
    ],
)
def test_signal_errors_match_torch(name, args, message):
    with pytest.raises(ValueError, match=message):
        getattr(torch_math, name)(*_torch_args(args))
    with pytest.raises(ValueError, match=message):
        getattr(tf_signal, name)(*_tf_args(args))


def test_fused_batch_normalization_updates_moving_statistics():
    from cornu.backend.tensorflow.core import Variable as TfVariable
    from cornu.backend.torch.core import Variable as TorchVariable

    x, gamma, beta = _f(6, 3), _f(3), _f(3)
    mean0, var0 = _f(3), np.abs(_f(3))
    ours_mean, ours_var = TfVariable(mean0), TfVariable(var0)
    theirs_mean, theirs_var = TorchVariable(mean0), TorchVariable(var0)
    ours = tf_nn.fused_batch_normalization(
        x, gamma, beta, ours_mean, ours_var, momentum=0.9, training=True
    )
    theirs = torch_nn.fused_batch_normalization(
        *(torch.from_numpy(v) for v in (x, gamma, beta)),
        theirs_mean,
        theirs_var,
        momentum=0.9,
        training=True,
    )
    _compare(ours, theirs, atol=1e-5)
    _compare(ours_mean.value, theirs_mean.value, atol=1e-6)
    _compare(ours_var.value, theirs_var.value, atol=1e-6)


# ---- rnn -------------------------------------------------------------------------------------

W, U = _f(3, 4), _f(4, 4)
SEQ = _f(2, 5, 3)
H0 = _f(2, 4)
MASK = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], dtype=bool)


def _tf_step(x, states):
    h = tf.tanh(tf.matmul(x, W) + tf.matmul(states[0], U))
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
    ours = tf_rnn.rnn(_tf_step, tf.constant(SEQ), [tf.constant(H0)], unroll=unroll, **kwargs)
    _compare(list(ours), list(theirs), atol=1e-5)


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
    ours = getattr(tf_rnn, kind)(SEQ, *states, mask, kernel, recurrent, bias, **kwargs)
    _compare(list(ours), list(theirs), atol=1e-5)


def test_rnn_over_an_unknown_time_length_in_a_tf_function():
    spec = tf.TensorSpec((None, None, 3), tf.float32)

    @tf.function(input_signature=[spec])
    def run(x):
        h0 = tf.zeros((tf.shape(x)[0], 4))
        return tf_rnn.rnn(_tf_step, x, [h0])[1]

    theirs = torch_rnn.rnn(
        _torch_step, torch.from_numpy(SEQ), [torch.zeros((2, 4))], return_all_outputs=True
    )
    _compare(run(tf.constant(SEQ)), theirs[1], atol=1e-5)


def test_fused_lstm_gradients_compile_with_xla_over_an_unknown_time_length():
    kernel, recurrent = tf.Variable(_f(3, 16)), tf.Variable(_f(4, 16))
    mask = tf.constant(MASK)

    def run(x):
        with tf.GradientTape() as tape:
            h0 = tf.zeros((tf.shape(x)[0], 4))
            out = tf_rnn.lstm(x, h0, h0, mask, kernel, recurrent, None, True)[1]
            total = tf.reduce_sum(out)
        return total, tape.gradient(total, [kernel, recurrent])

    spec = [tf.TensorSpec((None, None, 3), tf.float32)]
    eager_total, eager_grads = run(tf.constant(SEQ))
    total, grads = tf.function(run, jit_compile=True, input_signature=spec)(tf.constant(SEQ))
    np.testing.assert_allclose(float(total), float(eager_total), rtol=1e-5)
    for g, e in zip(grads, eager_grads):
        np.testing.assert_allclose(g.numpy(), e.numpy(), atol=1e-4)


# ---- inside tf.function, XLA and GradientTape -------------------------------------------------


def test_training_ops_compile_with_xla_and_differentiate():
    kernel = tf.Variable(_f(3, 3, 3, 4))
    logits = tf.Variable(_f(2, 8, 5))
    images = tf.constant(IMG)

    def loss():
        y = tf_nn.conv(images, kernel, strides=2, padding="same")
        y = tf_nn.max_pool(tf_nn.relu(y), 2, padding="same")
        y = tf_nn.average_pool(y, 2, strides=1, padding="same")
        y = tf_nn.layer_normalization(y, tf.ones(4), tf.zeros(4))
        mean, variance = tf_nn.moments(y, (0, 1, 2))
        y = tf_nn.batch_normalization(y, mean, variance, -1)
        pooled = tf.reduce_mean(y, axis=(1, 2))
        ce = tf_nn.sparse_categorical_crossentropy([1, 2], pooled, from_logits=True)
        ctc = tf_nn.ctc_loss(LABELS, logits, np.array([3, 2]), np.array([8, 6]))
        return tf.reduce_sum(ce) + tf.reduce_sum(ctc)

    def value_and_grads():
        with tf.GradientTape() as tape:
            value = loss()
        return value, tape.gradient(value, [kernel, logits])

    eager_value, _ = value_and_grads()
    value, grads = tf.function(value_and_grads, jit_compile=True)()
    np.testing.assert_allclose(float(value), float(eager_value), rtol=1e-5)
    for g in grads:
        assert np.all(np.isfinite(g.numpy())) and float(tf.reduce_sum(tf.abs(g))) > 0


def test_ctc_loss_gradient_matches_torch():
    logits = _f(2, 8, 5)
    lengths = (np.array([3, 2]), np.array([8, 6]))
    ours = tf.Variable(logits)
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(tf_nn.ctc_loss(LABELS, ours, *lengths))
    grad = tape.gradient(total, ours)
    theirs = torch.from_numpy(logits).requires_grad_()
    torch.sum(
        torch_nn.ctc_loss(torch.from_numpy(LABELS), theirs, *map(torch.from_numpy, lengths))
    ).backward()
    np.testing.assert_allclose(grad.numpy(), theirs.grad.numpy(), atol=1e-5)


def test_beam_search_runs_in_a_tf_function():
    inputs, lengths = _f(3, 7, 5), np.array([7, 4, 1])
    kwargs = {"strategy": "beam_search", "beam_width": 4, "top_paths": 2}
    traced = tf.function(lambda x: tf_nn.ctc_decode(x, lengths, **kwargs))(tf.constant(inputs))
    theirs = torch_nn.ctc_decode(torch.from_numpy(inputs), torch.from_numpy(lengths), **kwargs)
    _compare(list(traced), list(theirs), atol=1e-5)


# ---- image -----------------------------------------------------------------------------------

FLOATS = rng.random((2, 9, 11, 3)).astype(np.float32)
BYTES = (rng.random((2, 9, 11, 3)) * 255).astype(np.uint8)
TRANSFORMS = np.array(
    [[1.1, 0.2, 1.5, -0.1, 0.9, -1.0, 0, 0], [0.8, -0.3, -2.0, 0.25, 1.2, 2.5, 0, 0]],
    dtype=np.float32,
)
START = np.array([[0, 0], [10, 0], [0, 8], [10, 8]], np.float32)
END = START + np.array([[1, 0.5], [-1, 1], [0.5, -1], [-1.5, -0.5]], np.float32)


def check(name, *args, atol=1e-5, **kwargs):
    ours = getattr(tf_image, name)(*args, **kwargs).numpy()
    theirs = getattr(torch_image, name)(*args, **kwargs).detach().numpy()
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(
        ours.astype(np.float64), theirs.astype(np.float64), atol=atol, rtol=atol
    )


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize(
    "aspect", [{}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True, "fill_value": 0.5}]
)
def test_resize_matches_torch(interpolation, antialias, aspect):
    for size in ((4, 5), (13, 17)):
        check("resize", FLOATS, size, interpolation=interpolation, antialias=antialias, **aspect)
        check("resize", BYTES, size, interpolation=interpolation, antialias=antialias, atol=1)


def test_resize_layouts_and_single_image():
    check("resize", FLOATS.transpose(0, 3, 1, 2), (5, 7), data_format="channels_first")
    check("resize", FLOATS[0], (5, 7), interpolation="lanczos5", antialias=True)


@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_affine_transform_and_map_coordinates_match_torch(fill_mode, interpolation):
    kwargs = {"interpolation": interpolation, "fill_mode": fill_mode}
    check("affine_transform", FLOATS, TRANSFORMS, fill_value=0.3, **kwargs)
    check("affine_transform", BYTES, TRANSFORMS, fill_value=7, **kwargs)
    check("affine_transform", FLOATS[0], TRANSFORMS[0], **kwargs)
    coordinates = rng.normal(size=(3, 5, 4)).astype(np.float32) * 6
    order = 0 if interpolation == "nearest" else 1
    check("map_coordinates", FLOATS[0], coordinates, order, fill_mode=fill_mode, fill_value=0.2)


@pytest.mark.parametrize("name", ["rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb"])
def test_color_conversions_match_torch(name):
    check(name, FLOATS)
    check(name, FLOATS[0].transpose(2, 0, 1), data_format="channels_first")
    if name == "rgb_to_grayscale":
        check(name, BYTES)
    else:
        with pytest.raises(ValueError, match="expected a float dtype"):
            getattr(tf_image, name)(BYTES)


def test_filters_match_torch():
    check("gaussian_blur", FLOATS, kernel_size=(3, 5), sigma=(1.0, 2.0))
    check(
        "gaussian_blur", FLOATS, kernel_size=(4, 4), sigma=(1.5, 1.5), data_format="channels_first"
    )
    check("sobel_edges", FLOATS)
    check("sobel_edges", FLOATS, data_format="channels_first")
    check("ssim", FLOATS, FLOATS[::-1] * 0.9, filter_size=5)
    check("ssim", FLOATS[0], FLOATS[1], filter_size=3, max_val=2.0)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_perspective_transform_matches_torch(interpolation):
    check("perspective_transform", FLOATS, START, END, interpolation=interpolation, fill_value=0.5)
    check("perspective_transform", FLOATS[0], START, END, interpolation=interpolation)


@pytest.mark.parametrize("method", ["linear", "bicubic", "lanczos3", "lanczos5"])
@pytest.mark.parametrize("antialias", [True, False])
def test_scale_and_translate_matches_torch(method, antialias):
    scale, shift = np.array([0.6, 0.7], np.float32), np.array([0.5, -1.0], np.float32)
    args = ((2, 5, 7, 3), scale, shift, (1, 2), method)
    check("scale_and_translate", FLOATS, *args, antialias=antialias)
    up = ((2, 15, 17, 3), scale + 1, shift, (1, 2), method)
    check("scale_and_translate", BYTES, *up, antialias=antialias, atol=1)


def test_pad_crop_and_patches_match_torch():
    check("pad_images", FLOATS, 1, 2, 3, 4)
    check("pad_images", FLOATS, 1, None, None, 2, 12, 20, data_format="channels_first")
    check("crop_images", FLOATS, 1, 2, 3, 4)
    check("crop_images", FLOATS[0], 1, None, None, 2, 5, 1)
    check("extract_patches", FLOATS, (3, 3))
    check("extract_patches", FLOATS, 2, strides=(1, 2), padding="same")
    check("extract_patches", FLOATS, (2, 3), dilation_rate=2)
    check("extract_patches", FLOATS.transpose(0, 3, 1, 2), 3, padding="same", strides=2,
          data_format="channels_first")  # fmt: skip
    volumes = rng.random((2, 5, 6, 7, 2)).astype(np.float32)
    check("extract_patches_3d", volumes, 2)
    check("extract_patches", volumes, (2, 3, 2), strides=1, padding="same")
    with pytest.raises(ValueError, match="exactly two of top_padding"):
        tf_image.pad_images(FLOATS, 1, 1, 1, 1, 12, 12)
    with pytest.raises(ValueError, match="cannot take"):
        tf_image.crop_images(FLOATS, 5, 0, None, 0, 6, 3)


def test_image_ops_compile_with_xla_and_differentiate():
    """The warps and resizes run inside an XLA-compiled function (a blur sigma as a traced
    draw, as an augmentation layer passes it) and give gradients in the images."""
    images = tf.Variable(FLOATS)
    sigma = tf.constant([1.2, 0.8])

    def run():
        with tf.GradientTape() as tape:
            out = tf_image.resize(images, (5, 6), interpolation="bicubic")
            warped = tf_image.affine_transform(images, TRANSFORMS)
            moved = tf_image.perspective_transform(images, START, END)
            blurred = tf_image.gaussian_blur(images, (3, 3), sigma)
            total = sum(tf.reduce_sum(t) for t in (out, warped, moved, blurred))
        return total, tape.gradient(total, images)

    eager_total, eager_grad = run()
    total, grad = tf.function(run, jit_compile=True)()
    np.testing.assert_allclose(float(total), float(eager_total), rtol=1e-5)
    np.testing.assert_allclose(grad.numpy(), eager_grad.numpy(), atol=1e-4)
    assert float(tf.reduce_sum(tf.abs(grad))) > 0
