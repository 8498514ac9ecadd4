"""EpochIterator: the steps of each epoch, honouring ``steps_per_epoch``."""

from cornu.trainers.data_adapter import ArrayDataAdapter


class EpochIterator:
    """Hands out ``(step, batch)`` pairs epoch after epoch.

    With ``steps_per_epoch``, each epoch takes that many steps and the next epoch continues
    where the previous one stopped (starting a new pass over the data when it runs out).
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
    ):
        self.adapter = ArrayDataAdapter(
            x,
            y,
            sample_weight,
            batch_size=32 if batch_size is None else batch_size,
            shuffle=shuffle,
            class_weight=class_weight,
        )
        if steps_per_epoch is not None and (
            not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0
        ):
            raise ValueError(
                f"`steps_per_epoch` must be a positive int or None. Received: {steps_per_epoch!r}"
            )
        self.steps_per_epoch = steps_per_epoch
        self._pending = None

    @property
    def num_steps(self):
        return self.steps_per_epoch or self.adapter.num_batches

    def enumerate_epoch(self):
        """Yields ``(step, (x, y, sample_weight))`` for one epoch."""
        if self.steps_per_epoch is None:
            yield from enumerate(self.adapter.batches())
            return
        for step in range(self.steps_per_epoch):
            if self._pending is None:
                self._pending = self.adapter.batches()
            batch = next(self._pending, None)
            if batch is None:
                self._pending = self.adapter.batches()
                batch = next(self._pending)
            yield step, batch
