"""Where Keras on another backend gives other results than Keras on torch, which cornu follows on
every backend: backend -> op name -> [(applies(args, kwargs), what differs, to_torch)].

``to_torch`` maps Keras's result (as NumPy) to the result Keras on torch gives (cornu's), where
it follows from it (a dtype, a shape); None where it does not, and that case is skipped with the
difference named. ``tests/oracle.py`` reads the table (``oracle.op`` and ``keras_difference``).
"""

import numpy as np


def _always(args, kwargs):
    return True


def _no_kwargs(args, kwargs):
    return not kwargs


def _has_dtype(*dtypes):
    """The call has an array (or a list of arrays) argument of one of ``dtypes``."""

    def applies(args, kwargs):
        flat = [a for arg in args for a in (arg if isinstance(arg, (list, tuple)) else [arg])]
        return any(str(getattr(a, "dtype", "")) in dtypes for a in flat)

    return applies


def _as(dtype):
    def to_torch(result):
        if isinstance(result, (list, tuple)):
            return type(result)(to_torch(r) for r in result)
        return np.asarray(result).astype(dtype)

    return to_torch


def _keepdims_without_axis(args, kwargs):
    return kwargs.get("axis") is None and kwargs.get("keepdims")


def _zero_d(args, kwargs):
    return np.ndim(args[0]) == 0


def _out_of_range_ids(args, kwargs):
    ids, count = args[1], kwargs.get("num_segments")
    return count is not None and (np.min(ids) < 0 or np.max(ids) >= count)


def _float64_volumes(args, kwargs):
    return np.ndim(args[0]) == 5 and str(np.asarray(args[0]).dtype) == "float64"


_NO_FLOAT64_POOL3D = "Keras's TF 3-D adaptive pools of float64 fail: TF has no float64 CPU kernel"
_PARTIAL_BATCH_OUTPUT_LOSSES = (
    "Keras's TF averages each output's loss (`<output>_loss`) over batches without weighting the "
    "partial last batch by its size; torch's (and cornu) weights every batch by its size"
)
_BUILT_IN_FIRST_STEP = (
    "Keras's TF builds a subclassed model, its optimizer and its metrics inside the first step "
    "(after on_train_begin / on_test_begin); torch's (and cornu) builds them before"
)
_EMA_WITHOUT_STEPS = (
    "Keras's TF fit(use_ema=True) with no epoch to run fails (AttributeError: no "
    "_model_variables_moving_average); torch's (and cornu) returns an empty history"
)

_UINT32_SUMS = "Keras's TF sums and products of uint8 give uint32; torch's (and cornu) int32"
_INT64 = "Keras's TF keeps int64 inputs (and NumPy int64 scalars) int64; torch's gives int32"
_FLOAT64 = "Keras's TF keeps float64 inputs float64 here; torch's gives float32"

KERAS_DIFFERS = {
    "jax": {
        "view": [
            (_no_kwargs, "without a dtype Keras's torch view gives floatx, JAX's keeps", None)
        ],
        "nonzero": [(_always, "Keras's JAX nonzero gives a tuple, torch's one array", None)],
        "argpartition": [(_always, "the order inside a partition is left to the engine", None)],
        "cross": [
            (
                _no_kwargs,
                "Keras's torch cross (and cornu) crosses along the first size-3 axis, JAX's "
                "the last",
                None,
            )
        ],
        "correlate": [
            (
                lambda a, k: len(a[0]) == len(a[1]) and not k,
                "Keras's JAX 'valid' correlate of equal lengths gives shape (1,), torch's a 0-d "
                "result",
                None,
            )
        ],
    },
    "tensorflow": {
        "view": [(_no_kwargs, "without a dtype Keras's torch view gives floatx, TF's keeps", None)],
        "nonzero": [(_always, "Keras's TF nonzero gives a list of arrays, torch's one", None)],
        "argpartition": [(_always, "the order inside a partition is left to the engine", None)],
        "cross": [
            (
                _no_kwargs,
                "Keras's torch cross (and cornu) crosses along the first size-3 axis, TF's the "
                "last",
                None,
            )
        ],
        "vstack": [
            (
                lambda a, k: all(np.ndim(x) == 1 for x in a[0]),
                "Keras's TF vstack concatenates 1-D arrays into one row; torch's stacks them",
                None,
            )
        ],
        "unravel_index": [
            (
                _zero_d,
                "Keras's TF unravel_index of a Python int is wrong ((2, 1) for 7 in (3, 4); "
                "NumPy and torch give (1, 3))",
                None,
            ),
            (_has_dtype("int64"), _INT64, _as("int32")),
        ],
        "logspace": [(_has_dtype("float64"), _FLOAT64, _as("float32"))],
        "linspace": [(_has_dtype("float64"), _FLOAT64, _as("float32"))],
        "vdot": [(_has_dtype("int64"), _INT64, _as("int32"))],
        "correlate": [
            (
                lambda a, k: len(a[0]) == len(a[1]) and not k,
                "Keras's TF 'valid' correlate of equal lengths gives shape (1,) (and float64 "
                "for float64 input), torch's a 0-d float32 result",
                lambda r: np.asarray(r).reshape(()).astype("float32"),
            ),
            (_has_dtype("float64", "int64"), _FLOAT64, _as("float32")),
        ],
        "vander": [
            (_has_dtype("int64"), _INT64, _as("int32")),
            (_has_dtype("float64"), _FLOAT64, _as("float32")),
        ],
        "arange": [(lambda a, k: any(isinstance(v, np.int64) for v in a), _INT64, _as("int32"))],
        "sum": [(_has_dtype("uint8"), _UINT32_SUMS, _as("int32"))],
        "prod": [
            (_has_dtype("uint8"), _UINT32_SUMS, _as("int32")),
            (_has_dtype("int64"), _INT64, _as("int32")),
        ],
        "nansum": [(_has_dtype("uint8"), _UINT32_SUMS, _as("int32"))],
        "cumsum": [(_has_dtype("int64"), _INT64, _as("int32"))],
        "cumprod": [(_has_dtype("int64"), _INT64, _as("int32"))],
        "einsum": [
            (
                lambda a, k: a[0] == "ij->j" and _has_dtype("int32")(a, k),
                "Keras's TF einsum of int32 stays int32; torch's sum gives int64",
                _as("int64"),
            )
        ],
        "size": [
            (
                _always,
                "Keras's TF size gives an int32 tensor; torch's (and cornu) a Python int",
                lambda r: int(r),
            )
        ],
        "negative": [(_has_dtype("uint8"), "Keras's TF negative has no uint8 kernel", None)],
        "bitwise_invert": [(_has_dtype("bool"), "Keras's TF bitwise ops refuse booleans", None)],
        "bitwise_and": [(_has_dtype("bool"), "Keras's TF bitwise ops refuse booleans", None)],
        "bitwise_xor": [(_has_dtype("bool"), "Keras's TF bitwise ops refuse booleans", None)],
        "logaddexp": [(_has_dtype("float64"), _FLOAT64, _as("float32"))],
        "nextafter": [(_has_dtype("float64"), _FLOAT64, _as("float32"))],
        "hypot": [(_has_dtype("int64"), "Keras's TF hypot of int64 gives float64", _as("float32"))],
        "isclose": [
            (
                lambda a, k: any(np.isinf(np.asarray(x, "float64")).any() for x in a[:2]),
                "Keras's TF isclose compares infinities by their difference (inf - inf is NaN)",
                None,
            )
        ],
        "amax": [(_keepdims_without_axis, "Keras's TF keeps (1, 1) for axis=None", None)],
        "amin": [(_keepdims_without_axis, "Keras's TF keeps (1, 1) for axis=None", None)],
        "ptp": [(_keepdims_without_axis, "Keras's TF keeps (1, 1) for axis=None", None)],
        "nanprod": [(_keepdims_without_axis, "Keras's TF keeps (1, 1) for axis=None", None)],
        "nanmedian": [
            (
                lambda a, k: _has_dtype("int32")(a, k) and k.get("axis") is not None,
                "Keras's TF nanmedian of integers along an axis fails (a TensorArray dtype clash)",
                None,
            )
        ],
        "corrcoef": [
            (
                _has_dtype("int64"),
                "Keras's TF corrcoef of int64 rows differs from NumPy's (0.287 for 0.267)",
                None,
            )
        ],
        "unique": [
            (
                lambda a, k: any(
                    k.get(n) for n in ("return_index", "return_inverse", "return_counts")
                ),
                "Keras's TF unique gives int32 indices, inverse and counts; torch's int64",
                lambda r: tuple([r[0]] + [np.asarray(v).astype("int64") for v in r[1:]]),
            )
        ],
        "vectorize": [(_always, "Keras's TF vectorize is not supported", None)],
        "erfc": [(_has_dtype("int32"), "Keras's TF erfc has no integer kernel", None)],
        "segment_max": [(_out_of_range_ids, "Keras's TF fails on out-of-range ids", None)],
        "segment_min": [(_out_of_range_ids, "Keras's TF fails on out-of-range ids", None)],
        "segment_prod": [(_out_of_range_ids, "Keras's TF fails on out-of-range ids", None)],
        "linalg.lu_factor": [
            (
                _always,
                "Keras's TF lu_factor gives TensorFlow's row permutation as the pivots, torch's "
                "LAPACK's row swaps",
                None,
            )
        ],
        "rfft": [(_has_dtype("float64"), "Keras's TF rfft of float64 computes in float32", None)],
        "stft": [
            (
                lambda a, k: k.get("window") is None,
                "Keras's TF stft with window=None frames fft_length samples, not sequence_length",
                None,
            )
        ],
        "scan": [
            (
                lambda a, k: isinstance(a[2], dict),
                "Keras's TF scan fails when the per-step output's structure is not the carry's",
                None,
            )
        ],
        "image.sobel_edges": [
            (_always, "Keras's TF sobel_edges gives other values than torch's", None)
        ],
        "image.perspective_transform": [
            (
                _has_dtype("uint8"),
                "Keras's TF perspective_transform of uint8 images rounds otherwise (off by one)",
                None,
            )
        ],
        "image.map_coordinates": [
            (
                lambda a, k: k.get("fill_mode") in ("mirror", "reflect"),
                "Keras's TF map_coordinates folds 'mirror'/'reflect' coordinates otherwise "
                "(and gathers out of range for 'mirror')",
                None,
            )
        ],
        "image.scale_and_translate": [
            (_has_dtype("uint8"), "Keras's TF scale_and_translate fails on uint8 images", None)
        ],
        "matmul": [(_has_dtype("float64"), _FLOAT64, _as("float32"))],
        "adaptive_average_pool": [(_float64_volumes, _NO_FLOAT64_POOL3D, None)],
        "adaptive_max_pool": [(_float64_volumes, _NO_FLOAT64_POOL3D, None)],
        "layers.Normalization.weights": [
            (
                _always,
                "Keras's TF Normalization keeps its count int64; torch's (and cornu) int32",
                lambda weights: [
                    np.asarray(w).astype("int32") if w.dtype == "int64" else w for w in weights
                ],
            )
        ],
        "image.resize": [
            (
                lambda a, k: (
                    k.get("interpolation", a[2] if len(a) > 2 else "bilinear") == "bicubic"
                    and not k.get("antialias")
                ),
                "Keras's TF bicubic resize weighs neighbours with TF's cubic kernel (a=-0.5); "
                "torch's (and cornu) with a=-0.75",
                None,
            )
        ],
        "image.affine_transform": [
            (
                lambda a, k: k.get("fill_mode") == "mirror",
                "Keras's TF affine_transform refuses fill_mode='mirror'",
                None,
            ),
            (
                lambda a, k: k.get("fill_mode") == "wrap",
                "Keras's TF affine_transform (TF's projective transform) wraps coordinates "
                "otherwise",
                None,
            ),
            (
                lambda a, k: k.get("interpolation") == "nearest",
                "Keras's TF nearest affine_transform rounds sample coordinates otherwise",
                None,
            ),
            (
                _has_dtype("uint8"),
                "Keras's TF affine_transform of uint8 images rounds otherwise",
                None,
            ),
        ],
        "layers.ContrastLimitedAdaptiveHistogramEqualization": [
            (
                lambda a, k: k.get("clip_limit", 4.0) > 0,
                "Keras's TF CLAHE clips and redistributes the histograms otherwise (cornu-TF "
                "equals cornu-torch)",
                None,
            )
        ],
        "layers.UpSampling2D": [
            (
                lambda a, k: k.get("interpolation") == "bicubic",
                "Keras's TF bicubic resize weighs neighbours with TF's cubic kernel (a=-0.5); "
                "torch's (and cornu) with a=-0.75",
                None,
            )
        ],
        # Trainer behaviours (not ops): the tests name them "Model.<method>:<case>".
        "Model.evaluate:output_losses": [
            (lambda a, k: k.get("partial_batch"), _PARTIAL_BATCH_OUTPUT_LOSSES, None)
        ],
        "Model.fit:built_before_callbacks": [(_always, _BUILT_IN_FIRST_STEP, None)],
        "Model.fit:use_ema_without_epochs": [
            (lambda a, k: k.get("initial_epoch"), _EMA_WITHOUT_STEPS, None)
        ],
        "nn.depth_to_space": [
            (
                lambda a, k: k.get("data_format") == "channels_first",
                "Keras's TF depth_to_space orders channels_first channels otherwise",
                None,
            )
        ],
    },
}
