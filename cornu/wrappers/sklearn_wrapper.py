"""scikit-learn estimators around cornu models: a classifier, a regressor and a transformer."""

import copy

import numpy as np

from cornu.models import Model, clone_model
from cornu.wrappers import _sklearn_support as support
from cornu.wrappers._sklearn_support import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    TargetReshaper,
    TransformerMixin,
)


class SKLBase(BaseEstimator):
    """Base class of the scikit-learn wrappers.

    Args:
        model: a compiled `Model` (cloned with `clone_model` before each fit unless
            `warm_start=True`), or a callable returning one; the callable gets `X` and `y`
            as keyword arguments, plus `model_kwargs`.
        warm_start: whether a new fit continues from the weights of the previous one.
        model_kwargs: keyword arguments for `model` when it is a callable.
        fit_kwargs: keyword arguments for `model.fit`; those given to `fit` directly win.

    Two Keras 3.15 traps are not copied: Keras's `fit` merges its keyword arguments into the
    `fit_kwargs` parameter itself (so they stick to later fits), and its clone drops
    `fit_kwargs` (so `GridSearchCV` trains its clones without them). Here `fit_kwargs` is
    never changed and clones keep it.

    Attributes:
        model_: the fitted model.
        history_: the `History` that `model.fit` returned.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        support.require_sklearn(self.__class__.__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self):
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        """A fresh, unfitted copy (used by `sklearn.base.clone`)."""
        model = self.model if callable(self.model) else copy.deepcopy(self.model)
        return type(self)(
            model=model,
            warm_start=self.warm_start,
            model_kwargs=self.model_kwargs,
            fit_kwargs=self.fit_kwargs,
        )

    @property
    def epoch_(self):
        """The epochs the last fit ran (`history_.epoch`), 0 before any fit."""
        history = getattr(self, "history_", None)
        return getattr(history, "epoch", 0) if history is not None else 0

    def set_fit_request(self, **kwargs):
        """Routes `score` metadata (scikit-learn's metadata routing must be on)."""
        if not support.routing_enabled():
            raise RuntimeError(
                "This method is only available when metadata routing is enabled. You can "
                "enable it using sklearn.set_config(enable_metadata_routing=True)."
            )
        from sklearn.utils.metadata_routing import MetadataRequest

        self._metadata_request = MetadataRequest(owner=self.__class__.__name__)
        for param, alias in kwargs.items():
            self._metadata_request.score.add_request(param=param, alias=alias)
        return self

    def _get_model(self, X, y):
        if isinstance(self.model, Model):
            return clone_model(self.model)
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Fits the model on `X` (n_samples, n_features) and `y`; `kwargs` go to `model.fit`."""
        X, y = support.validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        support.check_model(model)
        fit_kwargs = {**(self.fit_kwargs or {}), **kwargs}
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def predict(self, X):
        """The model's predictions for `X`, with the target encoding undone."""
        support.check_is_fitted(self)
        X = support.validate_data(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X))

    def _process_target(self, y, reset=False):
        support.type_of_target(y, raise_unknown=True)
        if reset:
            self._target_encoder = TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """scikit-learn classifier around a cornu model.

    The labels are one-hot encoded for the model (so it should end in one unit per class,
    e.g. a softmax), and `predict` maps the outputs back to the original labels.
    Arguments as `SKLBase`: `model`, `warm_start`, `model_kwargs`, `fit_kwargs`.

    Attributes:
        model_: the fitted model.
        history_: the `History` of the fit.
        classes_: the class labels, sorted.
    """

    def decision_function(self, X):
        """The model's raw outputs for `X`."""
        support.check_is_fitted(self)
        X = support.validate_data(self, X, reset=False)
        return self.model_.predict(X)

    def _process_target(self, y, reset=False):
        target_type = support.type_of_target(y, raise_unknown=True)
        if target_type not in ["binary", "multiclass"]:
            raise ValueError(
                f"Only binary and multiclass target types are supported. Target type: {target_type}"
            )
        if reset:
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import OneHotEncoder

            self._target_encoder = make_pipeline(
                TargetReshaper(), OneHotEncoder(sparse_output=False)
            ).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def _more_tags(self):
        return {"poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """scikit-learn regressor around a cornu model.

    Arguments as `SKLBase`: `model`, `warm_start`, `model_kwargs`, `fit_kwargs`. A 1D `y`
    is fed to the model as a column and predictions come back 1D.

    Attributes:
        model_: the fitted model.
        history_: the `History` of the fit.
    """

    def _more_tags(self):
        return {"poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """scikit-learn transformer around a cornu model: `transform(X)` is `model.predict(X)`.

    (A transformer in scikit-learn's sense, e.g. an embedding step of a `Pipeline`.)
    Arguments as `SKLBase`: `model`, `warm_start`, `model_kwargs`, `fit_kwargs`.

    Attributes:
        model_: the fitted model.
        history_: the `History` of the fit.
    """

    def transform(self, X):
        """The model's outputs for `X` (n_samples, n_features)."""
        support.check_is_fitted(self)
        X = support.validate_data(self, X, reset=False)
        return self.model_.predict(X)

    def _more_tags(self):
        return {"preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
