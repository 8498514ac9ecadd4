"""DropoutRNNCell: the dropout masks a recurrent cell reuses at every step of a sequence."""

from cornu import ops, random


class DropoutRNNCell:
    """Mixin for cells with ``dropout`` and ``recurrent_dropout`` rates and a ``seed_generator``.

    One mask is drawn per call of the RNN (per batch) and reused at every time step, as in
    Keras; the RNN layer clears the masks after each call. A cell with a ``dropout_mask_count``
    attribute gets that many independent masks (one per gate).
    """

    def _create_dropout_mask(self, step_input, rate):
        ones = ops.ones_like(step_input)
        count = getattr(self, "dropout_mask_count", None)
        if count is None:
            return random.dropout(ones, rate=rate, seed=self.seed_generator)
        return [random.dropout(ones, rate=rate, seed=self.seed_generator) for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The input dropout mask for this sequence (None when ``dropout`` is 0)."""
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        """The recurrent-state dropout mask for this sequence (None when the rate is 0)."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(
                step_input, self.recurrent_dropout
            )
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        """Forgets the input mask (the next sequence draws a new one)."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        """Forgets the recurrent mask (the next sequence draws a new one)."""
        self._recurrent_dropout_mask = None
