"""Principle 2: only cornu/backend/ imports a framework."""

import pathlib
import re

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "cornu"
FRAMEWORK_IMPORT = re.compile(
    r"^\s*(import (torch|jax|tensorflow|pytensor)\b|from (torch|jax|tensorflow|pytensor)[\s.])",
    re.MULTILINE,
)


def test_no_framework_import_outside_backend():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "backend":
            continue
        if FRAMEWORK_IMPORT.search(path.read_text()):
            offenders.append(str(relative))
    assert offenders == [], f"these modules import torch/jax outside cornu/backend/: {offenders}"


def test_the_check_catches_an_import():
    assert FRAMEWORK_IMPORT.search("import numpy\nimport torch\n")
    assert FRAMEWORK_IMPORT.search("    from torch.nn import functional\n")
    assert not FRAMEWORK_IMPORT.search("import torchvision\n")
    assert not FRAMEWORK_IMPORT.search("# we do not import torch here\n")
