"""Hyperparameter search with KerasTuner's API: `HyperParameters`, `HyperModel`, `Objective`
and the tuners `RandomSearch`, `GridSearch`, `BayesianOptimization` and `Hyperband`, plus
trials in parallel processes (`search(..., n_jobs=N)`), pruning (`MedianPruner`) and searches
that resume from their directory."""

from cornu.tuner import oracles, tuners
from cornu.tuner.bayesian import BayesianOptimization, BayesianOptimizationOracle
from cornu.tuner.grid_search import GridSearch, GridSearchOracle
from cornu.tuner.hyperband import Hyperband, HyperbandOracle
from cornu.tuner.hypermodel import HyperModel
from cornu.tuner.hyperparameters import HyperParameters
from cornu.tuner.objective import Objective
from cornu.tuner.oracle import Oracle
from cornu.tuner.pruning import MedianPruner
from cornu.tuner.random_search import RandomSearch, RandomSearchOracle
from cornu.tuner.trial import Trial, TrialStatus
from cornu.tuner.tuner import Tuner

__all__ = [
    "BayesianOptimization",
    "BayesianOptimizationOracle",
    "GridSearch",
    "GridSearchOracle",
    "HyperModel",
    "Hyperband",
    "HyperbandOracle",
    "HyperParameters",
    "MedianPruner",
    "Objective",
    "Oracle",
    "RandomSearch",
    "RandomSearchOracle",
    "Trial",
    "TrialStatus",
    "Tuner",
    "oracles",
    "tuners",
]
