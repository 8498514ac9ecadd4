"""RNN: runs a recurrent cell over the time axis of a sequence."""

from cornu import backend, ops
from cornu.core import KerasTensor, tree
from cornu.layers.layer import Layer
from cornu.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from cornu.layers.rnn.stacked_rnn_cells import StackedRNNCells
from cornu.saving.serialization_lib import deserialize_keras_object, serialize_keras_object


class RNN(Layer):
    """Base class for recurrent layers: applies ``cell`` to each time step in turn.

    Args:
        cell: an RNN cell (a layer with ``call(inputs_t, states) -> (output_t, new_states)``,
            a ``state_size`` int or list of ints, optionally ``output_size`` and
            ``get_initial_state(batch_size)``), or a list of cells, stacked.
        return_sequences: return the output of every step, not only the last one.
        return_state: also return the last states, after the output.
        go_backwards: process the sequence from its end (the outputs stay in that order).
        stateful: the last states of each batch are the initial states of the next one
            (needs a fixed batch size); ``reset_state()`` sets them back to zeros.
        unroll: accepted for Keras compatibility; torch runs the loop eagerly either way.
        zero_output_for_mask: give zeros, not the previous output, at masked steps.

    Call arguments: ``sequences`` ``(batch, timesteps, ...)``; ``initial_state``, a list of
    tensors (one per state); ``mask``, a boolean ``(batch, timesteps)`` tensor (masked steps
    keep the previous states); ``training``. As in Keras, when ``initial_state`` is given, the
    mask that the sequences carry (e.g. from ``Embedding(mask_zero=True)``) is not applied:
    pass ``mask=`` explicitly to apply it.

    Output shape: ``(batch, units)``, or ``(batch, timesteps, units)`` with
    ``return_sequences``; with ``return_state``, followed by each state ``(batch, size)``.
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        state_size = getattr(cell, "state_size", None)
        if state_size is None or not isinstance(state_size, (int, list, tuple)):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (an int, or a list of ints, "
                f"one per state). Received: cell={cell}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)
        self._state_variables = None

    # ---- shapes ----------------------------------------------------------------------------

    def _state_shapes(self, batch_size, sequences_shape=None):
        shapes = []
        for size in self.state_size:
            if isinstance(size, int):
                shapes.append((batch_size, size))
            else:
                shapes.append([(batch_size, s) for s in size])
        return shapes

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, length = sequences_shape[0], sequences_shape[1]
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = tree.flatten(self.state_size)[0]
        if self.return_sequences:
            output_shape = (batch_size, length, output_size)
        else:
            output_shape = (batch_size, output_size)
        if self.return_state:
            return (output_shape, *self._state_shapes(batch_size))
        return output_shape

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        self._check_call_arguments(sequences, initial_state, mask)
        shapes = self.compute_output_shape(tuple(sequences.shape))
        if not self.return_state:
            return KerasTensor(shapes, dtype=self.compute_dtype)
        return tuple(
            [KerasTensor(x, dtype=self.compute_dtype) for x in s]
            if isinstance(s, list)
            else KerasTensor(s, dtype=self.compute_dtype)
            for s in shapes
        )

    def compute_mask(self, inputs, mask):
        mask = tree.flatten(mask)[0] if tree.is_nested(mask) else mask
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in tree.flatten(self.state_size)]
        return output_mask

    # ---- building and states --------------------------------------------------------------

    def build(self, sequences_shape, initial_state_shape=None):
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell._build_shapes = step_shape
            self.cell.built = True
            prefix_paths(self.cell, self.name)
        if self.stateful:
            if self._state_variables is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(
                        f"Layer '{self.name}': a stateful RNN needs a fixed batch size. Found "
                        f"an unknown batch size in the input shape {tuple(sequences_shape)}; "
                        "pass `batch_size=...` to `Input()`."
                    )
                self._create_state_variables(sequences_shape[0])
        self.built = True

    def _create_state_variables(self, batch_size):
        values = self.get_initial_state(batch_size)
        variables = tree.map_structure(
            lambda v: backend.Variable(
                ops.convert_to_numpy(v),
                dtype=self.variable_dtype,
                trainable=False,
                name="rnn_state",
            ),
            values,
        )
        object.__setattr__(self, "_state_variables", variables)

    @property
    def states(self):
        """The current states of a stateful layer (Variables), or None."""
        return self._state_variables

    def _running_state_variables(self):
        return tree.flatten(self._state_variables) if self._state_variables is not None else []

    def get_initial_state(self, batch_size):
        """The zero states for a batch of ``batch_size`` sequences, as a list."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is None:
            return [
                ops.zeros((batch_size, d), dtype=self.cell.compute_dtype)
                for d in tree.flatten(self.state_size)
            ]
        state = fn(batch_size=batch_size)
        return list(state) if tree.is_nested(state) else [state]

    def reset_state(self):
        """Sets the states of a stateful layer back to zeros."""
        if self._state_variables is not None:
            for variable in tree.flatten(self._state_variables):
                variable.assign(ops.zeros_like(variable.value))

    def reset_states(self):
        """Alias of ``reset_state``."""
        self.reset_state()

    # ---- calling ---------------------------------------------------------------------------

    _implicit_mask_off = False

    def __call__(self, *args, **kwargs):
        # As in Keras, the input's own mask is applied only when the sequences are the only
        # tensor argument: with an `initial_state`, only an explicit `mask=` is (the output
        # still carries the input's mask).
        initial_state = kwargs.get("initial_state", args[1] if len(args) > 1 else None)
        if initial_state is None or kwargs.get("mask") is not None:
            return super().__call__(*args, **kwargs)
        object.__setattr__(self, "_implicit_mask_off", True)
        try:
            return super().__call__(*args, **kwargs)
        finally:
            object.__setattr__(self, "_implicit_mask_off", False)

    def _check_call_arguments(self, sequences, initial_state, mask):
        shape = tuple(sequences.shape)
        if len(shape) < 3:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of shape (batch_size, timesteps, features), "
                f"but received input with shape {shape}."
            )
        if mask is not None:
            mask = tree.flatten(mask)[0] if tree.is_nested(mask) else mask
            mask_shape = tuple(mask.shape)
            if len(mask_shape) != 2 or not all(
                a is None or b is None or a == b for a, b in zip(mask_shape, shape[:2])
            ):
                raise ValueError(
                    f"Layer '{self.name}' expects a mask of shape (batch_size, timesteps) = "
                    f"{shape[:2]} for inputs of shape {shape}, but received a mask of shape "
                    f"{mask_shape}."
                )
        if initial_state is not None:
            given = initial_state if tree.is_nested(initial_state) else [initial_state]
            expected = [
                s
                for group in self._state_shapes(shape[0], shape)
                for s in (group if isinstance(group, list) else [group])
            ]
            received = [tuple(s.shape) for s in tree.flatten(given)]
            if len(received) != len(expected) or not all(
                len(r) == len(e) and all(a is None or b is None or a == b for a, b in zip(r, e))
                for r, e in zip(received, expected)
            ):
                raise ValueError(
                    f"Layer '{self.name}' expects {len(expected)} initial state(s) of shape(s) "
                    f"{expected}, but received {len(received)} with shape(s) {received}."
                )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """Runs the cell over the sequence; returns ``(last_output, outputs, states)``."""
        if tree.is_nested(mask):
            mask = mask[0]
        cell = self.cell
        kwargs = {}
        if isinstance(cell, Layer) and cell._call_accepts_training:
            kwargs["training"] = training

        def step(inputs, states):
            output, new_states = cell(inputs, states, **kwargs)
            if not tree.is_nested(new_states):
                new_states = [new_states]
            return output, new_states

        return backend.rnn.rnn(
            step,
            sequences,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if self._implicit_mask_off:
            mask = None
        self._check_call_arguments(sequences, initial_state, mask)
        batch_size = sequences.shape[0]
        if initial_state is None:
            if self.stateful:
                # Copies: the variables are updated in place after the loop, and autograd may
                # still need the values the loop started from.
                initial_state = [ops.copy(v.value) for v in tree.flatten(self._state_variables)]
                initial_state = tree.pack_sequence_as(self._state_variables, initial_state)
            else:
                initial_state = self.get_initial_state(batch_size)
        if self.stateful:
            expected = tree.flatten(self._state_variables)[0].shape[0]
            if batch_size != expected:
                raise ValueError(
                    f"Layer '{self.name}' is stateful with batch size {expected}, but received "
                    f"inputs of shape {tuple(sequences.shape)} (batch size {batch_size}). "
                    "Stateful RNNs need the same batch size in every call."
                )
        if not tree.is_nested(initial_state):
            initial_state = [initial_state]
        dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
        initial_state = tree.map_structure(
            lambda s: ops.convert_to_tensor(s, dtype=dtype), list(initial_state)
        )
        try:
            last_output, outputs, states = self.inner_loop(
                sequences, initial_state, mask, training=training
            )
        finally:
            _reset_dropout_masks(self.cell)
        if self.stateful:
            for variable, state in zip(tree.flatten(self._state_variables), tree.flatten(states)):
                variable.assign(ops.stop_gradient(state))
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "return_sequences": self.return_sequences,
                "return_state": self.return_state,
                "go_backwards": self.go_backwards,
                "stateful": self.stateful,
                "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask,
                "cell": serialize_keras_object(self.cell),
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def prefix_paths(layer, prefix):
    """Puts ``prefix/`` before the paths of ``layer``'s variables (``lstm/lstm_cell/kernel``,
    as Keras names the variables of a layer built inside another)."""
    for variable in layer.weights:
        variable._path = f"{prefix}/{variable._path}"


def _reset_dropout_masks(cell):
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    for sub in getattr(cell, "cells", ()):
        _reset_dropout_masks(sub)
