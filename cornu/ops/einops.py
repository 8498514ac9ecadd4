"""``rearrange``: einops-style axis reshuffling written with ``reshape`` and ``transpose``."""

import math
import re

from cornu.ops.core import convert_to_tensor
from cornu.ops.numpy import reshape, transpose

_GROUP = re.compile(r"\(([\w\s]*)\)|(\w+)")


def _parse(side, pattern):
    """The axis groups of one side of a pattern: ``"b (h w) c"`` gives
    ``[["b"], ["h", "w"], ["c"]]``."""
    groups = []
    for match in _GROUP.finditer(side):
        names = match.group(1).split() if match.group(1) is not None else [match.group(2)]
        groups.append(names)
    leftover = _GROUP.sub("", side).strip()
    if leftover:
        raise ValueError(
            f"`rearrange` cannot read {leftover!r} in the pattern. Received: pattern={pattern!r}"
        )
    return groups


def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, splits and merges the axes of ``tensor`` as ``pattern`` says.

    ``pattern`` names the input axes, ``->``, then the output axes; a parenthesized group
    is several axes stored as one (``"b (h w) c -> b h w c"``). The sizes of axes that a
    group splits are given as keywords (``h=2``); one per group may be left out and inferred.
    """
    if pattern.count("->") != 1:
        raise ValueError(
            f"`rearrange` expects a pattern 'input axes -> output axes'. Received: {pattern!r}"
        )
    tensor = convert_to_tensor(tensor)
    left, right = pattern.split("->")
    inputs, outputs = _parse(left, pattern), _parse(right, pattern)
    shape = tuple(tensor.shape)
    if len(inputs) != len(shape):
        raise ValueError(
            f"`rearrange` pattern {left.strip()!r} names {len(inputs)} axes but the input has "
            f"{len(shape)} (shape {shape})"
        )
    sizes = {}
    for group, dim in zip(inputs, shape):
        unknown = [a for a in group if a not in axes_lengths]
        if len(unknown) > 1:
            raise ValueError(
                f"`rearrange` cannot infer the sizes of {unknown} in one group: give all but "
                f"one as keywords. Received: pattern={pattern!r}"
            )
        known = math.prod(axes_lengths[a] for a in group if a in axes_lengths)
        for axis in group:
            sizes[axis] = axes_lengths[axis] if axis in axes_lengths else dim // known
    flat_in = [a for group in inputs for a in group]
    flat_out = [a for group in outputs for a in group]
    if sorted(flat_in) != sorted(flat_out):
        raise ValueError(
            f"`rearrange` expects the same axes on both sides. Received: pattern={pattern!r}"
        )
    decomposed = [sizes[a] for a in flat_in]
    if tuple(decomposed) != shape:
        tensor = reshape(tensor, decomposed)
    tensor = transpose(tensor, [flat_in.index(a) for a in flat_out])
    return reshape(tensor, [math.prod(sizes[a] for a in group) for group in outputs])


__all__ = ["rearrange"]
