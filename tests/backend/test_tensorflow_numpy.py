"""The TensorFlow backend's ``numpy`` op family gives the values and dtypes of cornu on torch
(which follows Keras's dtype rules; TensorFlow keeps 64-bit dtypes, as torch does). Both
backends' modules are imported directly, whichever backend the suite runs on; a few functions
are also checked inside a ``tf.function``."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
torch = pytest.importorskip("torch")

from numpy_family_cases import (  # noqa: E402
    BO,
    CASES,
    DUP,
    NAN,
    RNG,
    T3,
    A,
    B,
    C,
    I,
    J,
    S,
    U,
    V,
    W,
)

from cornu.backend import contract  # noqa: E402
from cornu.backend.tensorflow import numpy as tf_ops  # noqa: E402
from cornu.backend.torch import numpy as torch_ops  # noqa: E402
from cornu.core.dtypes import standardize_dtype  # noqa: E402


def _numpy(x):
    if isinstance(x, (list, tuple)):
        return [_numpy(v) for v in x]
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        name = str(x.dtype).removeprefix("torch.")
        return np.asarray(x.float() if name == "bfloat16" else x), name
    name = standardize_dtype(x.dtype)
    return np.asarray(tf.cast(x, "float32") if name == "bfloat16" else x), name


def _compare(ours, theirs, where="result", values=True):
    if isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), f"{where}: structure"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _compare(a, b, f"{where}[{i}]", values)
        return
    if not isinstance(theirs, tuple):  # a Python number (size, ndim, retstep)
        assert not isinstance(ours, tuple) and ours == pytest.approx(theirs), where
        return
    (ours, ours_dtype), (theirs, theirs_dtype) = ours, theirs
    assert ours_dtype == theirs_dtype, f"{where}: dtype {ours_dtype} != {theirs_dtype}"
    assert ours.shape == theirs.shape, f"{where}: shape {ours.shape} != {theirs.shape}"
    if not values:
        return
    if theirs.dtype.kind in "fc":
        half = ours_dtype in ("float16", "bfloat16")  # torch rounds half floats from float32
        tol = dict(rtol=1e-2, atol=1e-3) if half else dict(rtol=2e-5, atol=2e-6)
        np.testing.assert_allclose(ours, theirs, err_msg=where, **tol)
    else:
        np.testing.assert_array_equal(ours, theirs.astype(ours.dtype), err_msg=where)


@pytest.mark.parametrize("name, args, kwargs", CASES)
def test_matches_torch_backend(name, args, kwargs):
    theirs = _numpy(getattr(torch_ops, name)(*args, **kwargs))
    ours = getattr(tf_ops, name)(*args, **kwargs)
    for leaf in tf.nest.flatten(ours):
        assert isinstance(leaf, (tf.Tensor, bool, int, float)), type(leaf)
    # ``empty`` arrays hold whatever the memory held: only their shape and dtype count.
    _compare(_numpy(ours), theirs, name, values=not name.startswith("empty"))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_argpartition_partitions_as_on_torch(axis):
    # Ties may be ordered differently (torch's topk orders them as it likes): the partition,
    # the sorted bottom values and the dtype are what both backends promise.
    x, kth = np.array([[3, 1, 2, 3, 1, 5], [0, 7, 7, 2, 2, 1]], "int32"), 2
    x = x if axis else x.T
    ours = np.asarray(tf_ops.argpartition(x, kth, axis=axis))
    theirs = torch_ops.argpartition(x, kth, axis=axis).numpy()
    assert ours.dtype == theirs.dtype == np.int32
    ours_values = np.take_along_axis(x, ours, axis)
    theirs_values = np.take_along_axis(x, theirs, axis)
    bottom = np.take(ours_values, np.arange(kth + 1), axis=axis)
    np.testing.assert_array_equal(bottom, np.take(theirs_values, np.arange(kth + 1), axis=axis))
    np.testing.assert_array_equal(np.sort(ours_values, axis), np.sort(x, axis))
    rest = np.take(ours_values, np.arange(kth + 1, x.shape[axis]), axis=axis)
    assert (rest >= np.take(ours_values, [kth], axis=axis)).all()
    assert sorted(ours.reshape(-1).tolist()) == sorted(theirs.reshape(-1).tolist())


def test_what_tensorflow_does_beyond_torch():
    # torch's pad has no "edge" mode and reflects only the last axes; its linspace takes axis 0
    # only; its repeat takes no array of counts with an axis. These do them all, as NumPy does.
    np.testing.assert_array_equal(
        np.asarray(tf_ops.repeat(A, np.array([1, 3]), axis=0)), np.repeat(A, [1, 3], axis=0)
    )
    np.testing.assert_array_equal(
        np.asarray(tf_ops.pad(A, ((1, 1), (2, 1)), mode="symmetric")),
        np.pad(A, ((1, 1), (2, 1)), mode="symmetric"),
    )
    np.testing.assert_array_equal(
        np.asarray(tf_ops.pad(I, ((0, 1), (1, 1)), mode="edge")),
        np.pad(I, ((0, 1), (1, 1)), mode="edge"),
    )
    np.testing.assert_array_equal(
        np.asarray(tf_ops.pad(A, ((1, 1), (2, 1)), mode="reflect")),
        np.pad(A, ((1, 1), (2, 1)), mode="reflect"),
    )
    out = tf_ops.linspace(np.array([0.0, 1.0]), 3.0, 4, axis=1)
    np.testing.assert_allclose(np.asarray(out), np.linspace([0.0, 1.0], 3.0, 4, axis=1), 1e-6)
    assert out.dtype == np.float32


def test_every_function_of_the_family_is_checked():
    checked = {case.values[0] for case in CASES}
    assert sorted(set(contract.FAMILIES["numpy"]) - checked - {"vectorize", "argpartition"}) == []


def test_vectorize_maps_over_leading_axes():
    def dot(a, b):
        return tf_ops.sum(tf_ops.multiply(a, b))

    mapped = tf_ops.vectorize(dot, signature="(n),(n)->()")
    np.testing.assert_allclose(np.asarray(mapped(A, B)), (A * B).sum(axis=1), rtol=1e-6)
    with pytest.raises(ValueError, match="pyfunc"):
        tf_ops.vectorize(3)


JIT_CASES = [
    ("add", (A, 2.5), {}),
    ("divide", (I, J), {}),
    ("mean", (T3,), {"axis": 1}),
    ("argmax", (A,), {"axis": 1}),
    ("argpartition", (DUP, 2), {}),
    ("take_along_axis", (A, np.array([[0, 2], [1, 1]])), {"axis": 1}),
    ("quantile", (A, 0.3), {}),
    ("unique", (DUP,), {"size": 6, "fill_value": -1}),
    ("where", (A > 0, A, B), {}),
    ("bincount", (DUP,), {"minlength": 6}),
    ("histogram", (V,), {}),
    ("cumsum", (BO,), {"axis": 0}),
    ("nanargmin", (NAN,), {"axis": 1}),
    ("select", ([A > 0.5], [A]), {}),
    ("get_item", (T3, (0, slice(1, None))), {}),
]


@pytest.mark.parametrize("name, args, kwargs", JIT_CASES, ids=[c[0] for c in JIT_CASES])
def test_traced_in_tf_function_as_eagerly(name, args, kwargs):
    fn = getattr(tf_ops, name)
    arrays = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]

    def traced(*values):
        full = list(args)
        for i, v in zip(arrays, values):
            full[i] = v
        return fn(*full, **kwargs)

    eager = fn(*args, **kwargs)
    specs = [tf.TensorSpec(args[i].shape, args[i].dtype) for i in arrays]
    compiled = tf.function(traced, input_signature=specs)(*(args[i] for i in arrays))
    _compare(_numpy(compiled), _numpy(eager))


def test_data_dependent_shapes_need_size_in_tf_function():
    with pytest.raises(ValueError, match="size"):
        tf.function(lambda x: tf_ops.unique(x))(tf.constant(DUP))


@pytest.mark.parametrize(
    "name, args, kwargs, error, match",
    [
        ("where", (BO, A), {}, ValueError, "both should be `None`"),
        ("array_split", (A, 0), {}, ValueError, "positive integer"),
        ("array_split", (A, 1.5), {}, TypeError, "must be of type `int`"),
        ("rot90", (V,), {}, ValueError, "at least 2 dimensions"),
        ("rot90", (A,), {"axes": (0, 0)}, ValueError, "invalid axes"),
        ("fliplr", (V,), {}, ValueError, "2 or more dimensions"),
        ("searchsorted", (A, V), {}, ValueError, "1-D sorted sequences"),
        ("select", (BO, [A]), {}, ValueError, "must be lists"),
        ("vander", (A,), {}, ValueError, "1-dimensional"),
        ("vander", (V,), {"N": -1}, ValueError, "nonnegative"),
        ("meshgrid", (V,), {"indexing": "yx"}, ValueError, "indexing"),
        ("histogram", (V,), {"bins": 2.5}, TypeError, "bins"),
        ("histogram", (A,), {}, ValueError, "1-dimensional"),
        ("histogram", (V,), {"range": (1.0, 0.0)}, ValueError, "greater than the first"),
        ("correlate", (V, W), {"mode": "wide"}, ValueError, "`valid`, `same`, or `full`"),
        ("digitize", (V, S), {}, ValueError, "1D array"),
        ("ldexp", (A, B), {}, TypeError, "integer type"),
        ("fabs", (np.ones(2, "complex64"),), {}, TypeError, "complex"),
        ("argpartition", (A, 1.0), {}, ValueError, "kth must be an integer"),
        ("average", (A,), {"axis": 0, "weights": V}, ValueError, "weights"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isidentifier() else None,
)
def test_bad_arguments_raise_as_on_torch(name, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        getattr(torch_ops, name)(*args, **kwargs)
    with pytest.raises(error, match=match):
        getattr(tf_ops, name)(*args, **kwargs)


def test_bad_arguments_torch_lets_pass():
    # torch's select zips lists of different lengths, and its pad ignores the value of a
    # non-constant mode; TensorFlow says what is wrong, as Keras's JAX backend does.
    with pytest.raises(ValueError, match="same length"):
        tf_ops.select([BO], [A, B])
    with pytest.raises(ValueError, match="constant_values"):
        tf_ops.pad(A, ((1, 1), (1, 1)), mode="edge", constant_values=1)


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SCALARS = [2, 2.5, True]


def _typed(dtype):
    return np.array([[1, 2, 3], [0, 1, 2]]).astype(dtype)


@pytest.mark.parametrize(
    "name",
    [
        "add", "subtract", "multiply", "divide", "divide_no_nan", "power", "maximum", "mod",
        "floor_divide", "arctan2", "logaddexp", "nextafter", "hypot", "heaviside", "outer",
        "kron", "inner", "append", "bitwise_and", "left_shift", "right_shift", "gcd", "fmax",
        "equal", "logical_xor", "isclose",
    ],
)  # fmt: skip
def test_binary_dtype_promotion_matches_torch(name):
    # Every pair of dtypes, and each dtype against Python numbers on either side: the result
    # dtype (64-bit narrowed) and values of torch wherever torch computes the pair.
    pairs = [(_typed(a), _typed(b)) for a in DTYPES for b in DTYPES]
    pairs += [(_typed(d), s) for d in DTYPES for s in SCALARS]
    pairs += [(s, _typed(d)) for d in DTYPES for s in SCALARS]
    checked = 0
    for x1, x2 in pairs:
        try:
            theirs = _numpy(getattr(torch_ops, name)(x1, x2))
        except (RuntimeError, TypeError, NotImplementedError):
            continue  # a pair torch has no kernel for
        label = f"{name}({getattr(x1, 'dtype', x1)!r}, {getattr(x2, 'dtype', x2)!r})"
        _compare(_numpy(getattr(tf_ops, name)(x1, x2)), theirs, label)
        checked += 1
    assert checked > len(pairs) // 3


@pytest.mark.parametrize(
    "name, call",
    [
        ("clip", lambda ops, x: ops.clip(x, 0.5, 1.5)),
        ("clip", lambda ops, x: ops.clip(x, 1, 2)),
        ("where", lambda ops, x: ops.where(BO, x, 2.5)),
        ("where", lambda ops, x: ops.where(BO, 1, x)),
        ("select", lambda ops, x: ops.select([BO], [x])),
        ("einsum", lambda ops, x: ops.einsum("ij->i", x)),
        ("trace", lambda ops, x: ops.trace(x[:, :2])),
        ("cumsum", lambda ops, x: ops.cumsum(x, axis=1)),
        ("prod", lambda ops, x: ops.prod(x)),
        ("mean", lambda ops, x: ops.mean(x, axis=0)),
        ("quantile", lambda ops, x: ops.quantile(x, 0.5)),
        ("concatenate", lambda ops, x: ops.concatenate([x, I])),
        ("full_like", lambda ops, x: ops.full_like(x, 1.5)),
        ("floor", lambda ops, x: ops.floor(x)),
        ("sqrt", lambda ops, x: ops.sqrt(x)),
        ("nansum", lambda ops, x: ops.nansum(x)),
    ],
)
def test_unary_dtype_rules_match_torch(name, call):
    for dtype in DTYPES:
        x = _typed(dtype)
        try:
            theirs = _numpy(call(torch_ops, x))
        except (RuntimeError, TypeError, NotImplementedError):
            continue
        _compare(_numpy(call(tf_ops, x)), theirs, f"{name}({dtype})")


# ---- the math and linalg families ---------------------------------------------------------


from cornu.backend.tensorflow import linalg as tf_linalg  # noqa: E402
from cornu.backend.tensorflow import math as tf_math  # noqa: E402
from cornu.backend.torch import linalg as torch_linalg  # noqa: E402
from cornu.backend.torch import math as torch_math  # noqa: E402

M34 = RNG.standard_normal((3, 4)).astype("float32")
SPD = (S @ S.T + 3 * np.eye(3)).astype("float32")
B3 = RNG.standard_normal((2, 3, 3)).astype("float32")
IDS = np.array([0, 0, 2, 1, 5, -1], "int32")
ROWS = RNG.standard_normal((6, 2)).astype("float32")
LOWER = np.linalg.cholesky(SPD).astype("float32")

MATH_CASES = [
    ("top_k", (M34, 2), {}),
    ("in_top_k", (np.array([0, 1, 2]), M34, 2), {}),
    ("logsumexp", (M34,), {}),
    ("logsumexp", (M34, 1), {"keepdims": True}),
    ("logsumexp", (I,), {}),
    ("erf", (M34,), {}),
    ("erfc", (I,), {}),
    ("erfinv", (U,), {}),
    ("qr", (M34,), {}),
    ("qr", (M34, "complete"), {}),
    ("segment_sum", (ROWS, IDS), {}),
    ("segment_sum", (ROWS, IDS, 4), {}),
    ("segment_max", (ROWS, IDS), {}),
    ("segment_min", (ROWS, IDS, 7), {}),
    ("segment_prod", (ROWS, IDS), {}),
    ("segment_max", (DUP, IDS, 7), {}),
    ("cdist", (M34, M34[:2]), {}),
    ("logdet", (SPD,), {}),
    ("logdet", (-SPD,), {}),
    ("view_as_complex", (np.array([[1.0, 2.0], [3.0, -1.0]], "float32"),), {}),
    ("view_as_real", (C,), {}),
]
LINALG_CASES = [
    ("cholesky", (SPD,), {}),
    ("cholesky", (SPD,), {"upper": True}),
    ("cholesky_inverse", (LOWER,), {}),
    ("cholesky_inverse", (LOWER.T.copy(),), {"upper": True}),
    ("det", (B3,), {}),
    ("inv", (B3,), {}),
    ("lu_factor", (S,), {}),
    ("lu_factor", (B3,), {}),
    ("norm", (M34,), {}),
    ("norm", (M34, 1), {}),
    ("norm", (M34, "fro"), {}),
    ("norm", (M34, "nuc"), {}),
    ("norm", (M34, np.inf), {}),
    ("norm", (M34, -1), {}),
    ("norm", (M34, 2), {}),
    ("norm", (M34, -2), {}),
    ("norm", (B3,), {"axis": (1, 2), "keepdims": True}),
    ("norm", (B3, 3), {"axis": -1}),
    ("norm", (B3, 0), {"axis": 1}),
    ("norm", (B3,), {"keepdims": True}),
    ("norm", (I,), {}),
    ("solve", (B3, B3[0, 0]), {}),
    ("solve", (S, B3), {}),
    ("solve", (SPD, M34), {}),
    ("solve_triangular", (np.triu(S), M34), {}),
    ("solve_triangular", (np.tril(S), M34[:, 0]), {"lower": True}),
    ("svd", (M34,), {"compute_uv": False}),
    ("lstsq", (M34.T, M34[0]), {}),
    ("lstsq", (M34.T, M34.T), {"rcond": 0.1}),
    ("matrix_rank", (M34,), {}),
    ("matrix_rank", (np.ones((3, 3), "float32"),), {}),
    ("matrix_rank", (M34,), {"tol": 1.5}),
    ("pinv", (M34,), {}),
    ("pinv", (M34,), {"rcond": 0.5}),
]


def _tolerant(ours, theirs, where):
    # Decompositions go through different LAPACK routines: float32 agreement, not bitwise.
    if isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), f"{where}: structure"
        for a, b in zip(ours, theirs):
            _tolerant(a, b, where)
        return
    (ours, ours_dtype), (theirs, theirs_dtype) = ours, theirs
    assert ours_dtype == theirs_dtype, f"{where}: dtype {ours_dtype} != {theirs_dtype}"
    assert ours.shape == theirs.shape, f"{where}: shape {ours.shape} != {theirs.shape}"
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4, err_msg=where)


@pytest.mark.parametrize(
    "family, name, args, kwargs",
    [("math",) + c for c in MATH_CASES] + [("linalg",) + c for c in LINALG_CASES],
    ids=[f"math.{c[0]}" for c in MATH_CASES] + [f"linalg.{c[0]}" for c in LINALG_CASES],
)
def test_math_and_linalg_match_torch_backend(family, name, args, kwargs):
    ours_module, theirs_module = {
        "math": (tf_math, torch_math),
        "linalg": (tf_linalg, torch_linalg),
    }[family]
    theirs = _numpy(getattr(theirs_module, name)(*args, **kwargs))
    _tolerant(_numpy(getattr(ours_module, name)(*args, **kwargs)), theirs, name)


def test_every_math_and_linalg_function_is_checked():
    checked = {c[0] for c in MATH_CASES} | {"fft", "fft2", "ifft2", "rfft", "irfft", "stft"}
    checked |= {"istft", "extract_sequences"}  # the signal ops: tests/backend/test_tensorflow_nn
    assert sorted(set(contract.FAMILIES["math"]) - checked) == []
    checked = {c[0] for c in LINALG_CASES} | {"eig", "eigh", "svd", "qr", "jvp"}
    assert sorted(set(contract.FAMILIES["linalg"]) - checked) == []


def test_eigen_decompositions_reconstruct_the_matrix():
    # Eigenvectors are defined up to a sign (a phase): checked by A v = v w.
    w, v = (np.asarray(t) for t in tf_linalg.eigh(SPD))
    np.testing.assert_allclose(SPD @ v, v * w, atol=1e-4)
    assert np.all(np.diff(w) >= 0)
    w, v = tf_linalg.eig(S)
    assert standardize_dtype(w.dtype) == "complex64"
    w, v = np.asarray(w), np.asarray(v)
    np.testing.assert_allclose(S.astype("complex64") @ v, v * w, atol=1e-4)
    u, s, vh = (np.asarray(t) for t in tf_linalg.svd(M34, full_matrices=False))
    np.testing.assert_allclose((u * s) @ vh, M34, atol=1e-5)
    assert tuple(tf_linalg.svd(M34)[2].shape) == (4, 4)


def test_jvp_is_the_directional_derivative():
    x, t = np.array([1.0, 2.0], "float32"), np.array([1.0, 0.5], "float32")
    out, tangent = tf_linalg.jvp(lambda v: v * v, (x,), (t,))
    np.testing.assert_allclose(np.asarray(out), x * x)
    np.testing.assert_allclose(np.asarray(tangent), 2 * x * t)
    out, tangent, aux = tf_linalg.jvp(lambda v: (tf_ops.sum(v * v), "aux"), (x,), (t,), True)
    assert aux == "aux" and float(tangent) == pytest.approx(float(np.sum(2 * x * t)))
    with pytest.raises(ValueError, match="as many"):
        tf_linalg.jvp(lambda v: v, (x,), ())


def test_math_and_linalg_trace_in_tf_function():
    segments = tf.function(lambda d, i: tf_math.segment_sum(d, i))(ROWS, IDS)
    np.testing.assert_allclose(np.asarray(segments), np.asarray(torch_math.segment_sum(ROWS, IDS)))
    lu, pivots = tf.function(tf_linalg.lu_factor)(B3)
    theirs_lu, theirs_pivots = torch_linalg.lu_factor(B3)
    np.testing.assert_allclose(np.asarray(lu), theirs_lu.numpy(), atol=1e-5)
    np.testing.assert_array_equal(np.asarray(pivots), theirs_pivots.numpy())
    norm = tf.function(lambda x: tf_linalg.norm(x, "nuc"))(M34)
    assert float(norm) == pytest.approx(float(torch_linalg.norm(M34, "nuc")), rel=1e-5)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda m: m.cholesky(-np.eye(3, dtype="float32")), ValueError, "Cholesky"),
        (lambda m: m.det(M34), ValueError, "square"),
        (lambda m: m.inv(V), ValueError, "rank >= 2"),
        (lambda m: m.solve(S, np.ones(4, "float32")), ValueError, "shape"),
        (lambda m: m.norm(M34, "bad"), ValueError, "ord"),
        (lambda m: m.norm(V, "fro"), ValueError, "vector norm"),
        (lambda m: m.lstsq(B3, V), ValueError, "rank 2"),
        (lambda m: m.jvp(3, (V,), (V,)), TypeError, "callable"),
    ],
)
def test_linalg_bad_arguments_raise_as_on_torch(call, error, match):
    with pytest.raises(error, match=match):
        call(torch_linalg)
    with pytest.raises(error, match=match):
        call(tf_linalg)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda m: m.segment_max(ROWS, IDS[None]), "1-D"),
        (lambda m: m.segment_max(ROWS, IDS[:3]), "leading dimension"),
        (lambda m: m.cdist(V, V), "rank >= 2"),
        (lambda m: m.view_as_complex(M34), "size 2"),
        (lambda m: m.view_as_real(M34), "complex"),
        (lambda m: m.qr(M34, "full"), "mode"),
    ],
)
def test_math_bad_arguments_raise_as_on_torch(call, match):
    with pytest.raises(ValueError, match=match):
        call(torch_math)
    with pytest.raises(ValueError, match=match):
        call(tf_math)


UNKNOWN_BATCH_CASES = [
    ("take_along_axis", (T3, np.zeros((2, 1, 4), "int64")), {"axis": 1}),
    ("split", (T3, 2), {"axis": 0}),
    ("split", (T3, 2), {"axis": 2}),
    ("pad", (T3, ((0, 0), (1, 1), (2, 0))), {}),
    ("concatenate", ([T3, T3],), {"axis": -1}),
    ("quantile", (T3, 0.5), {"axis": 1, "keepdims": True}),
    ("median", (T3,), {"axis": -1}),
    ("nanmean", (T3,), {"axis": 0}),
    ("expand_dims", (T3, (0, 2)), {}),
    ("tril", (T3,), {}),
    ("matmul", (T3, np.ones((4, 2), "float32")), {}),
    ("einsum", ("bij,jk->bik", T3, T3[0].T), {}),
    ("argmax", (T3,), {"axis": -1, "keepdims": True}),
    ("cumsum", (T3,), {"axis": 0}),
    ("repeat", (T3, 2), {"axis": 1}),
    ("tile", (T3, (1, 2, 1)), {}),
    ("diff", (T3,), {"axis": 0}),
    ("trace", (T3,), {"axis1": 1, "axis2": 2}),
    ("take", (T3, np.array([0, 2])), {"axis": 2}),
]


@pytest.mark.parametrize(
    "name, args, kwargs", UNKNOWN_BATCH_CASES, ids=[c[0] for c in UNKNOWN_BATCH_CASES]
)
def test_traced_with_an_unknown_batch_size(name, args, kwargs):
    # Symbolic shape inference traces ops on specs whose batch size is None.
    fn = getattr(tf_ops, name)
    position = 1 if isinstance(args[0], str) else 0
    first = args[position][0] if isinstance(args[position], list) else args[position]

    def traced(value):
        full = list(args)
        full[position] = [value, value] if isinstance(args[position], list) else value
        return fn(*full, **kwargs)

    spec = tf.TensorSpec((None,) + first.shape[1:], first.dtype)
    compiled = tf.function(traced, input_signature=[spec])
    _compare(_numpy(compiled(first)), _numpy(fn(*args, **kwargs)), name)


XLA_CASES = [
    ("mean", lambda t: tf_ops.mean(t, axis=1)),
    ("take_along_axis", lambda t: tf_ops.take_along_axis(t, tf_ops.argsort(t, 1), 1)),
    ("quantile", lambda t: tf_ops.quantile(t, 0.3, axis=0)),
    ("pad", lambda t: tf_ops.pad(t, ((1, 1), (0, 2)), mode="reflect")),
    ("get_item", lambda t: tf_ops.get_item(t, (slice(None), [0, 2]))),
    ("unique", lambda t: tf_ops.unique(tf_ops.round(t), True, True, True, True, size=4)),
    ("segment_sum", lambda t: tf_math.segment_sum(t, [0, 0, 1], 2)),
    ("norm", lambda t: tf_linalg.norm(t, axis=1)),
]


@pytest.mark.parametrize("name, fn", XLA_CASES, ids=[c[0] for c in XLA_CASES])
def test_compiles_with_xla_as_eagerly(name, fn):
    # ``jit_compile=True`` training steps run these under XLA, which refuses some TF ops.
    x = tf.constant(S * 2)
    _compare(_numpy(tf.function(fn, jit_compile=True)(x)), _numpy(fn(x)), name)
