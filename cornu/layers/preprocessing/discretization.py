"""Discretization: continuous features into bins, by given or adapted (quantile)
boundaries."""

import numpy as np

from cornu import backend, ops
from cornu.core import KerasTensor
from cornu.layers.layer import Layer
from cornu.layers.preprocessing.categorical_encoding import encode_categorical_inputs

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(Layer):
    """Buckets continuous values into bins: bin ``i`` holds the values ``x`` with
    ``bin_boundaries[i-1] <= x < bin_boundaries[i]``.

    Args:
        bin_boundaries: the sorted boundaries; values below the first go to bin 0, values
            at or above the last to bin ``len(bin_boundaries)``.
        num_bins: the number of bins to learn with ``adapt`` (approximate quantiles);
            give either this or ``bin_boundaries``.
        epsilon: the error tolerance of the quantile summary (about ``1 / epsilon``
            summary points).
        output_mode: ``"int"`` (the bin index, int32), ``"one_hot"``, ``"multi_hot"`` or
            ``"count"`` (float vectors of size the number of bins, encoded as
            ``CategoryEncoding`` does).
        sparse: must be False (the torch backend has no sparse tensors).

    Input shape: any. Output shape: the input's for ``"int"``; see ``CategoryEncoding`` for
    the others.
    """

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        dtype=None,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError(f"`sparse=True` cannot be used with backend {backend.backend()}")
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"Unknown value for `output_mode`. Allowed values are: {OUTPUT_MODES}. "
                f"Received: output_mode={output_mode}"
            )
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else np.array([[], []], dtype="float32")
        self.built = True  # no weights; inputs may be lists of strings

    @property
    def output_dtype(self):
        return self.compute_dtype if self.output_mode != "int" else "int32"

    # ---- adapt ---------------------------------------------------------------------------

    def adapt(self, data, steps=None):
        """Learns ``num_bins - 1`` boundaries (approximate quantiles) from ``data``: an
        array or tensor, or an iterable of batches (``(x, y)`` batches use ``x``)."""
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                "`bin_boundaries`, use `num_bins` instead."
            )
        self.reset_state()
        if isinstance(data, np.ndarray) or backend.is_tensor(data) or not hasattr(data, "__iter__"):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                if isinstance(batch, tuple):
                    batch = batch[0]
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        if backend.is_tensor(data):
            data = ops.convert_to_numpy(data)
        data = np.array(data).astype("float32")
        self.summary = _merge_summaries(_summarize(data, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        if self.summary.shape[1] == 0:
            raise ValueError(
                f"Discretization '{self.name}': adapt() received no values; give it data."
            )
        self.bin_boundaries = _get_bin_boundaries(self.summary, self.num_bins).tolist()

    def reset_state(self):
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    # ---- calling -------------------------------------------------------------------------

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time "
                "or call `adapt(dataset)` before you can start using the `Discretization` "
                "layer."
            )
        inputs = ops.convert_to_tensor(inputs)
        if not backend.standardize_dtype(inputs.dtype).startswith("float"):
            inputs = ops.cast(inputs, backend.floatx())
        boundaries = ops.convert_to_tensor(
            np.asarray(self.bin_boundaries, dtype="float64"), dtype=inputs.dtype
        )
        # The bin of x is the number of boundaries <= x (NumPy's digitize).
        indices = ops.sum(
            ops.cast(ops.greater_equal(ops.expand_dims(inputs, -1), boundaries), "int32"),
            axis=-1,
        )
        return encode_categorical_inputs(
            indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        if len(input_shape) >= 2:
            return (input_shape[0],) + input_shape[2:] + (depth,)
        return (depth,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            # An adapted layer has both; the constructor takes one, so set the other after.
            config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)


def _summarize(values, epsilon):
    """A quantile summary ``[values, weights]`` of about ``1 / epsilon`` points."""
    values = np.sort(np.reshape(values, [-1]))
    step = max(np.size(values) / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1) :: int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def _merge_summaries(previous, following, epsilon):
    merged = np.concatenate((previous, following), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return _compress_summary(merged, epsilon)


def _get_bin_boundaries(summary, num_bins):
    return _compress_summary(summary, 1.0 / num_bins)[0, :-1]


def _compress_summary(summary, epsilon):
    """The summary interpolated at the quantiles ``epsilon, 2 * epsilon, ..., 1``."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_percents, summary[0])
    cum_weights = np.interp(percents, cum_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")
