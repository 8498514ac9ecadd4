"""The search algorithms by themselves, as KerasTuner's `keras_tuner.oracles` names them."""

from cornu.tuner.bayesian import BayesianOptimizationOracle
from cornu.tuner.grid_search import GridSearchOracle
from cornu.tuner.hyperband import HyperbandOracle
from cornu.tuner.oracle import Oracle
from cornu.tuner.random_search import RandomSearchOracle

__all__ = [
    "BayesianOptimizationOracle",
    "GridSearchOracle",
    "HyperbandOracle",
    "Oracle",
    "RandomSearchOracle",
]
