"""Layer members about state and Keras 3 extras: ``path``, ``dtype_policy``,
``stateless_call``, ``symbolic_call``, ``metrics``, ``add_variable``, and the quantization
members of layers without a quantized form, mixed into ``Layer``."""

import functools
import math

from cornu import backend
from cornu.core import KerasTensor, tree
from cornu.layers import quantizable
from cornu.layers.call_context import call_context
from cornu.utils.name_scope import current_path


def _is_metric(value):
    return (
        hasattr(value, "update_state")
        and hasattr(value, "result")
        and hasattr(value, "reset_state")
    )


class LayerStateMixin:
    """The members Keras's Layer has beyond building and calling."""

    @property
    def path(self):
        """The layer's path: its name under the `cornu.name_scope`s open when it was built
        (`"outer/dense"`), None before it is built."""
        path = self.__dict__.get("_path")
        if path is not None:
            return path
        return self.name if self.built else None

    def _record_path(self):
        scope = current_path()
        self._path = f"{scope}/{self.name}" if scope else self.name

    @property
    def dtype_policy(self):
        """The layer's dtype policy, by name (one dtype for weights and computations)."""
        return self.dtype

    @property
    def input_dtype(self):
        """The dtype floating inputs are cast to (the compute dtype)."""
        return self.compute_dtype

    @property
    def quantization_mode(self):
        """The layer's quantization mode (its dtype policy's), None when not quantized."""
        return getattr(self._own_policy(), "quantization_mode", None)

    def add_variable(
        self,
        shape,
        initializer,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        name=None,
    ):
        """Adds a weight to the layer: `add_weight` with `shape` and `initializer` first."""
        return self.add_weight(
            shape=shape,
            initializer=initializer,
            dtype=dtype,
            trainable=trainable,
            autocast=autocast,
            regularizer=regularizer,
            constraint=constraint,
            name=name,
        )

    def add_metric(self, *args, **kwargs):
        """Removed in Keras 3: raises `NotImplementedError` saying what to do instead."""
        raise NotImplementedError(
            "Layer `add_metric()` method is deprecated. Add your metric in "
            "`Model.compile(metrics=[...])`, or create metric trackers in init() or build() "
            "when subclassing the layer or model, then call `metric.update_state()` whenever "
            "necessary."
        )

    @property
    def metrics(self):
        """The metrics held as attributes of this layer and of its sub-layers."""
        found = [value for value in vars(self).values() if _is_metric(value)]
        for layer in self._layers:
            found.extend(m for m in layer.metrics if all(m is not f for f in found))
        return found

    @property
    def metrics_variables(self):
        """The variables of the layer's metrics (of the metrics a container metric holds)."""
        variables = []
        for metric in self.metrics:
            inner = getattr(metric, "metrics", None)
            for leaf in inner if isinstance(inner, list) else [metric]:
                variables.extend(leaf.variables)
        return variables

    def quantize(self, mode=None, type_check=True, config=None, **kwargs):
        """Quantizes the layer's weights (Dense, EinsumDense and Embedding can). The arguments
        are checked first, as Keras does (`ValueError` for an unknown mode or an unbuilt
        layer); a layer without a quantized form raises `NotImplementedError` naming its
        class, which `Model.quantize` turns into a warning."""
        config = quantizable.validate_and_resolve_config(mode, config)
        quantizable.check_quantize_args(self, config.mode)
        raise quantizable.not_implemented_error(self, self.quantize)

    def quantized_build(self, input_shape, mode):
        """Builds quantized weights: layers without a quantized form raise
        `NotImplementedError`."""
        raise quantizable.not_implemented_error(self, self.quantized_build)

    def quantized_call(self, *args, **kwargs):
        """Runs the computation of the layer's quantization mode (``_int8_call``, ...)."""
        return quantizable.run_quantized_call(self, args, kwargs)

    def symbolic_call(self, *args, **kwargs):
        """Calls the layer on symbolic tensors: returns KerasTensors and records the call in
        the graph (what calling the layer on `cornu.Input` tensors does)."""
        return self._symbolic_call(args, kwargs)

    def stateless_call(
        self, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs
    ):
        """Calls the layer with the given variable values, changing none of its variables.

        Args:
            trainable_variables: tensors, one per `layer.trainable_variables` (same order).
            non_trainable_variables: tensors, one per `layer.non_trainable_variables`.
            *args, **kwargs: the arguments of `call`.
            return_losses: whether to return the losses added during the call too.

        Returns:
            `(outputs, non_trainable_variables)` with the updated non-trainable values (e.g.
            BatchNormalization's moving statistics), and the losses last when `return_losses`.
        """
        name = type(self).__name__
        if not self.built:
            raise ValueError(
                f"To call stateless_call, {name} must be built (i.e. its variables must have "
                "been already created). You can build it by calling it on some data."
            )
        for role, given, own in (
            ("trainable_variables", trainable_variables, self.trainable_variables),
            ("non_trainable_variables", non_trainable_variables, self.non_trainable_variables),
        ):
            if len(given) != len(own):
                raise ValueError(
                    f"Argument `{role}` must be a list of tensors corresponding 1:1 to "
                    f"{name}().{role}. Received list with length {len(given)}, but expected "
                    f"{len(own)} variables."
                )
        mapping = list(zip(self.trainable_variables, trainable_variables))
        mapping += list(zip(self.non_trainable_variables, non_trainable_variables))
        if args:  # arrays become tensors, as a call of the layer converts them
            args = (self._convert_input(args[0]),) + args[1:]
        # `call` runs directly (as in Keras), so `training` reaches the nested layers through
        # the call context, as a call of the layer would pass it down.
        outer_training = call_context.training
        if kwargs.get("training") is not None:
            call_context.training = kwargs["training"]
        try:
            with backend.core.StatelessScope(mapping, collect_losses=return_losses) as scope:
                outputs = self.call(*args, **kwargs)
                losses = self.losses if return_losses else None
        finally:
            call_context.training = outer_training
        updated = [scope.get_current_value(v) for v in self.non_trainable_variables]
        if return_losses:
            return outputs, updated, losses
        return outputs, updated

    def rematerialized_call(self, layer_call, *args, **kwargs):
        """`layer_call` wrapped for the `RematScope` the layer was created in: recomputed in
        the backward pass as the scope's mode says (unchanged without a scope)."""
        mode = self._remat_mode
        if not mode:
            return layer_call
        if mode.mode == "full" or (mode.mode == "list_of_layers" and self.name in mode.layer_names):
            return backend.core.remat(layer_call)
        if mode.mode == "activations" and getattr(self, "activation", None) is not None:

            @functools.wraps(layer_call)
            def with_rematerialized_activation(*call_args, **call_kwargs):
                activation = self.activation
                self.activation = backend.core.remat(activation)
                try:
                    return layer_call(*call_args, **call_kwargs)
                finally:
                    self.activation = activation

            return with_rematerialized_activation
        if mode.mode == "larger_than":
            specs = tree.map_structure(
                lambda x: (
                    KerasTensor(tuple(x.shape), dtype=backend.standardize_dtype(x.dtype))
                    if backend.is_tensor(x)
                    else x
                ),
                (args, kwargs),
            )
            outputs = self.compute_output_spec(*specs[0], **specs[1])
            size = sum(
                math.prod(d or 1 for d in x.shape)
                for x in tree.flatten(outputs)
                if isinstance(x, KerasTensor)
            )
            if size > mode.output_size_threshold:
                return backend.core.remat(layer_call)
        return layer_call
