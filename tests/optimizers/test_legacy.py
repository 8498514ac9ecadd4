"""``cornu.optimizers.legacy``: Keras 2's names resolve, and creating one says what to do."""

import pytest

import cornu
from cornu import optimizers


def test_legacy_names_are_keras_names(keras):
    ours = {n for n in dir(cornu.optimizers.legacy) if not n.startswith("_")}
    theirs = {n for n in dir(keras.optimizers.legacy) if not n.startswith("_")}
    assert theirs <= ours


@pytest.mark.parametrize("name", ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"])
def test_creating_a_legacy_optimizer_raises_import_error(name):
    with pytest.raises(ImportError, match="`keras.optimizers.legacy` is not supported in Keras 3"):
        getattr(optimizers.legacy, name)(learning_rate=0.1)


def test_every_keras_optimizer_name_is_there(keras):
    theirs = {n for n in dir(keras.optimizers) if not n.startswith("_")}
    # LossScaleOptimizer belongs to the mixed-precision work.
    missing = theirs - set(dir(optimizers)) - {"LossScaleOptimizer"}
    assert not missing
