"""Data adapters: every kind of input ``fit``/``evaluate``/``predict`` accept, as batches.

``get_data_adapter`` picks the adapter: arrays (NumPy, tensors, pandas, nested lists/dicts),
``cornu.utils.PyDataset``, ``tf.data.Dataset``s (on every backend), torch ``DataLoader``s and
other sized iterables, and Python generators, with Keras's errors for arguments that such
inputs cannot take.
"""

import types
import warnings

from cornu.trainers.data_adapters.array_data_adapter import (
    ArrayDataAdapter,
    is_array_like,
    split_for_validation,
)
from cornu.trainers.data_adapters.data_adapter_utils import (
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from cornu.trainers.data_adapters.generator_data_adapter import (
    GeneratorDataAdapter,
    IterableDataAdapter,
)
from cornu.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter
from cornu.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter, is_tf_dataset
from cornu.utils.py_dataset import PyDataset


def is_torch_dataloader(x):
    """True for a ``torch.utils.data.DataLoader`` (checked without importing torch)."""
    return any(
        cls.__name__ == "DataLoader" and "torch.utils.data" in cls.__module__
        for cls in type(x).__mro__
    )


def _unsupported(arg_name, description, input_type):
    return ValueError(
        f"When providing `x` as a {input_type}, `{arg_name}` should not be passed. Instead, "
        f"{description} should be included as part of the {input_type}."
    )


def _check_no_targets(y, sample_weight, input_type):
    if y is not None:
        raise _unsupported("y", "the targets", input_type)
    if sample_weight is not None:
        raise _unsupported("sample_weights", "the sample weights", input_type)


def get_data_adapter(
    x,
    y=None,
    sample_weight=None,
    batch_size=None,
    shuffle=False,
    class_weight=None,
    shard=None,
    steps=None,
):
    """The adapter that turns ``x`` (and ``y``, ``sample_weight``) into batches.

    Arrays with ``batch_size=None`` are read in batches of 32, or, when ``steps`` (the steps
    of an epoch) is given, in ``ceil(num_samples / steps)``-sample batches, as Keras reads them.

    ``shard`` (``(process, count, mode)``, set under data parallelism) gives this process its
    share: its part of each global batch of arrays, its DistributedSampler share of a
    DataLoader, every ``count``-th batch of a PyDataset. A generator is read as it is: each
    process's generator should yield that process's own data.
    """
    if x is None:
        raise ValueError("`x` is None: pass the input data (e.g. a NumPy array).")
    if isinstance(x, PyDataset):
        _check_no_targets(y, sample_weight, "PyDataset")
        return PyDatasetAdapter(
            x, class_weight=class_weight, shuffle=bool(shuffle), shard=shard and shard[:2]
        )
    if is_tf_dataset(x):
        _check_no_targets(y, sample_weight, "tf.data.Dataset")
        return TFDatasetAdapter(x, class_weight=class_weight, shard=shard and shard[:2])
    if is_torch_dataloader(x):
        _check_no_targets(y, sample_weight, "torch DataLoader")
        if class_weight is not None:
            raise ValueError(
                "Argument `class_weight` is not supported for torch DataLoader inputs. Make "
                "the dataset return `(x, y, sample_weight)` instead, or use a custom training "
                f"loop. Received: class_weight={class_weight}"
            )
        if shuffle:
            _warn_shuffle("a torch DataLoader", "The DataLoader is expected to shuffle")
        if shard is not None:
            from cornu import backend

            x = backend.distribution.shard_data_loader(x, shard[0], shard[1])
        return IterableDataAdapter(x)
    if isinstance(x, types.GeneratorType) or (
        hasattr(x, "__next__") and not is_array_like(x) and not isinstance(x, dict)
    ):
        _check_no_targets(y, sample_weight, "generator")
        if class_weight is not None:
            raise ValueError(
                "Argument `class_weight` is not supported for Python generator inputs. "
                f"Received: class_weight={class_weight}"
            )
        if shuffle:
            _warn_shuffle("a generator", "The generator is expected to yield shuffled data")
        return GeneratorDataAdapter(x)
    if is_array_like((x, y, sample_weight)):
        return ArrayDataAdapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            shuffle=shuffle,
            class_weight=class_weight,
            shard=shard,
            steps=steps,
        )
    raise ValueError(
        f"Unrecognized data type: x={str(x)[:100]} (of type {type(x).__name__}). Expected NumPy "
        "arrays, tensors, pandas objects, a PyDataset, a tf.data.Dataset, a torch DataLoader "
        "or a generator."
    )


def _warn_shuffle(kind, expectation):
    warnings.warn(
        f"`shuffle=True` was passed, but will be ignored since the data `x` was provided as "
        f"{kind}. {expectation}.",
        stacklevel=3,
    )


__all__ = [
    "ArrayDataAdapter",
    "GeneratorDataAdapter",
    "IterableDataAdapter",
    "PyDatasetAdapter",
    "TFDatasetAdapter",
    "get_data_adapter",
    "is_array_like",
    "is_tf_dataset",
    "is_torch_dataloader",
    "pack_x_y_sample_weight",
    "split_for_validation",
    "unpack_x_y_sample_weight",
]
