"""Every public name of Keras 3's namespaces exists in cornu's namesake (issue: "The whole
Keras 3 surface"), except the short written list below, each with its reason.

A Keras program stops at the first name cornu lacks; this test lists Keras's names with
``dir()`` and fails on any that cornu lacks and that is not excluded here.
"""

import pytest

import cornu

NAMESPACES = [
    "",
    "activations",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "datasets",
    "dtype_policies",
    "initializers",
    "layers",
    "legacy",
    "legacy.saving",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "ops",
    "ops.image",
    "ops.linalg",
    "ops.nn",
    "ops.numpy",
    "optimizers",
    "optimizers.schedules",
    "preprocessing",
    "preprocessing.image",
    "preprocessing.sequence",
    "quantizers",
    "random",
    "regularizers",
    "saving",
    "tree",
    "utils",
]

# Names deliberately absent, each with its reason. Names of later issues are listed under the
# issue that adds them; everything else here is a permanent exclusion.
EXCLUDED = {
    "": {
        "src": "Keras's private source tree, not API",
        "distillation": "Keras 3.15's distillation API: not in any open issue yet",
    },
    "utils": {
        "bounding_boxes": "Keras's bounding-box utilities: not in any open issue yet",
    },
    "callbacks": {
        "OrbaxCheckpoint": "JAX's Orbax checkpointing: belongs to the JAX backend",
    },
    "quantizers": {
        "GPTQConfig": "GPTQ calibrated quantization: not built (issue 16: only if cheap)",
        "AWQConfig": "AWQ calibrated quantization: not built (issue 16: only if cheap)",
    },
    "saving": {
        "KerasFileEditor": "Keras's interactive .keras editor: not in any open issue yet",
    },
}


def _resolve(module, path):
    for part in filter(None, path.split(".")):
        module = getattr(module, part, None)
        if module is None:
            return None
    return module


def _public_names(module):
    return {n for n in dir(module) if not n.startswith("_")}


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_cornu_has_every_public_keras_name(keras, namespace):
    theirs = _resolve(keras, namespace)
    if theirs is None:
        pytest.skip(f"keras.{namespace} does not exist in this Keras")
    ours = _resolve(cornu, namespace)
    assert ours is not None, f"cornu.{namespace} is missing"
    excluded = EXCLUDED.get(namespace, {})
    names = _public_names(theirs)
    missing = sorted(n for n in names - set(excluded) if not hasattr(ours, n))
    assert not missing, f"cornu.{namespace or '<top>'} lacks {len(missing)}: {missing}"


def test_every_exclusion_is_still_needed(keras):
    """An excluded name that cornu has gained must leave the list."""
    stale = [
        f"{namespace}.{name}"
        for namespace, names in EXCLUDED.items()
        for name in names
        if _resolve(cornu, namespace) is not None and hasattr(_resolve(cornu, namespace), name)
    ]
    assert not stale, f"remove these from EXCLUDED, cornu has them now: {stale}"
