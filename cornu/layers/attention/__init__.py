"""Attention layers: Attention, AdditiveAttention, MultiHeadAttention, GroupedQueryAttention."""

from cornu.layers.attention.additive_attention import AdditiveAttention
from cornu.layers.attention.attention import Attention
from cornu.layers.attention.grouped_query_attention import GroupedQueryAttention
from cornu.layers.attention.multi_head_attention import MultiHeadAttention

GroupQueryAttention = GroupedQueryAttention

__all__ = [
    "AdditiveAttention",
    "Attention",
    "GroupQueryAttention",
    "GroupedQueryAttention",
    "MultiHeadAttention",
]
