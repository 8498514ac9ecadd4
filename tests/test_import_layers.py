"""DESIGN.md's floors: imports go down only, so the package has no import circle.

Module-level imports between cornu's modules form a graph that must have no cycle. Imports
written inside functions are checked too: if moving them to the tops of their modules would
close a cycle, a circle is being dodged (a module sits on the wrong floor), and the test fails.
Imports of a package's own ``__init__`` by its members are ignored, as Python runs it first.
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cornu"


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _targets(node, current, modules, is_package):
    """The cornu modules an import statement loads."""
    found = []
    if isinstance(node, ast.Import):
        found = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = current.split(".")
            base = base[: len(base) - node.level + (1 if is_package else 0)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        for alias in node.names:
            child = f"{source}.{alias.name}"
            found.append(child if child in modules else source)
    return [t for t in found if t in modules and t != current]


def _imports(modules):
    """(module-level edges, function-level edges) as {module: {target}}."""
    top, inner = {}, {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        is_package = path.name == "__init__.py"
        top[name], inner[name] = set(), set()
        stack = [(child, False) for child in tree.body]
        while stack:
            node, nested = stack.pop()
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(node, name, modules, is_package):
                    if name.startswith(target + "."):
                        continue  # a member importing its own package's __init__
                    (inner if nested else top)[name].add(target)
            inside = nested or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            stack.extend((child, inside) for child in ast.iter_child_nodes(node))
    return top, inner


def _cycle_through(graph, start, end):
    """A path ``start -> ... -> end`` in ``graph``, or None."""
    seen, stack = {start}, [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == end:
                return path + [end]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def _cycles(graph):
    found = []
    for module, targets in graph.items():
        for target in targets:
            path = _cycle_through(graph, target, module)
            if path:
                found.append(" -> ".join([module] + path))
    return found


def test_no_import_circle():
    top, _ = _imports(_modules())
    cycles = _cycles(top)
    assert not cycles, "import circles:\n" + "\n".join(sorted(cycles)[:20])


def test_no_function_level_import_dodges_a_circle():
    top, inner = _imports(_modules())
    every = {m: top[m] | inner[m] for m in top}
    dodges = []
    for module, targets in inner.items():
        for target in targets - top[module]:
            path = _cycle_through(every, target, module)
            if path:
                dodges.append(f"{module} imports {target} in a function: " + " -> ".join(path))
    assert not dodges, "move these modules to their floor:\n" + "\n".join(sorted(dodges))


def test_the_check_sees_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}})
    assert not _cycles({"a": {"b"}, "b": {"c"}, "c": set()})
