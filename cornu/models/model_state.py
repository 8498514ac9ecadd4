"""Model members beyond training: the state tree of every variable, stateless loss
computation, the step functions, and ``quantize``."""

from cornu import backend
from cornu.models.model_quantize import quantize_model


def _nested(variables, value_format, path_of):
    flat = {}
    for variable in variables:
        path = path_of(variable)
        if path in flat:
            raise ValueError(
                f"The following variable path is found twice in the model: '{path}'. "
                "`get_state_tree()` can only be called when all variable paths are unique. "
                "Make sure to give unique names to your layers (and other objects)."
            )
        if value_format == "backend_tensor":
            flat[path] = variable.value
        elif value_format == "numpy_array":
            flat[path] = variable.numpy()
        else:
            raise ValueError(
                "Invalid `value_format` argument. Expected one of {'numpy_array', "
                f"'backend_tensor'}}. Received: value_format={value_format}"
            )
    tree = {}
    for path, value in flat.items():
        *folders, leaf = path.split("/")
        node = tree
        for folder in folders:
            node = node.setdefault(folder, {})
        node[leaf] = value
    return tree


def _flat(tree, prefix=""):
    out = {}
    for key, value in tree.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_flat(value, path))
        else:
            out[path] = value
    return out


class ModelStateMixin:
    """The members Keras's Model has beyond layers and training loops."""

    def _weight_path(self, variable):
        # Keras's weight paths: a Sequential or subclassed model builds its layers inside its
        # own name scope (``seq/dense/kernel``); a Functional model's layers were built before
        # the model existed (``dense/kernel``).
        path = variable.path
        if isinstance(self, type(self)._functional_class) or path.startswith(f"{self.name}/"):
            return path
        return f"{self.name}/{path}"

    def _metric_entries(self):
        """``(path, variable)`` of every metric variable: ``"<metric name>/<variable name>"``."""
        entries = []
        for metric in self.metrics:
            inner = getattr(metric, "metrics", None)
            for leaf in inner if isinstance(inner, list) else [metric]:
                entries.extend((f"{leaf.name}/{v.name}", v) for v in leaf.variables)
        return entries

    def get_state_tree(self, value_format="backend_tensor"):
        """Every variable of the model as nested dicts keyed by the parts of its path.

        Args:
            value_format: `"backend_tensor"` (the default) or `"numpy_array"`: the leaves.

        Returns:
            A dict with the keys `"trainable_variables"`, `"non_trainable_variables"`,
            `"optimizer_variables"` and `"metrics_variables"`, e.g.
            `{"trainable_variables": {"my_model": {"dense": {"kernel": ..., "bias": ...}}}}`.
        """
        metric_paths = {id(v): path for path, v in self._metric_entries()}
        optimizer = getattr(self, "optimizer", None)
        return {
            "trainable_variables": _nested(
                self.trainable_variables, value_format, self._weight_path
            ),
            "non_trainable_variables": _nested(
                self.non_trainable_variables, value_format, self._weight_path
            ),
            "optimizer_variables": _nested(
                optimizer.variables if optimizer is not None else [],
                value_format,
                lambda v: v.path,
            ),
            "metrics_variables": _nested(
                [v for _, v in self._metric_entries()],
                value_format,
                lambda v: metric_paths[id(v)],
            ),
        }

    def set_state_tree(self, state_tree):
        """Assigns the values of a state tree (as `get_state_tree` returns) to the model's
        variables; groups and paths left out keep their values.

        Raises:
            ValueError: for an unknown group or a path that names no variable.
        """
        optimizer = getattr(self, "optimizer", None)
        groups = {
            "trainable_variables": {self._weight_path(v): v for v in self.trainable_variables},
            "non_trainable_variables": {
                self._weight_path(v): v for v in self.non_trainable_variables
            },
            "optimizer_variables": {v.path: v for v in (optimizer.variables if optimizer else [])},
            "metrics_variables": dict(self._metric_entries()),
        }
        for group, tree in state_tree.items():
            if group not in groups:
                raise ValueError(
                    f"Unknown variable group {group!r} in the state tree. Expected one of "
                    f"{sorted(groups)}."
                )
            for path, value in _flat(tree).items():
                variable = groups[group].get(path)
                if variable is None:
                    raise ValueError(
                        f"The state tree's {group} hold {path!r}, which is no variable of "
                        f"model '{self.name}'. Known paths: {sorted(groups[group])}"
                    )
                variable.assign(value)

    def stateless_compute_loss(
        self,
        trainable_variables,
        non_trainable_variables,
        metrics_variables,
        x=None,
        y=None,
        y_pred=None,
        sample_weight=None,
        training=True,
    ):
        """`compute_loss` with the given variable values, changing none of the variables.

        Returns:
            `(loss, (trainable_variables, non_trainable_variables, metrics_variables))` with
            the values the computation left.
        """
        own = (self.trainable_variables, self.non_trainable_variables, self.metrics_variables)
        given = (trainable_variables, non_trainable_variables, metrics_variables)
        mapping = [pair for mine, theirs in zip(own, given) for pair in zip(mine, theirs)]
        with backend.core.StatelessScope(mapping) as scope:
            loss = self.compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
            )
        updated = tuple(
            [
                value if (current := scope.get_current_value(v)) is None else current
                for v, value in zip(mine, theirs)
            ]
            for mine, theirs in zip(own[1:], given[1:])
        )
        return loss, (trainable_variables,) + updated

    def make_train_function(self, force=False):
        """Makes (once, or again with `force`) `model.train_function`, the function one
        training step runs; returns it."""
        if getattr(self, "train_function", None) is None or force:
            self.train_function = self._train_function()
        return self.train_function

    def make_test_function(self, force=False):
        """Makes `model.test_function`, the function one evaluation step runs; returns it."""
        if getattr(self, "test_function", None) is None or force:
            self.test_function = self._test_function()
        return self.test_function

    def make_predict_function(self, force=False):
        """Makes `model.predict_function`, the function one prediction step runs; returns it."""
        if getattr(self, "predict_function", None) is None or force:
            self.predict_function = self._predict_function()
        return self.predict_function

    def get_quantization_layer_structure(self, mode=None):
        """The layer structure a calibrated quantization mode (Keras's GPTQ/AWQ) works
        through: None (cornu offers the int8, int4 and float8 modes, which need none)."""
        return None

    def quantize(self, mode=None, config=None, filters=None, **kwargs):
        """Quantizes the model's weights in place: each layer that has a quantized form
        (Dense, EinsumDense, Embedding) is quantized; the others are skipped with a warning.

        Args:
            mode: ``"int8"``, ``"int4"`` or ``"float8"``; optional when ``config`` is given.
            config: a ``cornu.quantizers.QuantizationConfig`` choosing the quantizers.
            filters: only quantize the layers whose name matches this regular expression (or
                one of this list of them), or for which this callable returns True.
            type_check: (keyword) refuse subclasses of the quantizable layers.

        The model must be built, and not quantized already.
        """
        quantize_model(self, mode, config, filters, **kwargs)
