"""What the scikit-learn wrappers need from scikit-learn, imported once and lazily named.

scikit-learn is an optional extra (``pip install "cornu[sklearn]"``). Without it the wrapper
classes still exist (so ``cornu.wrappers`` imports), and building one says what to install.
"""

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:  # the optional extra is missing
    sklearn = None

    class BaseEstimator:
        pass

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


def require_sklearn(symbol_name):
    """Raises an ``ImportError`` naming the extra when scikit-learn is not installed."""
    if sklearn is None:
        raise ImportError(
            f"{symbol_name} requires `scikit-learn` to be installed. "
            'Run `pip install scikit-learn` (or `pip install "cornu[sklearn]"`) to install it.'
        )


def validate_data(estimator, *args, **kwargs):
    """scikit-learn's input validation (``n_features_in_`` bookkeeping included)."""
    from sklearn.utils.validation import validate_data as _validate

    return _validate(estimator, *args, **kwargs)


def check_is_fitted(estimator):
    from sklearn.utils.validation import check_is_fitted as _check

    _check(estimator)


def type_of_target(y, raise_unknown=False):
    """scikit-learn's target type; ``raise_unknown`` turns ``"unknown"`` into a ValueError."""
    from sklearn.utils.multiclass import type_of_target as _type_of_target

    target_type = _type_of_target(y)
    if raise_unknown and target_type == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r}")
    return target_type


def routing_enabled():
    """Whether scikit-learn's metadata routing is switched on."""
    if sklearn is None:
        return False
    return bool(sklearn.get_config().get("enable_metadata_routing", False))


def check_model(model):
    """A model given to a wrapper must be compiled, with a loss and an optimizer."""
    if not getattr(model, "compiled", False) or not model.loss or not model.optimizer:
        raise RuntimeError("Given model needs to be compiled, and have a loss and an optimizer.")


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Turns 1D targets into 2D columns and back.

    For encoders that take 2D input only (``OneHotEncoder``). ``ndim_`` is the number of
    dimensions of the ``y`` it was fitted on.
    """

    def fit(self, y):
        self.ndim_ = y.ndim
        return self

    def transform(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        check_is_fitted(self)
        if self.ndim_ == 1 and y.ndim == 2:
            return np.squeeze(y, axis=1)
        return y
