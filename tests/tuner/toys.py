"""Small hypermodels for the tuner tests: tiny models, few samples, fast fits."""

import time

import numpy as np

import cornu
from cornu.tuner import HyperModel


def tiny_model(units=1, learning_rate=0.05, kernel_initializer="zeros"):
    model = cornu.Sequential(
        [
            cornu.Input((2,)),
            cornu.layers.Dense(units, kernel_initializer=kernel_initializer),
        ]
    )
    model.compile(optimizer=cornu.optimizers.SGD(learning_rate), loss="mse")
    return model


def regression_data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2)).astype("float32")
    y = (x @ np.array([[1.5], [-2.0]], dtype="float32")).astype("float32")
    return x, y


class ScoreModel(HyperModel):
    """A hypermodel whose `fit` returns `score(values)` without training: for testing the
    search algorithms on known objectives. It can sleep and log each run to a file."""

    def __init__(self, declare, score, sleep=0.0, log=None):
        super().__init__()
        self.declare, self.score, self.sleep, self.log = declare, score, sleep, log

    def build(self, hp):
        self.declare(hp)
        return tiny_model()

    def fit(self, hp, model, *args, **kwargs):
        if self.log:
            with open(self.log, "a") as f:
                f.write(f"{hp.values}\n")
        if self.sleep:
            time.sleep(self.sleep)
        return self.score(hp.values)
