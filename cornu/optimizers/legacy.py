"""``keras.optimizers.legacy``: the Keras 2 optimizer names, kept so that old imports resolve;
creating one raises an ImportError that says what to do, as in Keras 3."""


class LegacyOptimizerWarning:
    """Stands for a Keras 2 legacy optimizer (`Adagrad`, `Adam`, `Ftrl`, `RMSprop`, `SGD`,
    `Optimizer`): Keras 3 does not support them, and creating one raises an ImportError."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3. When using "
            "`tf.keras`, to continue using a `tf.keras.optimizers.legacy` optimizer, you "
            "can install the `tf_keras` package (Keras 2) and set the environment variable "
            "`TF_USE_LEGACY_KERAS=True` to configure TensorFlow to use `tf_keras` when "
            "accessing `tf.keras`. With cornu, use the optimizers of `cornu.optimizers` "
            "(e.g. `cornu.optimizers.Adam`)."
        )


Adagrad = LegacyOptimizerWarning
Adam = LegacyOptimizerWarning
Ftrl = LegacyOptimizerWarning
Optimizer = LegacyOptimizerWarning
RMSprop = LegacyOptimizerWarning
SGD = LegacyOptimizerWarning

__all__ = ["SGD", "Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop"]
