"""Batches from a ``tf.data.Dataset``, on every backend, without importing TensorFlow.

The dataset is recognised by duck typing (its class comes from the ``tensorflow`` package and
has ``as_numpy_iterator``); each epoch is a new pass over it, read as NumPy batches that
become the active backend's tensors as they arrive, as Keras reads a dataset on its JAX and
torch backends.
"""

from cornu.core import tree
from cornu.trainers.data_adapters import data_adapter_utils


def is_tf_dataset(x):
    """True for a ``tf.data.Dataset`` (checked without importing TensorFlow)."""
    if not hasattr(x, "as_numpy_iterator"):
        return False
    return any(
        cls.__module__ == "tensorflow" or cls.__module__.startswith("tensorflow.")
        for cls in type(x).__mro__
    )


class TFDatasetAdapter:
    """Hands out the batches of a ``tf.data.Dataset``, one pass per epoch.

    Each element of the dataset is a batch: ``x``, ``(x,)``, ``(x, y)`` or
    ``(x, y, sample_weight)`` (``x`` and ``y`` may be nested lists or dicts).

    Args:
        dataset: the ``tf.data.Dataset`` (batched: the adapter does not batch it).
        class_weight: ``{class_index: weight}``, turned into each batch's sample weights
            (single-output datasets of ``(x, y)`` only).
        shard: ``(process, count)`` under data parallelism: this process reads every
            ``count``-th element, from its index on (``dataset.shard(count, process)``).
    """

    reusable = True
    label_ranges = None

    def __init__(self, dataset, class_weight=None, shard=None):
        if not is_tf_dataset(dataset):
            raise ValueError(
                "Expected a `tf.data.Dataset`, received an object of type "
                f"{type(dataset).__name__}."
            )
        if shard is not None and shard[1] > 1:
            dataset = dataset.shard(shard[1], shard[0])
        self._dataset = dataset
        self.class_weight = class_weight

    @property
    def num_batches(self):
        """The dataset's cardinality; None when it is infinite or unknown."""
        try:
            count = int(self._dataset.cardinality())
        except (AttributeError, TypeError, ValueError):
            return None
        return count if count >= 0 else None

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass

    def first_batch(self):
        """The dataset's first element, read from a pass of its own (no random stream of
        cornu moves); None for an empty dataset."""
        return next(self.batches(), None)

    def batches(self):
        for element in self._dataset.as_numpy_iterator():
            yield data_adapter_utils.to_device_batch(self._standardize(element))

    def _standardize(self, element):
        if isinstance(element, list):
            element = tuple(element)
        if isinstance(element, tuple) and len(element) not in (1, 2, 3):
            raise ValueError(
                "Each element of a `tf.data.Dataset` given to `fit`/`evaluate`/`predict` must "
                "be `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`; received a tuple of "
                f"{len(element)} elements."
            )
        if self.class_weight is None:
            return element
        x, y, sample_weight = data_adapter_utils.unpack_x_y_sample_weight(element)
        if sample_weight is not None:
            raise ValueError(
                "You cannot `class_weight` and `sample_weight` at the same time: the dataset "
                "yields `(x, y, sample_weight)` and `class_weight` was passed."
            )
        if y is None:
            raise ValueError(
                "`class_weight` needs targets: the dataset must yield `(x, y)` batches."
            )
        if len(tree.flatten(y)) != 1:
            raise ValueError("`class_weight` is only supported for Models with a single output.")
        weights = data_adapter_utils.class_weights_to_sample_weights(y, self.class_weight)
        return (x, y, weights)
