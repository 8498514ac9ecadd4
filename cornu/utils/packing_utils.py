"""The ``(x, y, sample_weight)`` layouts of a batch, for custom ``train_step``s."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs data into the tuple layout `fit()` uses: `x`, `(x, y)` or `(x, y, sample_weight)`.

    A lone list or tuple `x` is wrapped as `(x,)`, so that it is not read as `(x, y)`.

    Args:
        x: the features.
        y: the targets, or None.
        sample_weight: the weight of each sample, or None.

    Returns:
        `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
    """
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """Unpacks a batch of the form `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Args:
        data: the batch.

    Returns:
        `(x, y, sample_weight)`, with None for the parts the batch lacks.

    Raises:
        ValueError: for a tuple of more than 3 elements.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return (data[0], data[1], data[2])
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found a tuple of {len(data)} elements: {str(data)[:200]}"
    )
