"""name_scope: nested names that prefix the paths of the layers built (and the weights they
create) inside them."""

from cornu.utils import global_state


class name_scope:
    """Creates a sub-namespace for layer and weight paths.

    ```python
    with cornu.name_scope("encoder"):
        dense = cornu.layers.Dense(4)
        dense.build((None, 3))
    dense.path, dense.kernel.path  # "encoder/dense", "encoder/dense/kernel"
    ```

    Args:
        name: the scope's name (a string without `/`).
        caller: an optional object opening the scope (re-entering the same caller's scope of
            the same name opens no new level when `deduplicate`).
        deduplicate: see `caller`.
        override_parent: an absolute path that replaces the enclosing scopes' path.
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pop_on_exit = False

    def __enter__(self):
        stack = global_state.get_global_attribute("name_scope_stack", [], set_to_default=True)
        if self.deduplicate and stack and self.caller is not None:
            parent = stack[-1]
            if parent.caller is self.caller and parent.name == self.name:
                return self
        stack.append(self)
        self._pop_on_exit = True
        return self

    def __exit__(self, *exc):
        if self._pop_on_exit:
            stack = global_state.get_global_attribute("name_scope_stack")
            if stack:
                stack.pop()
            self._pop_on_exit = False


def current_path():
    """The path of the open name scopes (`"outer/inner"`), `""` when none is open."""
    parts = []
    for scope in global_state.get_global_attribute("name_scope_stack") or ():
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)
