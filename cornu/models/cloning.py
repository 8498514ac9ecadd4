"""clone_model: a model with the same architecture and new layers (so new weights)."""

from cornu.core import KerasTensor, tree


def clone_model(
    model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs
):
    """A copy of a Sequential or Functional model's architecture, made of new layers (with
    freshly initialized weights); compiled like the original when it was compiled.

    ```python
    copy = cornu.models.clone_model(model)
    copy.set_weights(model.get_weights())
    ```

    Args:
        model: a Sequential or Functional model (a subclassed model is rebuilt with
            ``from_config(get_config())``).
        input_tensors: the symbolic inputs to build the clone on (the structure of
            ``model.input``); new ``Input`` tensors when None.
        clone_function: ``fn(layer)`` returning the layer to use in the clone (by default
            ``layer.__class__.from_config(layer.get_config())``). A layer used several times
            (shared) is cloned once.
        call_function: ``fn(layer, *args, **kwargs)`` calling each cloned layer (Functional
            models only), e.g. to insert layers after some.
        recursive: clone nested Sequential and Functional models with ``clone_model`` (the
            same arguments) instead of ``clone_function``.

    Returns:
        The new model.
    """
    from cornu.models.functional import Functional
    from cornu.models.sequential import Sequential

    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs.keys())}")
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                "`call_function` argument is not supported with Sequential models. In a "
                "Sequential model, layers aren't called at model-construction time (they're "
                "merely listed). Use `call_function` with Functional models only. Received "
                f"model of type '{type(model).__name__}', with call_function={call_function}"
            )
        wrapped = _wrap(clone_function, None, recursive, cache)
        return _clone_sequential(model, wrapped, input_tensors)
    if isinstance(model, Functional):
        wrapped = _wrap(clone_function, call_function, recursive, cache)
        return _clone_functional(model, wrapped, input_tensors, call_function)
    if clone_function is not None or input_tensors is not None:
        raise ValueError(
            "Arguments `clone_function` and `input_tensors` are only supported for Sequential "
            f"models or Functional models. Received model of type '{type(model).__name__}', "
            f"with clone_function={clone_function} and input_tensors={input_tensors}"
        )
    if call_function is not None:
        raise ValueError(
            "Argument `call_function` is only supported for Functional models. Received "
            f"model of type '{type(model).__name__}', with call_function={call_function}"
        )
    from cornu.saving import serialization_lib

    return serialization_lib.deserialize_keras_object(
        serialization_lib.serialize_keras_object(model),
        custom_objects={type(model).__name__: type(model)},
    )


def _wrap(clone_function, call_function, recursive, cache):
    """``clone_function`` made to clone each layer once (shared layers stay shared), and
    nested models recursively when asked."""
    from cornu.models.functional import Functional
    from cornu.models.sequential import Sequential

    if clone_function is None:

        def clone_function(layer):
            return layer.__class__.from_config(layer.get_config())

    if not callable(clone_function):
        raise ValueError(
            "Expected `clone_function` argument to be a callable. "
            f"Received: clone_function={clone_function}"
        )
    cache = {} if cache is None else cache

    def wrapped(layer):
        if id(layer) in cache:
            return cache[id(layer)]
        if recursive and isinstance(layer, (Sequential, Functional)):
            clone = clone_model(
                layer,
                clone_function=clone_function,
                call_function=None if isinstance(layer, Sequential) else call_function,
                recursive=True,
                cache=cache,
            )
        else:
            clone = clone_function(layer)
        cache[id(layer)] = clone
        return clone

    return wrapped


def _clone_sequential(model, clone_function, input_tensors):
    from cornu.layers.core.input_layer import Input, InputLayer
    from cornu.models.sequential import Sequential

    new_layers = [clone_function(layer) for layer in model.layers]
    first = model._stack[0] if model._stack else None
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)):
            if len(input_tensors) != 1:
                raise ValueError("Argument `input_tensors` must contain a single tensor.")
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise ValueError(
                "Argument `input_tensors` must be a KerasTensor. "
                f"Received invalid value: input_tensors={input_tensors}"
            )
        new_layers = [Input(tensor=input_tensors)] + new_layers
    elif isinstance(first, InputLayer):
        inputs = Input(
            batch_shape=first.batch_shape,
            dtype=first.dtype,
            name=first.name,
            optional=first.optional,
        )
        new_layers = [inputs] + new_layers
    clone = Sequential(new_layers, name=model.name, trainable=model.trainable)
    _compile_like(model, clone)
    return clone


def _clone_functional(model, clone_function, input_tensors, call_function):
    from cornu.layers.core.input_layer import Input
    from cornu.models.functional import Functional

    if input_tensors is not None:
        if not all(isinstance(x, KerasTensor) for x in tree.flatten(input_tensors)):
            raise ValueError(
                "All entries in `input_tensors` must be KerasTensors. "
                f"Received invalid values: inputs_tensors={input_tensors}"
            )
        if len(tree.flatten(input_tensors)) != len(model.inputs):
            raise ValueError(
                "`input_tensors` must have the same structure as model.input"
                f"\nReference structure: {model.input}\nReceived structure: {input_tensors}"
            )
        flat_new = tree.flatten(input_tensors)
    else:
        flat_new = [Input(batch_shape=t.shape, dtype=t.dtype, name=t.name) for t in model.inputs]
        input_tensors = tree.pack_sequence_as(model.input, flat_new)
    values = {id(old): new for old, new in zip(model.inputs, flat_new)}

    def fill(x):
        return values[id(x)] if isinstance(x, KerasTensor) and id(x) in values else x

    for step in model._plan:
        layer = clone_function(step.layer)
        args = tree.map_structure(fill, step.args)
        kwargs = tree.map_structure(fill, step.kwargs)
        if call_function is not None:
            outputs = call_function(layer, *args, **kwargs)
        else:
            outputs = layer(*args, **kwargs)
        for old, new in zip(step.node.output_tensors, tree.flatten(outputs)):
            values[id(old)] = new
    output_tensors = tree.map_structure(fill, model.output)
    cls = type(model) if _functional_like(type(model)) else Functional
    clone = cls(input_tensors, output_tensors, name=model.name)
    _compile_like(model, clone)
    return clone


def _functional_like(cls):
    import inspect

    from cornu.models.functional import Functional

    if cls is Functional:
        return True
    spec = inspect.getfullargspec(cls.__init__)
    functional_args = inspect.getfullargspec(Functional.__init__).args
    return spec.args == functional_args or (spec.varargs is not None and spec.varkw is not None)


def _compile_like(model, clone):
    if getattr(model, "compiled", False):
        clone.compile_from_config(model.get_compile_config())
