"""Session switches: flash attention, traceback filtering and JAX's NNX (reset by
``clear_session()``)."""

from cornu.utils import global_state
from cornu.utils.traceback_utils import (  # noqa: F401 (part of this module's API)
    is_traceback_filtering_enabled,
)


def enable_flash_attention():
    """Lets attention layers (`MultiHeadAttention`, `GroupedQueryAttention`) use flash attention
    when their `flash_attention` argument is None: the backend picks its fastest kernel, flash
    attention included, where the inputs allow it (the default)."""
    global_state.set_global_attribute("flash_attention", None)


def disable_flash_attention():
    """Stops attention layers whose `flash_attention` argument is None from using the flash
    attention kernel."""
    global_state.set_global_attribute("flash_attention", False)


def is_flash_attention_enabled():
    """Whether flash attention is globally allowed: `False` after `disable_flash_attention()`,
    otherwise `None` (allowed, the backend decides)."""
    return global_state.get_global_attribute("flash_attention", None)


def enable_traceback_filtering():
    """Turns on traceback filtering (the default): errors raised inside cornu's `fit`,
    `evaluate`, `predict` and their `*_on_batch` forms are shown without cornu's internal
    frames."""
    global_state.set_global_attribute("traceback_filtering", True)


def disable_traceback_filtering():
    """Turns off traceback filtering: errors show every frame, cornu's internal ones too, which
    helps when debugging cornu itself."""
    global_state.set_global_attribute("traceback_filtering", False)


def is_nnx_enabled():
    """Whether the JAX backend's Flax NNX features are on: always `False`, as no JAX backend
    is active."""
    return False
