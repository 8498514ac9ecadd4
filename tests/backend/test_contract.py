"""Every backend package provides what cornu/backend/contract.py lists, and nothing above the
backend reaches past it."""

import ast
import importlib
import inspect
import pathlib

import pytest

from cornu.backend import contract
from cornu.core import config

ROOT = pathlib.Path(__file__).resolve().parents[2]
BACKENDS = [p.name for p in (ROOT / "cornu" / "backend").iterdir() if (p / "__init__.py").exists()]


def _parameters(fn):
    """A signature as the contract writes it: parameters and defaults, no annotations."""
    signature = inspect.signature(fn)
    params = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=params, return_annotation=inspect.Signature.empty))


def _installed(name):
    try:
        return importlib.import_module(f"cornu.backend.{name}")
    except ImportError:
        pytest.skip(f"the {name} backend's engine is not installed")


@pytest.mark.parametrize("name", BACKENDS)
def test_backend_provides_every_contract_name(name):
    module = _installed(name)
    missing = [n for n in contract.TOP_LEVEL if not hasattr(module, n)]
    for family, functions in contract.FAMILIES.items():
        family_module = getattr(module, family, None)
        if family_module is None:
            missing.append(family)
            continue
        missing += [f"{family}.{f}" for f in functions if not hasattr(family_module, f)]
    assert not missing, f"backend {name!r} lacks: {missing}"


@pytest.mark.parametrize("name", BACKENDS)
def test_backend_functions_have_the_contract_signatures(name):
    module = _installed(name)
    wrong = []
    for family, functions in contract.FAMILIES.items():
        for function, expected in functions.items():
            fn = getattr(getattr(module, family), function)
            if expected is None or expected == "class":
                continue
            try:
                got = _parameters(fn)
            except (TypeError, ValueError):
                continue  # an engine builtin bound as it is: called positionally, as listed
            if got != expected:
                wrong.append(f"{family}.{function}{got} != {expected}")
    for cls, methods in (
        (module.BackendLayer, contract.LAYER_METHODS),
        (module.BackendTrainer, contract.TRAINER_METHODS),
    ):
        for method, expected in methods.items():
            got = _parameters(
                inspect.getattr_static(cls, method).__func__
                if isinstance(inspect.getattr_static(cls, method), staticmethod)
                else getattr(cls, method)
            )
            if got != expected:
                wrong.append(f"{cls.__name__}.{method}{got} != {expected}")
    assert not wrong, "\n".join(wrong)


def test_ops_bind_only_contract_names():
    """cornu.ops and cornu.random take from a backend family only what the contract lists."""
    bound = {}
    for path in [*(ROOT / "cornu" / "ops").glob("*.py"), ROOT / "cornu" / "random" / "__init__.py"]:
        tree = ast.parse(path.read_text())
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "cornu.backend":
                for alias in node.names:
                    aliases[alias.asname or alias.name] = alias.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                bound.setdefault(aliases[node.value.id], set()).add(node.attr)
    unlisted = sorted(
        f"{family}.{name}"
        for family, names in bound.items()
        if family in contract.FAMILIES
        for name in names - set(contract.FAMILIES[family])
    )
    assert not unlisted, f"add these to cornu/backend/contract.py: {unlisted}"


def _self_reads(path, class_name):
    tree = ast.parse(path.read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    own = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    reads = set()
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "self":
                reads.add(node.attr)
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "get":
                reads.add(node.args[0].value)  # self.__dict__.get("name")
            if isinstance(node.func, ast.Name) and node.func.id == "getattr":
                reads.add(node.args[1].value)
    return reads - own


def _written(path, class_name):
    tree = ast.parse(path.read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    return {
        t.attr
        for node in ast.walk(cls)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
    }


@pytest.mark.parametrize("name", BACKENDS)
def test_backend_halves_read_only_declared_members(name):
    module = _installed(name)
    undeclared = []
    for cls, allowed in (
        (module.BackendLayer, contract.LAYER_MEMBERS_READ),
        (module.BackendTrainer, contract.MODEL_MEMBERS_READ),
    ):
        path = pathlib.Path(inspect.getfile(cls))
        reads = _self_reads(path, cls.__name__)
        own_state = _written(path, cls.__name__)
        torch_module_state = {"_modules", "_parameters", "_forward_hooks", "_forward_pre_hooks"}
        extra = reads - set(allowed) - own_state - {"__dict__"}
        if name == "torch":
            extra -= torch_module_state  # the torch.nn.Module base class's own state
        undeclared += [f"{cls.__name__} reads {a}" for a in sorted(extra)]
    assert not undeclared, f"declare these in contract.py or pass them explicitly: {undeclared}"


def test_selected_backend_is_bound_from_the_contract():
    import cornu.backend as selected

    module = importlib.import_module(f"cornu.backend.{config.backend()}")
    for name in contract.TOP_LEVEL:
        assert getattr(selected, name) is getattr(module, name)


@pytest.mark.parametrize("name", ["jax", "tensorflow"])
def test_missing_engine_says_how_to_install_it(monkeypatch, name):
    import cornu.backend as selected

    def missing(module_name):
        error = ModuleNotFoundError(f"No module named {name!r}")
        error.name = name
        raise error

    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(ImportError, match=rf'pip install "cornu\[{name}\]"'):
        selected._import_backend(name)
