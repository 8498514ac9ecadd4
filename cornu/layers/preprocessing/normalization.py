"""Normalization: shifts and scales features by a mean and variance given or learned by
``adapt``."""

import itertools
import math

import numpy as np

from cornu import core, ops
from cornu.layers.layer import Layer
from cornu.utils.py_dataset import PyDataset


def _first_input(batch):
    """The inputs of a batch that may be ``(x, y)`` or ``(x, y, sample_weight)``."""
    if isinstance(batch, (tuple, list)) and batch and hasattr(batch[0], "shape"):
        return batch[0]
    return batch


def _batch_shape(batch):
    shape = getattr(_first_input(batch), "shape", None)
    if shape is None:
        raise TypeError(
            "adapt() expects an iterable that yields arrays or tensors with a `.shape` "
            "attribute (e.g. numpy arrays or backend tensors). Got an element of type "
            f"{type(_first_input(batch)).__name__}. Ensure each yielded element is array-like "
            "with a `.shape` attribute."
        )
    return tuple(shape)


def _standardize_axis(axis):
    if axis is None:
        return ()
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, (tuple, list)) and all(
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis
    ):
        return tuple(int(a) for a in axis)
    raise ValueError(
        f"Normalization expects `axis` to be an int, a tuple of ints or None. Received: "
        f"axis={axis!r}"
    )


class Normalization(Layer):
    """Normalizes the inputs: ``(inputs - mean) / sqrt(variance)`` (or back again with
    ``invert=True``), with one mean and variance per index of the kept ``axis``.

    The mean and variance are either given to the constructor or computed from data with
    ``adapt()`` before training. As in Keras, a layer that was neither adapted nor given them
    normalizes with mean 0 and variance 1 (it passes its inputs through unchanged).

    Args:
        axis: the axis or axes that keep a separate mean and variance per index (e.g.
            ``axis=-1`` on ``(batch, 5)`` inputs tracks 5 of each); None for one scalar mean
            and variance over everything. Defaults to -1.
        mean: the mean(s), broadcast to the shape of the kept axes; given with ``variance``.
        variance: the variance(s), broadcast like ``mean``.
        invert: apply the inverse transformation ``inputs * sqrt(variance) + mean``.

    Input and output shapes are the same. The square root of the variance is floored at
    ``core.epsilon()``.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = _standardize_axis(axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self.mean = None
        self.variance = None
        if (mean is None) != (variance is None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}"
            )
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the same "
                    f"shape. Received: mean shape {np.shape(mean)} and variance shape "
                    f"{np.shape(variance)}"
                )
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    "The rank of `mean` must be less than or equal to the number of axes "
                    f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis "
                    f"{self.axis}"
                )

    # ---- building ------------------------------------------------------------------------

    def build(self, input_shape):
        if input_shape is None:
            return
        input_shape = tuple(input_shape)
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Normalization layer '{self.name}': all `axis` values must be in the range "
                f"[-ndim, ndim). Received inputs with ndim={ndim}, while axis={self.axis}"
            )
        self._build_input_shape = input_shape
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    "All `axis` values to be kept must have a known shape. Received "
                    f"axis={self.axis}, inputs.shape={input_shape}, with unknown axis at "
                    f"index {d}"
                )
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(
            input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)
        )
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                shape=self._mean_and_var_shape, initializer="zeros", trainable=False, name="mean"
            )
            self.adapt_variance = self.add_weight(
                shape=self._mean_and_var_shape,
                initializer="ones",
                trainable=False,
                name="variance",
            )
            self.count = self.add_weight(
                shape=(), dtype="int32", initializer="zeros", trainable=False, name="count"
            )
            self.built = True
            self.finalize_state()
        else:
            self.mean = self._broadcast_given(self.input_mean, "mean")
            self.variance = self._broadcast_given(self.input_variance, "variance")
            self.built = True

    def _broadcast_given(self, value, name):
        """A given mean or variance shaped to broadcast against the inputs: its axes line up
        with the last kept axes."""
        value = np.asarray(value, dtype="float64")
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, value.ndim + 1):
            expanded[self._keep_axis[-i]] = value.shape[-i]
        try:
            value = np.broadcast_to(value.reshape(expanded), self._broadcast_shape)
        except ValueError:
            raise ValueError(
                f"Normalization layer '{self.name}': `{name}` of shape {value.shape} cannot be "
                f"broadcast to the kept axes {self._keep_axis} of inputs of shape "
                f"{self._build_input_shape} (expected shape {self._mean_and_var_shape})."
            ) from None
        return ops.convert_to_tensor(value, dtype=self.compute_dtype)

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": list(self._build_input_shape)}
        return None

    def build_from_config(self, config):
        if config and not self.built:
            self.build(config["input_shape"])

    # ---- adapt ---------------------------------------------------------------------------

    def adapt(self, data):
        """Computes the mean and variance of ``data`` for each index of the kept axes.

        Args:
            data: a NumPy array, a tensor, a ``PyDataset``, or an iterable of batches (a list
                of arrays, a generator, a ``DataLoader``); batches may be ``(x, y, ...)``
                tuples, whose ``x`` is used. Each element of an iterable must be a whole
                batch. Batches are merged with the pairwise (Chan et al.) update of mean and
                variance, so no sum of squares is ever formed.
        """
        if self.input_mean is not None:
            raise ValueError(
                f"Normalization layer '{self.name}' was given `mean` and `variance`; it cannot "
                "also be adapted. Create it without them to learn them with adapt()."
            )
        batches = None
        if isinstance(data, np.ndarray) or ops.is_tensor(data):
            input_shape = tuple(data.shape)
        elif isinstance(data, PyDataset):
            batches = self._py_dataset_batches(data)
        elif hasattr(data, "__iter__"):
            batches = iter(data)
        else:
            raise TypeError(
                f"Unsupported data type: {type(data)}. `adapt` supports `np.ndarray`, backend "
                "tensors, `cornu.utils.PyDataset`, and iterables of batches (e.g. list, "
                "generator)."
            )
        if batches is not None:
            first = next(batches, None)
            if first is None:
                raise ValueError(
                    "adapt() received an empty iterable (no batches). Expected at least one "
                    "batch. Pass a non-empty iterable of arrays or tensors, e.g. "
                    "layer.adapt([x]) or layer.adapt(list_of_batches)."
                )
            input_shape = _batch_shape(first)
        if not self.built:
            self.build(input_shape)
        self._check_adapt_shape(input_shape, "adapt() is being called with data with")

        if batches is None:
            total_mean, total_var, _ = self._moments(data)
        else:
            total_mean = total_var = None
            total_count = 0
            for batch in itertools.chain([first], batches):
                self._check_adapt_shape(_batch_shape(batch), "adapt() yielded a batch with")
                mean, var, count = self._moments(_first_input(batch))
                if count == 0:
                    continue
                if total_mean is None:
                    total_mean, total_var, total_count = mean, var, count
                    continue
                total_count += count
                weight = count / total_count
                new_mean = total_mean * (1.0 - weight) + mean * weight
                total_var = (total_var + (total_mean - new_mean) ** 2) * (1.0 - weight) + (
                    var + (mean - new_mean) ** 2
                ) * weight
                total_mean = new_mean
            if total_mean is None:
                raise ValueError("adapt() received only empty batches; there is nothing to learn.")
        self.adapt_mean.assign(np.asarray(total_mean, dtype=self.adapt_mean.dtype))
        self.adapt_variance.assign(np.asarray(total_var, dtype=self.adapt_variance.dtype))
        self.finalize_state()

    @staticmethod
    def _py_dataset_batches(dataset):
        count = dataset.num_batches
        if count is None:
            raise ValueError(
                "adapt() received a PyDataset without a length (num_batches is None); it "
                "needs a finite dataset."
            )
        return (dataset[i] for i in range(count))

    def _check_adapt_shape(self, shape, what):
        if len(shape) != len(self._build_input_shape) or any(
            shape[d] != self._build_input_shape[d] for d in self._keep_axis
        ):
            raise ValueError(
                f"Normalization layer '{self.name}' was built with "
                f"input_shape={self._build_input_shape}, but {what} an incompatible shape, "
                f"data.shape={shape}"
            )

    def _moments(self, batch):
        """Mean and variance (float64 arrays over the reduced axes) and element count."""
        count = math.prod(batch.shape[d] for d in self._reduce_axis)
        if isinstance(batch, np.ndarray):
            if not np.issubdtype(batch.dtype, np.floating):
                batch = batch.astype(self.compute_dtype)
            mean = np.mean(batch, axis=self._reduce_axis)
            var = np.var(batch, axis=self._reduce_axis)
        else:
            batch = ops.convert_to_tensor(batch, dtype=self.compute_dtype)
            if self._reduce_axis:
                mean = ops.mean(batch, axis=self._reduce_axis)
                var = ops.var(batch, axis=self._reduce_axis)
            else:
                mean, var = batch, ops.zeros_like(batch)
            mean, var = ops.convert_to_numpy(mean), ops.convert_to_numpy(var)
        return np.asarray(mean, "float64"), np.asarray(var, "float64"), count

    def finalize_state(self):
        """Reads the adapted mean and variance into ``self.mean`` / ``self.variance``."""
        if self.input_mean is not None or not self.built:
            return
        # Plain attributes: on torch, the variables are registered as parameters of these names.
        self._set_attribute("mean", self._adapted(self.adapt_mean))
        self._set_attribute("variance", self._adapted(self.adapt_variance))

    def _adapted(self, variable):
        return ops.cast(ops.reshape(variable, self._broadcast_shape), self.compute_dtype)

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.finalize_state()

    # ---- calling -------------------------------------------------------------------------

    def call(self, inputs):
        if self.mean is None:
            raise ValueError("You must call `.build(input_shape)` on the layer before using it.")
        inputs = ops.cast(inputs, self.compute_dtype)
        self._check_call_shape(tuple(inputs.shape))
        if self.input_mean is None:  # read the variables each call: they follow `.to(device)`
            mean, variance = self._adapted(self.adapt_mean), self._adapted(self.adapt_variance)
        else:
            mean, variance = self.mean, self.variance
        stddev = ops.clip(ops.sqrt(variance), core.epsilon(), None)
        if self.invert:
            return mean + inputs * stddev
        return (inputs - mean) / stddev

    def _check_call_shape(self, shape):
        expected = self._broadcast_shape
        if len(shape) != len(expected) or any(
            shape[d] != expected[d] for d in self._keep_axis if shape[d] is not None
        ):
            raise ValueError(
                f"Normalization layer '{self.name}' keeps axes {self._keep_axis} of inputs "
                f"of shape {self._build_input_shape}, but received inputs of shape {shape}."
            )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }
