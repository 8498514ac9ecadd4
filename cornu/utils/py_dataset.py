"""PyDataset: a dataset written in Python that hands out whole batches by index."""


class PyDataset:
    """Base class for a dataset of batches, read by index, optionally in parallel.

    Subclasses implement ``__getitem__(index)`` (returning a whole batch: ``x``, ``(x,)``,
    ``(x, y)`` or ``(x, y, sample_weight)``) and ``__len__`` (the number of batches), or the
    ``num_batches`` property (None for an endless dataset). ``on_epoch_begin`` and
    ``on_epoch_end`` run around each epoch of ``fit``.

    Args:
        workers: how many threads (or processes) read batches ahead during ``fit``.
        use_multiprocessing: read with processes instead of threads (the dataset must then
            be picklable).
        max_queue_size: how many batches may be read ahead.

    Example:

    ```python
    class Squares(cornu.utils.PyDataset):
        def __init__(self, n, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x = np.arange(n, dtype="float32")[:, None]
            self.batch_size = batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, index):
            x = self.x[index * self.batch_size : (index + 1) * self.batch_size]
            return x, x**2
    ```
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _settings(self):
        # A subclass that forgot super().__init__() still gets the defaults.
        return (
            getattr(self, "_workers", 1),
            getattr(self, "_use_multiprocessing", False),
            getattr(self, "_max_queue_size", 10),
        )

    @property
    def workers(self):
        return self._settings()[0]

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        return self._settings()[1]

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        return self._settings()[2]

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        """The batch at position ``index``."""
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__`.")

    @property
    def num_batches(self):
        """The number of batches, or None for an endless dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__len__` or the `num_batches` property "
            "(returning None for an endless dataset)."
        )

    def __iter__(self):
        count = self.num_batches
        index = 0
        while count is None or index < count:
            yield self[index]
            index += 1

    def on_epoch_begin(self):
        """Called at the start of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch."""
