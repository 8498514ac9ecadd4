"""scikit-learn wrappers: cornu models as scikit-learn estimators (extra `cornu[sklearn]`)."""

from cornu.wrappers.sklearn_wrapper import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
