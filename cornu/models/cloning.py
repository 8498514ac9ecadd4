"""clone_model: a new model with the same architecture and new weights."""


def clone_model(model, input_tensors=None, clone_function=None):
    """A copy of ``model``'s architecture with freshly created layers (new weights).

    Args:
        model: a Sequential or Functional model.
        input_tensors: accepted for Keras compatibility; the clone makes its own inputs.
        clone_function: a function of a layer returning the layer to use in the clone (by
            default ``layer.__class__.from_config(layer.get_config())``).
    """
    from cornu.models.functional import Functional
    from cornu.models.sequential import Sequential

    if isinstance(model, Sequential):
        clone = Sequential(name=model.name)
        if model._stack and type(model._stack[0]).__name__ == "InputLayer":
            from cornu.layers.core.input_layer import InputLayer

            first = model._stack[0]
            clone.add(InputLayer(batch_shape=first.batch_shape, dtype=first.dtype))
        for layer in model.layers:
            clone.add(_clone_layer(layer, clone_function))
        return clone
    if isinstance(model, Functional):
        from cornu.models import functional_config

        config = functional_config.graph_to_config(model)
        replacements = {}
        for layer in model._layers:
            if type(layer).__name__ not in ("InputLayer", "Operation"):
                replacements[layer.name] = _clone_layer(layer, clone_function)
        inputs, outputs = functional_config.graph_from_config(config, layers=replacements)
        return Functional(inputs, outputs, name=model.name)
    raise ValueError(
        "clone_model expects a Sequential or Functional model; a subclassed model has no "
        f"graph to copy. Received: {type(model).__name__}"
    )


def _clone_layer(layer, clone_function):
    if clone_function is not None:
        return clone_function(layer)
    return type(layer).from_config(layer.get_config())
