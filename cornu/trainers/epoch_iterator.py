"""EpochIterator: the steps of each epoch, honouring ``steps_per_epoch`` and
``steps_per_execution``."""

import warnings

from cornu import config
from cornu.trainers.data_adapters import get_data_adapter
from cornu.utils import rng_utils


class EpochIterator:
    """Hands out the batches of epoch after epoch, grouped by ``steps_per_execution``.

    With ``steps_per_epoch``, each epoch takes that many steps and the next epoch continues
    where the previous one stopped (starting a new pass over reusable data when it runs out).
    A one-pass source (a generator) that runs out ends training with Keras's warning.

    ``peek()`` gives a batch before training starts (to build the model). From a reusable
    source it is read apart, leaving the random streams (and so the first epoch's shuffling)
    as they were; from a one-pass source it is read ahead and handed out again as the next
    epoch's first batch.

    Args:
        x, y, sample_weight, batch_size, shuffle, class_weight: the data, as for ``fit``.
        steps_per_epoch: steps per epoch, or None for one pass over the data; capped by
            ``cornu.config.max_steps_per_epoch()``.
        steps_per_execution: how many steps run between two calls of the batch callbacks.
        shard: ``(process, count, mode)`` under data parallelism (see ``get_data_adapter``).

    ``scales`` holds, for the batches of the current group, the factor each one's loss takes
    under data parallelism (1.0 otherwise).
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps_per_epoch=None,
        shuffle=False,
        class_weight=None,
        steps_per_execution=1,
        shard=None,
    ):
        if steps_per_epoch is not None and (
            not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0
        ):
            raise ValueError(
                f"`steps_per_epoch` must be a positive int or None. Received: {steps_per_epoch!r}"
            )
        if not isinstance(steps_per_execution, int) or steps_per_execution <= 0:
            raise ValueError(
                f"`steps_per_execution` must be a positive int. Received: {steps_per_execution!r}"
            )
        max_steps = config.max_steps_per_epoch()  # a debugging cap, as Keras's
        if max_steps and (not steps_per_epoch or max_steps < steps_per_epoch):
            warnings.warn(f"Limiting steps_per_epoch to {max_steps}", stacklevel=2)
            steps_per_epoch = max_steps
        self.adapter = get_data_adapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            shuffle=shuffle,
            class_weight=class_weight,
            shard=shard,
            steps=steps_per_epoch,
        )
        self.scales = []
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = steps_per_execution
        self.exhausted = False
        self._pending = None
        self._seen_steps = None
        self._buffered = None  # (batch, scale) read ahead by `peek`
        self._epoch_begun = False  # the adapter's epoch was begun by `peek`

    @property
    def num_steps(self):
        """Steps per epoch; None while unknown (a generator's first epoch)."""
        return self.steps_per_epoch or self.adapter.num_batches or self._seen_steps

    def _next_batch(self):
        if self._pending is None:
            self._pending = self.adapter.batches()
        batch = next(self._pending, None)
        if batch is None and self.adapter.reusable and self.steps_per_epoch is not None:
            self._pending = self.adapter.batches()
            batch = next(self._pending, None)
        return batch

    def peek(self):
        """A batch of the data (None when there is none), without using up any: a reusable
        source's first batch read apart, or a one-pass source's next batch, read ahead."""
        if self.adapter.reusable:
            return _first_batch(self.adapter)
        if self._buffered is None:
            if not self._epoch_begun:
                self.adapter.on_epoch_begin()
                self._epoch_begun = True
            batch = self._next_batch()
            if batch is None:
                self._pending = None
                return None
            self._buffered = (batch, getattr(self.adapter, "current_scale", 1.0))
        return self._buffered[0]

    def has_data(self):
        """False when a one-pass source has no batch left for another epoch (then it warns,
        as Keras does, that the input ran out of data); True for reusable sources."""
        if self.adapter.reusable or self._buffered is not None or self.peek() is not None:
            return True
        self._ran_out(0)
        return False

    def enumerate_epoch(self):
        """Yields ``(begin_step, end_step, batches)`` for one epoch; ``batches`` holds up to
        ``steps_per_execution`` batches."""
        if self._epoch_begun:
            self._epoch_begun = False
        else:
            self.adapter.on_epoch_begin()
        step = 0
        group = []
        self.scales = []
        limit = self.steps_per_epoch
        while limit is None or step < limit:
            if self._buffered is not None:
                (batch, scale), self._buffered = self._buffered, None
            else:
                batch = self._next_batch()
                if batch is None:
                    self._pending = None
                    break
                scale = getattr(self.adapter, "current_scale", 1.0)
            group.append(batch)
            self.scales.append(scale)
            step += 1
            if len(group) == self.steps_per_execution:
                yield step - len(group), step - 1, group
                group = []
                self.scales = []
        if group:
            yield step - len(group), step - 1, group
        if step == 0 or (limit is not None and step < limit):
            self._ran_out(step)
        elif limit is None:
            self._seen_steps = step
        self.adapter.on_epoch_end()

    def _ran_out(self, step):
        if step == 0 and self.adapter.reusable:
            return
        self.exhausted = True
        warnings.warn(
            "Your input ran out of data; interrupting training. Make sure that your dataset or "
            "generator can generate at least `steps_per_epoch * epochs` batches.",
            stacklevel=3,
        )


def _first_batch(adapter):
    """A reusable source's first batch, read without touching the random streams: the
    adapter's own ``first_batch`` when it has one, else the first batch of a pass of its own
    with every random stream put back afterwards."""
    first = getattr(adapter, "first_batch", None)
    if first is not None:
        return first()
    state = rng_utils.get_random_state()
    batches = adapter.batches()
    try:
        return next(batches, None)
    finally:
        batches.close()
        rng_utils.set_random_state(state)
