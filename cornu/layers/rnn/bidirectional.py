"""Bidirectional: runs a recurrent layer forwards and backwards and merges the two."""

import copy

from cornu import ops
from cornu.core import KerasTensor, tree
from cornu.layers.layer import Layer
from cornu.layers.rnn.rnn import prefix_paths
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs: a copy of ``layer`` reads the sequence forwards, another
    (``go_backwards=True``) reads it backwards, and their outputs are merged.

    Args:
        layer: the RNN layer to copy (``LSTM``, ``GRU``, ``SimpleRNN``, ``RNN``); the copies are
            made from its config (named ``forward_<name>``, ``backward_<name>``) and get new
            weights.
        merge_mode: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"``, or None to return
            the two outputs as a list.
        weights: initial weights, the forward layer's then the backward layer's.
        backward_layer: the layer for the backward direction, instead of a copy of ``layer``
            (it must have ``go_backwards`` opposite to ``layer``'s).

    With ``return_sequences``, the backward outputs are flipped back to the input's time order
    before merging, and masked steps give zeros. With ``return_state``, the forward states then
    the backward states follow the output. Weights: the forward layer's, then the backward's.
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` with a `cornu.layers.Layer` instance. "
                f"Received: {layer!r}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                f"`backward_layer` must be a `cornu.layers.Layer` instance. Received: "
                f"{backward_layer!r}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: merge_mode={merge_mode!r}. Expected one of "
                '{"sum", "mul", "ave", "concat", None}.'
            )
        super().__init__(**kwargs)
        self.forward_layer = _copy_layer(layer, "forward", go_backwards=None)
        if backward_layer is None:
            backward_layer = _copy_layer(layer, "backward", go_backwards=True)
        self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):  # not in the config; kept as Keras keeps it
            self.forward_layer.use_cudnn = layer.use_cudnn
            self.backward_layer.use_cudnn = layer.use_cudnn
        self._verify_layer_config()
        for sub in (self.forward_layer, self.backward_layer):
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self):
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"Layer '{self.name}': the forward and backward layers should have different "
                f"`go_backwards` values. Received: forward_layer.go_backwards="
                f"{forward.go_backwards}, backward_layer.go_backwards={backward.go_backwards}"
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            a, b = getattr(forward, attribute), getattr(backward, attribute)
            if a != b:
                raise ValueError(
                    f"Layer '{self.name}': the forward and backward layers are expected to have "
                    f'the same value for "{attribute}", got {a} for the forward layer and {b} '
                    "for the backward layer."
                )

    def build(self, sequences_shape, initial_state_shape=None):
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                sub.build(sequences_shape)
                sub._build_shapes = tuple(sequences_shape)
                sub.built = True
                prefix_paths(sub, self.name)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = ()
        if self.return_state:
            output_shape, state_shapes = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = (*output_shape[:-1], output_shape[-1] * 2)
        if self.merge_mode is None:
            outputs = (output_shape, output_shape)
        else:
            outputs = (output_shape,)
        if self.return_state:
            return outputs + state_shapes + state_shapes
        return outputs if self.merge_mode is None else output_shape

    _implicit_mask_off = False

    def __call__(self, *args, **kwargs):
        # As for RNN (and in Keras): with an `initial_state`, only an explicit `mask=` applies.
        initial_state = kwargs.get("initial_state", args[1] if len(args) > 1 else None)
        if initial_state is None or kwargs.get("mask") is not None:
            return super().__call__(*args, **kwargs)
        object.__setattr__(self, "_implicit_mask_off", True)
        try:
            return super().__call__(*args, **kwargs)
        finally:
            object.__setattr__(self, "_implicit_mask_off", False)

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
            self.backward_layer.compute_output_spec(sequences, backward_state, mask=mask)
        spec = self.forward_layer.compute_output_spec(sequences, forward_state, mask=mask)
        if self.return_state:
            spec, states = spec[0], tuple(spec[1:])
        else:
            states = ()
        shape = tuple(spec.shape)
        if self.merge_mode == "concat":
            shape = shape[:-1] + (None if shape[-1] is None else 2 * shape[-1],)
        output = KerasTensor(shape, dtype=self.compute_dtype)
        if self.merge_mode is None:
            output = (output, KerasTensor(shape, dtype=self.compute_dtype))
        if not self.return_state:
            return output

        def copy(s):
            return KerasTensor(s.shape, dtype=s.dtype)

        head = output if self.merge_mode is None else (output,)
        return head + states + tree.map_structure(copy, states)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if self._implicit_mask_off:
            mask = None
        kwargs = {}
        if self.forward_layer._call_accepts_training:
            kwargs["training"] = training
        if self.forward_layer._call_accepts_mask:
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        y = ops.cast(y, self.compute_dtype)  # as Keras: the wrapper's policy decides
        y_rev = ops.cast(y_rev, self.compute_dtype)
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)
        if self.merge_mode == "concat":
            output = ops.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            return (output if self.merge_mode is None else (output,)) + states
        return output

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            count = len(tree.flatten(self.forward_layer.compute_mask(inputs, mask))) - 1
            return masks + [None] * (2 * count)
        return masks if self.merge_mode is None else output_mask

    @property
    def states(self):
        """The stateful layers' states (forward then backward), or None."""
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states) + tuple(self.backward_layer.states)
        return None

    def reset_state(self):
        """Sets the states of both (stateful) layers back to zeros."""
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' must be stateful to reset its states.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self):
        """Alias of ``reset_state``."""
        self.reset_state()

    def get_config(self):
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialize_keras_object(self.forward_layer)
        config["backward_layer"] = serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_keras_object(
                backward, custom_objects=custom_objects
            )
        return cls(**config)


def _copy_layer(layer, direction, go_backwards):
    """A new layer from ``layer``'s config, named ``<direction>_<name>``, without weights."""
    config = serialize_keras_object(layer)
    config.pop("build_config", None)
    inner = config["config"]
    name = inner.get("name", layer.name)
    prefix = f"{direction}_"
    inner["name"] = prefix + (name[len(prefix) :] if name.startswith(prefix) else name)
    if go_backwards is not None:
        inner["go_backwards"] = go_backwards
    return deserialize_keras_object(config)
