"""The rest of the nn family on TensorFlow tensors: attention, PSNR, ``polar``, depth/space
moves and ``unfold``/``fold`` (im2col and col2im)."""

import numpy as np
import tensorflow as tf

from cornu.backend.tensorflow.core import convert_to_tensor, to_tf_dtype
from cornu.backend.tensorflow.nn_conv import dilate
from cornu.core.config import floatx, standardize_data_format
from cornu.core.conv_args import blocks, pair


def _large_negative(dtype):
    # Keras's additive mask value on torch: 0.7 times the largest float of the dtype's range.
    largest = 65500.0 if dtype == tf.float16 else 3.38953e38
    return tf.constant(-0.7 * largest, dtype=dtype)


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention ``softmax(q k^T * scale + bias) v``.

    ``query`` is ``(B, T, N, H)``, ``key`` and ``value`` ``(B, S, K, H)`` (``N`` a multiple of
    ``K``); ``mask`` is boolean, broadcastable to ``(B, N, T, S)`` (False excludes a position;
    a row that excludes every position averages all values, as on torch); returns
    ``(B, T, N, H)``.
    """
    if flash_attention:
        raise ValueError(
            "Flash attention is not supported by cornu's TensorFlow backend. "
            "Set flash_attention=None or False."
        )
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "attn_logits_soft_cap is only supported for JAX on TPU. "
            "Set attn_logits_soft_cap=None when not using JAX on TPU."
        )
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    if query.shape.rank != 4 or key.shape.rank != 4 or value.shape.rank != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. Received: "
            f"query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
            f"value.shape={tuple(value.shape)}."
        )
    if bias is not None and mask is not None:
        raise ValueError("Only one of `bias` and `mask` can be provided. Received both.")
    dtype = tf.as_dtype(tf.experimental.numpy.result_type(query.dtype, key.dtype, value.dtype))
    if not dtype.is_floating:
        dtype = to_tf_dtype(floatx())
    query, key, value = (tf.cast(t, dtype) for t in (query, key, value))
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads != kv_heads:
        if kv_heads == 0 or heads % kv_heads:
            raise ValueError(
                "The number of query heads must be a multiple of the number of key/value "
                f"heads. Received: query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}"
            )
        key = tf.repeat(key, heads // kv_heads, axis=2)
        value = tf.repeat(value, heads // kv_heads, axis=2)
    scale = 1.0 / np.sqrt(query.shape[-1]) if scale is None else scale
    logits = tf.einsum("btnh,bsnh->bnts", query, key) * tf.cast(scale, dtype)
    if bias is not None:
        logits = logits + tf.cast(convert_to_tensor(bias), dtype)
    if is_causal:
        steps, source = tf.shape(query)[1], tf.shape(key)[1]
        causal = tf.range(steps)[:, None] >= tf.range(source)[None, :]
        mask = causal if mask is None else tf.logical_and(convert_to_tensor(mask, "bool"), causal)
    if mask is not None:
        logits = logits + tf.where(
            convert_to_tensor(mask, "bool"), tf.zeros((), dtype), _large_negative(dtype)
        )
    wide = tf.cast(logits, tf.float32)
    weights = tf.exp(wide - tf.reduce_max(wide, axis=-1, keepdims=True))
    weights = tf.cast(weights / tf.reduce_sum(weights, axis=-1, keepdims=True), dtype)
    return tf.einsum("bnts,bsnh->btnh", weights, value)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mse(x1, x2))``, in dB."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            "`psnr` expects inputs of the same shape. "
            f"Received: x1.shape={tuple(x1.shape)}, x2.shape={tuple(x2.shape)}"
        )
    max_val = convert_to_tensor(max_val, dtype=x1.dtype)
    mse = tf.reduce_mean(tf.square(x1 - x2))
    ten = tf.math.log(tf.constant(10.0, x1.dtype))
    return 20 * tf.math.log(max_val) / ten - 10 * tf.math.log(mse) / ten


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + i sin(angle))`` (both inputs floats)."""
    abs_, angle = convert_to_tensor(abs_), convert_to_tensor(angle)
    if not (abs_.dtype.is_floating and angle.dtype.is_floating):
        raise ValueError(
            "`polar` expects float `abs_` and `angle`. "
            f"Received: abs_ of dtype {abs_.dtype.name}, angle of dtype {angle.dtype.name}"
        )
    if abs_.shape != angle.shape:
        raise ValueError(
            "`polar` expects `abs_` and `angle` of the same shape. "
            f"Received: {tuple(abs_.shape)} and {tuple(angle.shape)}"
        )
    wide = tf.float64 in (abs_.dtype, angle.dtype)
    part = tf.float64 if wide else tf.float32  # complex128 from float64, as torch.polar
    abs_, angle = tf.cast(abs_, part), tf.cast(angle, part)
    return tf.complex(abs_ * tf.cos(angle), abs_ * tf.sin(angle))


def _check_block(x, block_size, op):
    x = convert_to_tensor(x)
    if not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"`{op}` expects `block_size` >= 2. Received: block_size={block_size!r}")
    if x.shape.rank != 4:
        raise ValueError(
            f"`{op}` expects a 4-D input (batch, height, width, channels). "
            f"Received: input with shape {tuple(x.shape)}"
        )
    return x


def depth_to_space(x, block_size, data_format="channels_last"):
    """``(N, H, W, C)`` -> ``(N, H * b, W * b, C / b**2)`` (as TensorFlow's op)."""
    x = _check_block(x, block_size, "depth_to_space")
    b = block_size
    last = standardize_data_format(data_format) == "channels_last"
    c = x.shape[3] if last else x.shape[1]
    if c % (b * b):
        raise ValueError(
            f"`depth_to_space` expects channels divisible by block_size**2 = {b * b}. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    if last:
        _, h, w, c = x.shape
        x = tf.transpose(tf.reshape(x, (-1, h, w, b, b, c // (b * b))), (0, 1, 3, 2, 4, 5))
        return tf.reshape(x, (-1, h * b, w * b, c // (b * b)))
    _, c, h, w = x.shape
    x = tf.transpose(tf.reshape(x, (-1, c // (b * b), b, b, h, w)), (0, 1, 4, 2, 5, 3))
    return tf.reshape(x, (-1, c // (b * b), h * b, w * b))


def space_to_depth(x, block_size, data_format="channels_last"):
    """``(N, H, W, C)`` -> ``(N, H / b, W / b, C * b**2)`` (as TensorFlow's op)."""
    x = _check_block(x, block_size, "space_to_depth")
    b = block_size
    last = standardize_data_format(data_format) == "channels_last"
    h, w = (x.shape[1], x.shape[2]) if last else (x.shape[2], x.shape[3])
    if h % b or w % b:
        raise ValueError(
            f"`space_to_depth` expects height and width divisible by block_size={b}. "
            f"Received: input with shape {tuple(x.shape)}"
        )
    if last:
        c = x.shape[3]
        x = tf.transpose(tf.reshape(x, (-1, h // b, b, w // b, b, c)), (0, 1, 3, 2, 4, 5))
        return tf.reshape(x, (-1, h // b, w // b, c * b * b))
    c = x.shape[1]
    x = tf.transpose(tf.reshape(x, (-1, c, h // b, b, w // b, b)), (0, 1, 3, 5, 2, 4))
    return tf.reshape(x, (-1, c * b * b, h // b, w // b))


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding ``kernel_size`` blocks of ``(N, C, H, W)`` as columns ``(N, C * kh * kw, L)``
    (im2col), ``L`` the number of block positions."""
    x = convert_to_tensor(x)
    if x.shape.rank != 4:
        raise ValueError(
            f"`unfold` expects a 4-D input (N, C, H, W). Received: input.shape={tuple(x.shape)}"
        )
    k, d, p, s = (pair(v) for v in (kernel_size, dilation, padding, stride))
    c = x.shape[1]
    oh = blocks(x.shape[2], k[0], d[0], p[0], s[0])
    ow = blocks(x.shape[3], k[1], d[1], p[1], s[1])
    x = tf.pad(x, [[0, 0], [0, 0], [p[0], p[0]], [p[1], p[1]]])
    pieces = []
    for i in range(k[0]):
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + s[0] * (oh - 1) + 1, s[0])
            cols = slice(j * d[1], j * d[1] + s[1] * (ow - 1) + 1, s[1])
            pieces.append(x[:, :, rows, cols])
    patches = tf.stack(pieces, axis=2)  # (N, C, kh * kw, oh, ow)
    return tf.reshape(patches, (-1, c * k[0] * k[1], oh * ow))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The inverse of ``unfold`` (col2im): sums the blocks of ``x`` ``(N, C * kh * kw, L)``
    into ``(N, C, *output_size)``; overlapping cells add up."""
    x = convert_to_tensor(x)
    if x.shape.rank != 3:
        raise ValueError(
            "`fold` expects a 3-D input (N, C * kh * kw, L). "
            f"Received: input.shape={tuple(x.shape)}"
        )
    k, d, p, s = (pair(v) for v in (kernel_size, dilation, padding, stride))
    h, w = pair(output_size)
    c = x.shape[1] // (k[0] * k[1])
    oh = blocks(h, k[0], d[0], p[0], s[0])
    ow = blocks(w, k[1], d[1], p[1], s[1])
    grid = tf.reshape(x, (-1, c, k[0], k[1], oh, ow))
    full_h, full_w = h + 2 * p[0], w + 2 * p[1]
    out = None
    for i in range(k[0]):
        for j in range(k[1]):
            block = dilate(dilate(grid[:, :, i, j], 2, s[0]), 3, s[1])
            top, left = i * d[0], j * d[1]
            bottom = full_h - top - block.shape[2]
            right = full_w - left - block.shape[3]
            placed = tf.pad(block, [[0, 0], [0, 0], [top, bottom], [left, right]])
            out = placed if out is None else out + placed
    return out[:, :, p[0] : p[0] + h, p[1] : p[1] + w]
