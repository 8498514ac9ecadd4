"""HyperModel: a model-building function with a search space, and optionally its own fit."""


class HyperModel:
    """Defines a search space of models.

    Subclass it and implement `build(hp)` (return a compiled model whose settings come from
    `hp`); override `fit(hp, model, *args, **kwargs)` to tune the training too (return the
    `History`, a dict of metrics or a single number to minimize or maximize).

    Args:
        name: an optional name.
        tunable: whether the hyperparameters it declares are tuned.
    """

    def __init__(self, name=None, tunable=True):
        self.name = name
        self.tunable = tunable

    def build(self, hp):
        """Builds and returns a model for the values in `hp`."""
        raise NotImplementedError

    def declare_hyperparameters(self, hp):
        pass

    def fit(self, hp, model, *args, **kwargs):
        """Trains `model` (by default `model.fit(*args, **kwargs)`) and returns the result."""
        return model.fit(*args, **kwargs)


class DefaultHyperModel(HyperModel):
    """A HyperModel around a plain `build(hp)` function."""

    def __init__(self, build, name=None, tunable=True):
        super().__init__(name=name, tunable=tunable)
        self.build = build


def get_hypermodel(hypermodel):
    """A `HyperModel` from a HyperModel or a callable (TypeError for anything else)."""
    if hypermodel is None:
        return None
    if isinstance(hypermodel, HyperModel):
        return hypermodel
    if not callable(hypermodel):
        raise TypeError(
            "The `hypermodel` argument should be either a callable with signature "
            f"`build(hp)` returning a model, or an instance of `HyperModel`. Received: "
            f"hypermodel={hypermodel!r}."
        )
    return DefaultHyperModel(hypermodel)
