"""to_categorical and normalize: label and array helpers."""

import numpy as np


def _is_backend_tensor(x):
    from cornu.ops import is_tensor

    return is_tensor(x)


def to_categorical(x, num_classes=None):
    """Converts a class vector (integers) to a binary class matrix.

    Args:
        x: array-like of class values, integers from 0 to ``num_classes - 1``. A trailing axis
            of size 1 is dropped: shape ``(n, 1)`` gives ``(n, num_classes)``.
        num_classes: total number of classes; when None, ``max(x) + 1``.

    Returns:
        A float32 NumPy array (a backend tensor for a tensor input) of shape
        ``x.shape + (num_classes,)``, the class axis last.

    ```python
    >>> keras.utils.to_categorical([0, 1, 2, 3], num_classes=4)
    array([[1., 0., 0., 0.],
           [0., 1., 0., 0.],
           [0., 0., 1., 0.],
           [0., 0., 0., 1.]], dtype=float32)
    ```
    """
    tensor_input = _is_backend_tensor(x)
    if tensor_input:
        from cornu.ops import convert_to_numpy

        x = convert_to_numpy(x)
    x = np.asarray(x)
    if x.dtype != bool and not np.issubdtype(x.dtype, np.number):
        raise TypeError(
            f"`to_categorical` expects integer class labels. Received an array of dtype {x.dtype}."
        )
    if np.issubdtype(x.dtype, np.inexact):
        if not np.all(np.isfinite(x)) or np.any(x != np.round(x)):
            raise ValueError(
                "`to_categorical` expects integer class labels; the input holds non-integer "
                "values. Round or cast the labels first."
            )
    labels = x.astype("int64")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    labels = labels.reshape(-1)
    if num_classes is not None and (int(num_classes) != num_classes or num_classes < 0):
        raise ValueError(f"`num_classes` must be a positive integer. Received: {num_classes!r}")
    if not num_classes:
        if labels.size == 0:
            raise ValueError("Cannot infer `num_classes` from empty labels; pass `num_classes`.")
        num_classes = int(labels.max()) + 1
    num_classes = int(num_classes)
    if labels.size and labels.min() < 0:
        raise ValueError(
            f"`to_categorical` received a negative class label ({labels.min()}). Labels must be "
            f"integers from 0 to num_classes - 1 = {num_classes - 1}."
        )
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"`to_categorical` received the class label {labels.max()}, which is out of range "
            f"for num_classes={num_classes} (labels must be from 0 to {num_classes - 1}). "
            "Pass a larger `num_classes`, or leave it as None to use max(x) + 1."
        )
    categorical = np.zeros((labels.shape[0], num_classes), dtype="float32")
    categorical[np.arange(labels.shape[0]), labels] = 1.0
    categorical = categorical.reshape(tuple(shape) + (num_classes,))
    if tensor_input:
        from cornu.ops import convert_to_tensor

        return convert_to_tensor(categorical)
    return categorical


def normalize(x, axis=-1, order=2):
    """Normalizes an array to unit norm along `axis` (zero vectors are left as zeros).

    A NumPy input gives a NumPy array; a backend tensor gives a backend tensor. As in Keras, a
    1-D NumPy input gives a ``(1, n)`` array.

    Args:
        x: array to normalize.
        axis: axis along which to normalize.
        order: normalization order, as for `np.linalg.norm` (e.g. ``order=2`` for L2 norm).

    Returns:
        A normalized copy of the array.
    """
    if _is_backend_tensor(x):
        return _normalize_tensor(x, axis, order)
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    if x.ndim == 1:
        return x / norm[None, :]
    return x / np.expand_dims(norm, axis)


def _normalize_tensor(x, axis, order):
    from cornu import ops

    magnitude = ops.abs(x)
    if order == 2:
        norm = ops.sqrt(ops.sum(ops.square(magnitude), axis=axis, keepdims=True))
    elif order == 1:
        norm = ops.sum(magnitude, axis=axis, keepdims=True)
    elif order == np.inf:
        norm = ops.max(magnitude, axis=axis, keepdims=True)
    else:
        norm = ops.power(
            ops.sum(ops.power(magnitude, order), axis=axis, keepdims=True), 1.0 / order
        )
    norm = ops.where(ops.equal(norm, 0), ops.ones_like(norm), norm)
    return x / norm
