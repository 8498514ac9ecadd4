"""What every explanation method shares: the model's score for a target class, as a function
of the inputs (or of one layer's output), evaluated and differentiated through the backend."""

import numpy as np

from cornu import backend, ops
from cornu.core import tree
from cornu.models import Model


def _backend_gradients():
    """The backend's ``value_and_gradients(fn, inputs)`` (see cornu/backend/contract.py)."""
    return backend.value_and_gradients


def _graph_tensors(model):
    """The symbolic tensors of a Functional or Sequential model's graph."""
    inputs = getattr(model, "inputs", None)
    outputs = getattr(model, "outputs", None)
    if not inputs or not outputs:
        return None
    input_ids = {id(t) for t in inputs}
    seen, found, stack = set(), [], list(outputs)
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        found.append(tensor)
        history = tensor._keras_history
        if history is None or id(tensor) in input_ids:
            continue
        layer, node_index, _ = history
        stack.extend(layer._inbound_nodes[node_index].input_tensors)
    return found


def layer_output(model, layer_name, method, argument="layer"):
    """The symbolic output of the layer named `layer_name` within `model`'s graph."""
    tensors = _graph_tensors(model)
    if tensors is None:
        raise ValueError(
            f"{method}: `{argument}={layer_name!r}` needs a Functional or Sequential model "
            f"(one with symbolic inputs and outputs); {model.__class__.__name__} "
            f"'{model.name}' has none. Build it with `cornu.Input` or give it an `Input`."
        )
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(
            f"{method}: no layer named {layer_name!r} in model '{model.name}'. Pass "
            f"`{argument}=` one of its layers: {names}."
        )
    produced = [t for t in tensors if t._keras_history and t._keras_history[0].name == layer_name]
    nodes = {t._keras_history[1] for t in produced}
    if len(produced) != 1 or len(nodes) != 1:
        raise ValueError(
            f"{method}: layer {layer_name!r} is called {len(nodes)} time(s) or has several "
            f"outputs in model '{model.name}'; `{argument}=` needs a layer with one output, "
            "called once."
        )
    return produced[0]


class Problem:
    """A model, a batch of inputs, the output and target classes to explain, and the point
    (the inputs, or one layer's output) that attributions are computed at."""

    def __init__(self, model, inputs, targets=None, output=None, layer=None, method="explain"):
        self.model = model
        self.method = method
        self.single = not isinstance(inputs, (list, tuple))
        self.xs = [_as_array(x) for x in ([inputs] if self.single else inputs)]
        self.batch = self.xs[0].shape[0] if self.xs[0].ndim else 0
        self.output = output
        self.feature_model = self.head = None
        if layer is not None:
            tensor = layer_output(model, layer, method)
            self.feature_model = Model(model.inputs, tensor)
            self.head = Model(list(model.inputs) + [tensor], model.outputs)
        self.targets = None
        scores = self.predict(self.xs)
        self.num_classes = scores.shape[1]
        self.targets = self._check_targets(targets, scores)

    # --- the point of attribution -------------------------------------------------------
    def points(self):
        """The arrays that attributions are computed for (inputs, or the layer's output)."""
        if self.head is None:
            return self.xs
        return [_as_array(self.feature_model(self._model_inputs(self.xs), training=False))]

    def check_differentiable(self):
        if self.head is not None:
            return
        for i, x in enumerate(self.xs):
            if x.dtype.kind not in "fc":
                raise TypeError(
                    f"{self.method}: input {i} has dtype {x.dtype} (token ids?), which cannot be "
                    "differentiated. Pass `layer=` the name of the layer (e.g. the Embedding) "
                    "whose output the attributions should be computed for, or cast real-valued "
                    "inputs to float."
                )

    # --- forward ---------------------------------------------------------------------------
    def _model_inputs(self, xs):
        return xs[0] if self.single else list(xs)

    def _select(self, outputs):
        if isinstance(outputs, dict) or (isinstance(outputs, (list, tuple)) and len(outputs) > 1):
            names = list(outputs) if isinstance(outputs, dict) else _output_names(self.model)
            if self.output is None:
                raise ValueError(
                    f"{self.method}: model '{self.model.name}' has {len(outputs)} outputs "
                    f"{names}; pass `output=` the index or name of the one to explain."
                )
            key = self.output
            if isinstance(outputs, (list, tuple)) and isinstance(key, str):
                if key not in names:
                    raise ValueError(
                        f"{self.method}: `output={key!r}` is not one of the model's outputs "
                        f"{names}."
                    )
                key = names.index(key)
            try:
                outputs = outputs[key]
            except (KeyError, IndexError, TypeError):
                raise ValueError(
                    f"{self.method}: `output={self.output!r}` is not one of the model's "
                    f"outputs {names} (give an index below {len(outputs)} or a name)."
                ) from None
        elif isinstance(outputs, (list, tuple)):
            outputs = outputs[0]
        shape = tuple(outputs.shape)
        if len(shape) == 1:
            return ops.reshape(outputs, (shape[0], 1))
        if len(shape) != 2:
            raise ValueError(
                f"{self.method}: the explained output must have shape (batch, classes) or "
                f"(batch,). Received an output of shape {shape}."
            )
        return outputs

    def forward(self, points):
        """The selected output, `(batch, classes)`, for `points` (backend tensors)."""
        if self.head is None:
            outputs = self.model(self._model_inputs(points), training=False)
        else:
            outputs = self.head(list(self.xs) + list(points), training=False)
        return self._select(outputs)

    def predict(self, xs):
        if self.head is None:
            return _as_array(self.forward(xs))
        return _as_array(self.forward(self.points()))

    # --- target scores ---------------------------------------------------------------------
    def _check_targets(self, targets, scores):
        classes = scores.shape[1]
        if targets is None:
            return np.argmax(scores, axis=1) if classes > 1 else np.zeros(len(scores), "int64")
        targets = np.asarray(targets)
        if targets.ndim == 0:
            targets = np.full(len(scores), int(targets))
        if targets.shape != (len(scores),) or targets.dtype.kind not in "iu":
            raise ValueError(
                f"{self.method}: `targets` must be one class index or one per sample "
                f"({len(scores)} integers). Received: {targets!r}"
            )
        bad = targets[(targets < 0) | (targets >= classes)]
        if bad.size:
            raise ValueError(
                f"{self.method}: `targets` must be class indices in [0, {classes}) for an "
                f"output of {classes} classes. Received: {sorted(set(bad.tolist()))}"
            )
        return targets.astype("int64")

    def onehot(self):
        hot = np.zeros((self.batch, self.num_classes), "float32")
        hot[np.arange(self.batch), self.targets] = 1.0
        return hot

    def scores(self, points):
        """Each sample's score for its target class, as a NumPy array `(batch,)`."""
        return (_as_array(self.forward(points)) * self.onehot()).sum(axis=1)

    def gradients(self, points):
        """The gradient of the summed target scores with respect to each of `points`."""
        hot = self.onehot()
        value_and_gradients = _backend_gradients()

        def total(*tensors):
            out = self.forward(list(tensors))
            return ops.sum(out * ops.convert_to_tensor(hot, dtype=out.dtype))

        _, grads = value_and_gradients(total, [np.asarray(p, "float32") for p in points])
        return [ops.convert_to_numpy(g) for g in grads]

    def result(self, attributions):
        return attributions[0] if self.single or self.head is not None else attributions


def _output_names(model):
    names = getattr(model, "output_names", None)
    return list(names) if names else []


def _as_array(x):
    if isinstance(x, np.ndarray):
        return x
    if tree.is_nested(x):
        raise TypeError(f"Expected one array, received a structure: {type(x).__name__}")
    return ops.convert_to_numpy(x)
