"""The tuners, as KerasTuner's `keras_tuner.tuners` names them."""

from cornu.tuner.bayesian import BayesianOptimization
from cornu.tuner.grid_search import GridSearch
from cornu.tuner.hyperband import Hyperband
from cornu.tuner.random_search import RandomSearch

__all__ = ["BayesianOptimization", "GridSearch", "Hyperband", "RandomSearch"]
