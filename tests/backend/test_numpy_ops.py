"""The NumPy backend's op families give the numbers of Keras (torch backend). The functions of
``cornu.backend.numpy`` take and return NumPy arrays, so they are checked here whichever backend
the suite runs on."""

import numpy as np
import pytest

from cornu.backend.numpy import core, image, linalg, math, nn
from cornu.backend.numpy import numpy as knp

# The oracle is Keras on the suite's backend; on JAX that is Keras-JAX, whose numbers these
# NumPy-backend checks (made against Keras-torch) do not follow: run them where the oracle is torch.
pytestmark = pytest.mark.backends("torch", "numpy")

RNG = np.random.default_rng(0)


def _x(*shape):
    return RNG.standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "strides, padding, dilation, groups",
    [
        (1, "valid", 1, 1),
        (2, "same", 1, 1),
        (1, "same", 2, 1),
        (2, "valid", 1, 2),
        (3, "same", 1, 1),
    ],
)
def test_conv2d(oracle, keras, strides, padding, dilation, groups):
    x, kernel = _x(2, 9, 8, 4), _x(3, 3, 4 // groups, 6)
    theirs = keras.ops.conv(x, kernel, strides, padding, dilation_rate=dilation)
    oracle.values(nn.conv(x, kernel, strides, padding, dilation_rate=dilation), theirs, atol=1e-5)


@pytest.mark.parametrize("rank", [1, 3])
def test_conv_1d_and_3d_channels_first(oracle, keras, rank):
    x, kernel = _x(2, 3, *(7,) * rank), _x(*(3,) * rank, 3, 5)
    theirs = keras.ops.conv(x, kernel, 2, "same", data_format="channels_first")
    ours = nn.conv(x, kernel, 2, "same", data_format="channels_first")
    oracle.values(ours, theirs, atol=1e-5)


def test_depthwise_and_separable_conv(oracle, keras):
    x, depthwise, pointwise = _x(2, 8, 8, 3), _x(3, 3, 3, 2), _x(1, 1, 6, 4)
    oracle.values(
        nn.depthwise_conv(x, depthwise, 1, "same"),
        keras.ops.depthwise_conv(x, depthwise, 1, "same"),
        atol=1e-5,
    )
    oracle.values(
        nn.separable_conv(x, depthwise, pointwise, 2, "valid"),
        keras.ops.separable_conv(x, depthwise, pointwise, 2, "valid"),
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "strides, padding, output_padding", [(2, "same", None), (2, "valid", None), (3, "valid", 1)]
)
def test_conv_transpose(oracle, keras, strides, padding, output_padding):
    x, kernel = _x(2, 5, 6, 4), _x(3, 3, 7, 4)
    theirs = keras.ops.conv_transpose(x, kernel, strides, padding, output_padding)
    ours = nn.conv_transpose(x, kernel, strides, padding, output_padding)
    oracle.values(ours, theirs, atol=1e-5)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("op", ["max_pool", "average_pool"])
def test_pooling(oracle, keras, op, padding):
    x = _x(2, 7, 9, 3)
    theirs = getattr(keras.ops, op)(x, 3, 2, padding)
    oracle.values(getattr(nn, op)(x, 3, 2, padding), theirs, atol=1e-6)


def test_adaptive_pooling(oracle, keras):
    x = _x(2, 7, 9, 3)
    oracle.values(
        nn.adaptive_average_pool(x, (3, 4)), keras.ops.adaptive_average_pool(x, (3, 4)), atol=1e-6
    )
    oracle.values(nn.adaptive_max_pool(x, (3, 4)), keras.ops.adaptive_max_pool(x, (3, 4)))


@pytest.mark.parametrize(
    "name",
    [
        "relu",
        "relu6",
        "sigmoid",
        "softplus",
        "silu",
        "log_sigmoid",
        "selu",
        "elu",
        "gelu",
        "hard_sigmoid",
        "hard_silu",
        "mish",
        "softsign",
        "sparse_plus",
        "squareplus",
        "tanh_shrink",
    ],
)
def test_activations(oracle, keras, name):
    x = _x(4, 5) * 4
    theirs = getattr(keras.ops, name, None) or getattr(keras.activations, name)
    oracle.values(getattr(nn, name)(x), theirs(x), atol=1e-6)


def test_softmax_and_normalizations(oracle, keras):
    x, gamma, beta = _x(3, 4, 5), _x(5), _x(5)
    oracle.values(nn.softmax(x, axis=(1, 2)), keras.ops.softmax(x, axis=(1, 2)), atol=1e-6)
    oracle.values(nn.log_softmax(x), keras.ops.log_softmax(x), atol=1e-6)
    oracle.values(
        nn.layer_normalization(x, gamma, beta, epsilon=1e-3),
        keras.ops.layer_normalization(x, gamma, beta, epsilon=1e-3),
        atol=1e-5,
    )
    oracle.values(nn.rms_normalization(x, gamma), keras.ops.rms_normalization(x, gamma), atol=1e-5)
    mean, variance = nn.moments(x, [0, 1])
    theirs = keras.ops.moments(x, [0, 1])
    oracle.values(mean, theirs[0], atol=1e-6)
    oracle.values(variance, theirs[1], atol=1e-6)


def test_crossentropies(oracle, keras):
    logits = _x(4, 5)
    labels = np.array([0, 3, 4, 1])
    onehot = np.eye(5, dtype="float32")[labels]
    for from_logits in (True, False):
        output = logits if from_logits else nn.softmax(logits)
        oracle.values(
            nn.categorical_crossentropy(onehot, output, from_logits),
            keras.ops.categorical_crossentropy(onehot, output, from_logits),
            atol=1e-5,
        )
        oracle.values(
            nn.sparse_categorical_crossentropy(labels, output, from_logits),
            keras.ops.sparse_categorical_crossentropy(labels, output, from_logits),
            atol=1e-5,
        )
        probabilities = logits if from_logits else nn.sigmoid(logits)
        oracle.values(
            nn.binary_crossentropy(onehot, probabilities, from_logits),
            keras.ops.binary_crossentropy(onehot, probabilities, from_logits),
            atol=1e-5,
        )


def test_ctc_loss_and_greedy_decode(oracle, keras):
    logits = _x(2, 6, 5)
    target = np.array([[1, 2, 0], [3, 3, 1]])
    target_length, output_length = np.array([2, 3]), np.array([6, 5])
    oracle.values(
        nn.ctc_loss(target, logits, target_length, output_length),
        keras.ops.ctc_loss(target, logits, target_length, output_length),
        atol=1e-4,
    )
    ours = nn.ctc_decode(logits, output_length)
    theirs = keras.ops.ctc_decode(logits, output_length)
    oracle.values(ours[0], theirs[0])
    oracle.values(ours[1], theirs[1], atol=1e-5)
    ours = nn.ctc_decode(logits, output_length, strategy="beam_search", top_paths=2)
    theirs = keras.ops.ctc_decode(logits, output_length, strategy="beam_search", top_paths=2)
    oracle.values(ours[0], theirs[0])
    oracle.values(ours[1], theirs[1], atol=1e-5)


def test_remat_and_gradients():
    fn = lambda x: x * 2  # noqa: E731
    assert core.remat(fn) is fn  # nothing to recompute without a backward pass
    with pytest.raises(NotImplementedError, match="value_and_gradients.*torch"):
        core.value_and_gradients(lambda x: knp.sum(x), [np.ones(2, "float32")])


def test_stateless_scope_reads_the_given_values_and_collects_assignments():
    variable = core.Variable(np.zeros(2, "float32"))
    with core.StatelessScope([(variable, np.ones(2, "float32"))]) as scope:
        assert core.get_stateless_scope() is scope and core.in_stateless_scope()
        np.testing.assert_array_equal(variable.numpy(), [1.0, 1.0])
        variable.assign(np.full(2, 5.0, "float32"))
        np.testing.assert_array_equal(scope.get_current_value(variable), [5.0, 5.0])
    assert not core.in_stateless_scope()
    np.testing.assert_array_equal(variable.numpy(), [0.0, 0.0])
    with pytest.raises(ValueError, match="should have shape"):
        core.StatelessScope([(variable, np.ones(3, "float32"))])


@pytest.mark.parametrize("is_causal", [False, True])
def test_dot_product_attention(oracle, keras, is_causal):
    q, k, v = _x(2, 4, 4, 8), _x(2, 5, 2, 8), _x(2, 5, 2, 8)
    if is_causal:
        k, v = k[:, :4], v[:, :4]
    mask = RNG.random((2, 1, 4, k.shape[1])) > 0.3
    oracle.values(
        nn.dot_product_attention(q, k, v, mask=mask, is_causal=is_causal),
        keras.ops.dot_product_attention(q, k, v, mask=mask, is_causal=is_causal),
        atol=1e-5,
    )


def test_one_hot_upsample_and_depth_to_space(oracle, keras):
    oracle.values(
        nn.one_hot(np.array([0, 2, 3, 1]), 4), keras.ops.one_hot(np.array([0, 2, 3, 1]), 4)
    )
    x = _x(2, 3, 4, 8)
    oracle.values(nn.depth_to_space(x, 2), keras.ops.depth_to_space(x, 2))
    oracle.values(nn.space_to_depth(x[:, :2], 2), keras.ops.space_to_depth(x[:, :2], 2))


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("size, antialias", [((9, 13), False), ((3, 4), False), ((3, 4), True)])
def test_resize(oracle, keras, interpolation, size, antialias):
    images = RNG.random((2, 6, 7, 3)).astype("float32")
    theirs = keras.ops.image.resize(images, size, interpolation=interpolation, antialias=antialias)
    ours = image.resize(images, size, interpolation=interpolation, antialias=antialias)
    oracle.values(ours, theirs, atol=1e-5)


def test_image_filters_and_colour(oracle, keras):
    images = RNG.random((2, 8, 9, 3)).astype("float32")
    oracle.values(
        image.gaussian_blur(images, (3, 3), (1.0, 1.0)),
        keras.ops.image.gaussian_blur(images, (3, 3), (1.0, 1.0), data_format="channels_last"),
        atol=1e-5,
    )
    oracle.values(image.rgb_to_hsv(images), keras.ops.image.rgb_to_hsv(images), atol=1e-5)
    oracle.values(
        image.rgb_to_grayscale(images), keras.ops.image.rgb_to_grayscale(images), atol=1e-6
    )
    oracle.values(image.extract_patches(images, 3), keras.ops.image.extract_patches(images, 3))
    transform = np.tile(np.array([[0.9, 0.1, 1.5, -0.2, 1.1, -0.5, 0, 0]], "float32"), (2, 1))
    for fill_mode in ("constant", "reflect", "wrap"):
        oracle.values(
            image.affine_transform(images, transform, fill_mode=fill_mode),
            keras.ops.image.affine_transform(images, transform, fill_mode=fill_mode),
            atol=1e-5,
        )


def test_scale_and_translate(oracle, keras):
    images = RNG.random((2, 6, 7, 3)).astype("float32")
    for method in ("linear", "cubic", "lanczos3"):
        args = (images, (2, 9, 4, 3), [1.5, 0.6], [0.5, -0.2], (1, 2), method)
        oracle.values(
            image.scale_and_translate(*args),
            keras.ops.image.scale_and_translate(*args),
            atol=1e-5,
        )


def test_math_and_linalg(oracle, keras):
    x = _x(4, 6)
    a = _x(3, 3) + 3 * np.eye(3, dtype="float32")
    for ours, theirs in [
        (math.top_k(x, 3), keras.ops.top_k(x, 3)),
        (math.logsumexp(x, axis=1), keras.ops.logsumexp(x, axis=1)),
        (
            math.segment_max(x, np.array([0, 0, 2, 1]), 3),
            keras.ops.segment_max(x, np.array([0, 0, 2, 1]), 3),
        ),
        (math.erf(x), keras.ops.erf(x)),
        (math.rfft(x), keras.ops.rfft(x)),
        (math.stft(x, 4, 2, 4), keras.ops.stft(x, 4, 2, 4)),
        (linalg.inv(a), keras.ops.linalg.inv(a)),
        (linalg.solve(a, x[:3]), keras.ops.linalg.solve(a, x[:3])),
        (linalg.norm(x, axis=1), keras.ops.linalg.norm(x, axis=1)),
        (linalg.cholesky(a @ a.T), keras.ops.linalg.cholesky(a @ a.T)),
    ]:
        oracle.values(ours, theirs, atol=1e-4, rtol=1e-4)
    with pytest.raises(NotImplementedError, match="NumPy backend.*torch"):
        linalg.jvp(lambda t: t, (x,), (x,))


def test_numpy_family_dtypes_follow_keras(oracle, keras):
    i = np.arange(6, dtype="int32").reshape(2, 3)
    f = _x(2, 3)
    for name, args in [
        ("add", (i, 1.5)),
        ("multiply", (i, f)),
        ("mean", (i,)),
        ("sum", (i > 2,)),
        ("divide", (i, 2)),
        ("argmax", (f,)),
        ("concatenate", ([i, f],)),
        ("where", (i > 2, i, 0)),
        ("arange", (5,)),
        ("full", ((2,), 3)),
        ("sqrt", (i,)),
        ("maximum", (i, 2.5)),
    ]:
        oracle.values(getattr(knp, name)(*args), getattr(keras.ops, name)(*args), atol=1e-6)


def test_compute_output_spec_resolves_unknown_sizes():
    from cornu.core.keras_tensor import KerasTensor

    spec = core.compute_output_spec(
        lambda x: knp.reshape(x, (-1, 6)), KerasTensor((None, 2, 3), dtype="float32")
    )
    assert spec.shape == (None, 6) and spec.dtype == "float32"
    spec = core.compute_output_spec(lambda x: knp.sum(x, axis=0), KerasTensor((None, 4), "int8"))
    assert spec.shape == (4,) and spec.dtype == "int32"


def test_conversion_refuses_strings_and_symbolic_tensors():
    from cornu.core.keras_tensor import KerasTensor

    with pytest.raises(TypeError, match="numeric data"):
        core.convert_to_tensor(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="symbolic"):
        core.convert_to_tensor(KerasTensor((2,)))
    assert core.convert_to_tensor(3).dtype == np.int32
    assert core.convert_to_tensor([1.0, 2]).dtype == np.float32
    with pytest.raises(ValueError, match="CPU only"):
        with core.device_scope("gpu:0"):
            pass
