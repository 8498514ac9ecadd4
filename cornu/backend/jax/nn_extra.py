"""The rest of the nn family on jax arrays: attention, PSNR, ``polar``, depth/space moves and
``unfold``/``fold`` (im2col and col2im)."""

import jax.numpy as jnp
import numpy as np

from cornu.backend.jax.core import convert_to_tensor, to_jax_dtype
from cornu.core.config import floatx, standardize_data_format
from cornu.core.conv_args import blocks as _blocks
from cornu.core.conv_args import pair as _pair


def _large_negative(dtype):
    # Keras's additive mask value on torch: 0.7 times the largest float of the dtype's range.
    largest = 65500.0 if dtype == jnp.float16 else 3.38953e38
    return jnp.asarray(-0.7 * largest, dtype=dtype)


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
            "Flash attention is not supported by cornu's JAX backend. "
            "Set flash_attention=None or False."
        )
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "attn_logits_soft_cap is only supported for JAX on TPU. "
            "Set attn_logits_soft_cap=None when not using JAX on TPU."
        )
    query, key, value = (convert_to_tensor(t) for t in (query, key, value))
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. Received: "
            f"query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
            f"value.shape={tuple(value.shape)}."
        )
    if bias is not None and mask is not None:
        raise ValueError("Only one of `bias` and `mask` can be provided. Received both.")
    dtype = jnp.result_type(query.dtype, key.dtype, value.dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = to_jax_dtype(floatx())
    query, key, value = (t.astype(dtype) for t in (query, key, value))
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads != kv_heads:
        if kv_heads == 0 or heads % kv_heads:
            raise ValueError(
                "The number of query heads must be a multiple of the number of key/value "
                f"heads. Received: query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}"
            )
        key = jnp.repeat(key, heads // kv_heads, axis=2)
        value = jnp.repeat(value, heads // kv_heads, axis=2)
    scale = 1.0 / np.sqrt(query.shape[-1]) if scale is None else scale
    logits = jnp.einsum("btnh,bsnh->bnts", query, key) * jnp.asarray(scale, dtype)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).astype(dtype)
    if is_causal:
        causal = jnp.tril(jnp.ones((query.shape[1], key.shape[1]), dtype=bool))
        mask = causal if mask is None else jnp.logical_and(convert_to_tensor(mask, "bool"), causal)
    if mask is not None:
        logits = logits + jnp.where(
            convert_to_tensor(mask, "bool"), jnp.zeros((), dtype), _large_negative(dtype)
        )
    peak = jnp.max(logits.astype(jnp.float32), axis=-1, keepdims=True)
    weights = jnp.exp(logits.astype(jnp.float32) - peak)
    weights = (weights / jnp.sum(weights, axis=-1, keepdims=True)).astype(dtype)
    return jnp.einsum("bnts,bsnh->btnh", weights, value).astype(dtype)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mse(x1, x2))``, in dB."""
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            "`psnr` expects inputs of the same shape. "
            f"Received: x1.shape={tuple(x1.shape)}, x2.shape={tuple(x2.shape)}"
        )
    max_val = convert_to_tensor(max_val, dtype=x1.dtype)
    mse = jnp.mean((x1 - x2) ** 2)
    return 20 * jnp.log10(max_val) - 10 * jnp.log10(mse)


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + i sin(angle))`` (both inputs floats)."""
    abs_, angle = convert_to_tensor(abs_), convert_to_tensor(angle)
    if not (jnp.issubdtype(abs_.dtype, jnp.floating) and jnp.issubdtype(angle.dtype, jnp.floating)):
        raise ValueError(
            "`polar` expects float `abs_` and `angle`. "
            f"Received: abs_ of dtype {abs_.dtype}, angle of dtype {angle.dtype}"
        )
    if abs_.shape != angle.shape:
        raise ValueError(
            "`polar` expects `abs_` and `angle` of the same shape. "
            f"Received: {tuple(abs_.shape)} and {tuple(angle.shape)}"
        )
    return jnp.asarray(abs_ * jnp.cos(angle) + 1j * (abs_ * jnp.sin(angle))).astype(jnp.complex64)


def _check_block(x, block_size, op):
    x = convert_to_tensor(x)
    if not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"`{op}` expects `block_size` >= 2. Received: block_size={block_size!r}")
    if x.ndim != 4:
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
        n, h, w, c = x.shape
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


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
        n, _, _, c = x.shape
        x = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, _, _ = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding ``kernel_size`` blocks of ``(N, C, H, W)`` as columns ``(N, C * kh * kw, L)``
    (im2col), ``L`` the number of block positions."""
    x = convert_to_tensor(x)
    if x.ndim != 4:
        raise ValueError(
            f"`unfold` expects a 4-D input (N, C, H, W). Received: input.shape={tuple(x.shape)}"
        )
    k, d, p, s = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    x = jnp.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    n, c = x.shape[:2]
    oh = _blocks(x.shape[2] - 2 * p[0], k[0], d[0], p[0], s[0])
    ow = _blocks(x.shape[3] - 2 * p[1], k[1], d[1], p[1], s[1])
    pieces = []
    for i in range(k[0]):
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + s[0] * (oh - 1) + 1, s[0])
            cols = slice(j * d[1], j * d[1] + s[1] * (ow - 1) + 1, s[1])
            pieces.append(x[:, :, rows, cols])
    patches = jnp.stack(pieces, axis=2)  # (N, C, kh * kw, oh, ow)
    return patches.reshape(n, c * k[0] * k[1], oh * ow)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The inverse of ``unfold`` (col2im): sums the blocks of ``x`` ``(N, C * kh * kw, L)``
    into ``(N, C, *output_size)``; overlapping cells add up."""
    x = convert_to_tensor(x)
    if x.ndim != 3:
        raise ValueError(
            "`fold` expects a 3-D input (N, C * kh * kw, L). "
            f"Received: input.shape={tuple(x.shape)}"
        )
    k, d, p, s = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    h, w = _pair(output_size)
    n = x.shape[0]
    c = x.shape[1] // (k[0] * k[1])
    oh = _blocks(h, k[0], d[0], p[0], s[0])
    ow = _blocks(w, k[1], d[1], p[1], s[1])
    blocks = x.reshape(n, c, k[0], k[1], oh, ow)
    out = jnp.zeros((n, c, h + 2 * p[0], w + 2 * p[1]), dtype=x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + s[0] * (oh - 1) + 1, s[0])
            cols = slice(j * d[1], j * d[1] + s[1] * (ow - 1) + 1, s[1])
            out = out.at[:, :, rows, cols].add(blocks[:, :, i, j])
    return out[:, :, p[0] : p[0] + h, p[1] : p[1] + w]
