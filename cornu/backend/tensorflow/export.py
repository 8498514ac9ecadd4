"""Exporting a model with TensorFlow: a SavedModel, as Keras's ``ExportArchive`` writes it (the
model's variables tracked, a ``serve`` endpoint that runs the model with ``training=False``,
also the ``serving_default`` signature). ONNX files and ``torch.export`` programs need torch:
on this backend both raise, naming the backend that has them."""

import tensorflow as tf

from cornu.backend.tensorflow.core import to_tf_dtype


def _refuse(kind):
    return NotImplementedError(
        f"Exporting a model as {kind} is not available on the TensorFlow backend. Export with "
        "the torch backend (CORNU_BACKEND=torch), which writes ONNX files and torch.export "
        "programs, or use format='tf_saved_model' here."
    )


def export_onnx(model, path, specs, opset_version=None):
    """Raises: ONNX export needs the torch backend."""
    raise _refuse("an ONNX file")


def export_program(model, path, specs):
    """Raises: program export needs the torch backend."""
    raise _refuse("a torch.export program")


def _tf_variables(variables):
    out, seen = [], set()
    for variable in variables:
        value = getattr(variable, "_value", variable)
        if isinstance(value, tf.Variable) and id(value) not in seen:
            seen.add(id(value))
            out.append(value)
    return out


def saved_model_module(model, specs):
    """A trackable object holding the model's variables and its ``serve`` endpoint: a
    ``tf.function`` that returns the model's outputs with ``training=False``. As in Keras, it
    takes one argument: the input tensor, or the list of input tensors of a model with
    several inputs (the ``serving_default`` signature names them after the inputs). None
    sizes stay dynamic."""
    signature = [
        tf.TensorSpec(spec.shape, to_tf_dtype(spec.dtype), name=spec.name) for spec in specs
    ]
    if len(signature) > 1:
        signature = [signature]

    def serve(inputs):
        return model(inputs, training=False)

    module = tf.__internal__.tracking.AutoTrackable()
    module.variables = _tf_variables(model.variables)
    module.trainable_variables = _tf_variables(model.trainable_variables)
    module.non_trainable_variables = _tf_variables(model.non_trainable_variables)
    module.serve = tf.function(serve, input_signature=signature, autograph=False)
    try:
        module.serve.get_concrete_function()
    except Exception as error:
        raise RuntimeError(
            "Failed to trace the model for the SavedModel's `serve` endpoint with the input "
            f"signature {signature}. Original error: {type(error).__name__}: {error}"
        ) from error
    return module


def export_saved_model(model, path, specs):
    """Writes ``model`` as a SavedModel folder at ``path``: ``tf.saved_model.load(path)
    .serve(x)`` gives the model's predictions, and TF Serving finds ``serving_default``."""
    module = saved_model_module(model, specs)
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
