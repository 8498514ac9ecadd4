"""EpochIterator: the steps of each epoch, honouring ``steps_per_epoch`` and
``steps_per_execution``."""

import warnings

from cornu.trainers.data_adapters import get_data_adapter


class EpochIterator:
    """Hands out the batches of epoch after epoch, grouped by ``steps_per_execution``.

    With ``steps_per_epoch``, each epoch takes that many steps and the next epoch continues
    where the previous one stopped (starting a new pass over reusable data when it runs out).
    A one-pass source (a generator) that runs out ends training with Keras's warning.

    Args:
        x, y, sample_weight, batch_size, shuffle, class_weight: the data, as for ``fit``.
        steps_per_epoch: steps per epoch, or None for one pass over the data.
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
        self.adapter = get_data_adapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            shuffle=shuffle,
            class_weight=class_weight,
            shard=shard,
        )
        self.scales = []
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = steps_per_execution
        self.exhausted = False
        self._pending = None
        self._seen_steps = None

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

    def enumerate_epoch(self):
        """Yields ``(begin_step, end_step, batches)`` for one epoch; ``batches`` holds up to
        ``steps_per_execution`` batches."""
        self.adapter.on_epoch_begin()
        step = 0
        group = []
        self.scales = []
        limit = self.steps_per_epoch
        while limit is None or step < limit:
            batch = self._next_batch()
            if batch is None:
                self._pending = None
                break
            group.append(batch)
            self.scales.append(getattr(self.adapter, "current_scale", 1.0))
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
