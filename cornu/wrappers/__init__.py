"""scikit-learn wrappers: cornu models as scikit-learn estimators (extra `cornu[sklearn]`).

The classes subclass scikit-learn's, so scikit-learn (a second of import time) is imported
only when one of them is first used, not by `import cornu`.
"""

import importlib

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]


def __getattr__(name):
    if name in __all__:
        module = importlib.import_module("cornu.wrappers.sklearn_wrapper")
        return getattr(module, name)
    raise AttributeError(f"module 'cornu.wrappers' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
