"""RematScope: which layers created inside it recompute their activations in the backward pass
(gradient checkpointing), trading compute for memory."""

import collections

from cornu.utils import global_state

RematMode = collections.namedtuple("RematMode", ["mode", "output_size_threshold", "layer_names"])

_MODES = ("full", "activations", "larger_than", "list_of_layers", None)


class RematScope:
    """Enables rematerialization (gradient checkpointing) for the layers created in the scope:
    their intermediate activations are recomputed during the backward pass instead of kept.

    ```python
    with cornu.RematScope(mode="full"):
        dense = cornu.layers.Dense(64)
    ```

    Args:
        mode: `"full"` (every layer created in the scope), `"activations"` (the activation
            functions of layers that have one, e.g. `Dense(..., activation="relu")`),
            `"larger_than"` (layers whose output has more than `output_size_threshold`
            values), `"list_of_layers"` (the layers named in `layer_names`), or None (off).
        output_size_threshold: the output size above which `"larger_than"` applies.
        layer_names: the layer names for `"list_of_layers"`.
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', 'activations', "
                "'larger_than', 'list_of_layers', or  None."
            )
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = list(layer_names or [])

    def __enter__(self):
        stack = global_state.get_global_attribute("remat_scope_stack", [], set_to_default=True)
        stack.append(self)
        return self

    def __exit__(self, *exc):
        stack = global_state.get_global_attribute("remat_scope_stack")
        if stack:
            stack.pop()


def get_current_remat_mode():
    """The `RematMode` of the innermost active `RematScope`, or None (also when its mode is
    None)."""
    stack = global_state.get_global_attribute("remat_scope_stack")
    if not stack or stack[-1].mode is None:
        return None
    scope = stack[-1]
    return RematMode(scope.mode, scope.output_size_threshold, scope.layer_names)
