"""The JAX backend's ``numpy`` op family gives the values and dtypes of cornu on torch (which
follows Keras's dtype rules), with 64-bit results narrowed to 32 bits as jax's default mode
gives them. Both backends' modules are imported directly, whichever backend the suite runs on;
a few functions are also checked inside ``jax.jit``."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
torch = pytest.importorskip("torch")

from numpy_family_cases import (  # noqa: E402
    BO,
    CASES,
    DUP,
    NAN,
    T3,
    A,
    B,
    I,
    J,
    S,
    V,
    W,
)

from cornu.backend import contract  # noqa: E402
from cornu.backend.jax import numpy as jnp_ops  # noqa: E402
from cornu.backend.torch import numpy as torch_ops  # noqa: E402
from cornu.core.dtypes import standardize_dtype  # noqa: E402

_NARROW = {"float64": "float32", "int64": "int32", "uint64": "uint32", "complex128": "complex64"}


def _numpy(x):
    if isinstance(x, (list, tuple)):
        return [_numpy(v) for v in x]
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        name = str(x.dtype).removeprefix("torch.")
        return np.asarray(x.float() if name == "bfloat16" else x), name
    array = np.asarray(x.astype("float32") if x.dtype.name == "bfloat16" else x)
    return array, standardize_dtype(x.dtype)


# Where Keras's own JAX backend differs from Keras on torch, the JAX backend follows Keras on
# JAX: sums and products of unsigned integers accumulate in uint32 (torch has no uint32).
_UNSIGNED_SUMS = ("sum", "prod", "nansum", "nanprod", "trace")


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
    expected = _NARROW.get(theirs_dtype, theirs_dtype)
    if ours_dtype == "uint32" and where.split("(")[0].split("-")[0] in _UNSIGNED_SUMS:
        expected = "uint32"
    assert ours_dtype == expected, f"{where}: dtype"
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
    ours = getattr(jnp_ops, name)(*args, **kwargs)
    for leaf in jax.tree_util.tree_leaves(ours):
        assert isinstance(leaf, (jax.Array, bool, int, float)), type(leaf)
    # ``empty`` arrays hold whatever the memory held: only their shape and dtype count.
    _compare(_numpy(ours), theirs, name, values=not name.startswith("empty"))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_argpartition_partitions_as_on_torch(axis):
    # Ties may be ordered differently (torch's topk orders them as it likes): the partition,
    # the sorted bottom values and the dtype are what both backends promise.
    x, kth = np.array([[3, 1, 2, 3, 1, 5], [0, 7, 7, 2, 2, 1]], "int32"), 2
    x = x if axis else x.T
    ours = np.asarray(jnp_ops.argpartition(x, kth, axis=axis))
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


def test_what_jax_does_beyond_torch():
    # torch's pad has no "edge" mode and reflects only the last axes; its linspace takes axis 0
    # only; its repeat takes no array of counts with an axis. jax does them all, as NumPy does.
    np.testing.assert_array_equal(
        np.asarray(jnp_ops.repeat(A, np.array([1, 3]), axis=0)), np.repeat(A, [1, 3], axis=0)
    )
    np.testing.assert_array_equal(
        np.asarray(jnp_ops.pad(A, ((1, 1), (2, 1)), mode="symmetric")),
        np.pad(A, ((1, 1), (2, 1)), mode="symmetric"),
    )
    np.testing.assert_array_equal(
        np.asarray(jnp_ops.pad(I, ((0, 1), (1, 1)), mode="edge")),
        np.pad(I, ((0, 1), (1, 1)), mode="edge"),
    )
    np.testing.assert_array_equal(
        np.asarray(jnp_ops.pad(A, ((1, 1), (2, 1)), mode="reflect")),
        np.pad(A, ((1, 1), (2, 1)), mode="reflect"),
    )
    out = jnp_ops.linspace(np.array([0.0, 1.0]), 3.0, 4, axis=1)
    np.testing.assert_allclose(np.asarray(out), np.linspace([0.0, 1.0], 3.0, 4, axis=1), 1e-6)
    assert out.dtype == np.float32


def test_every_function_of_the_family_is_checked():
    checked = {case.values[0] for case in CASES}
    assert sorted(set(contract.FAMILIES["numpy"]) - checked - {"vectorize", "argpartition"}) == []


def test_vectorize_maps_over_leading_axes():
    def dot(a, b):
        return jnp_ops.sum(jnp_ops.multiply(a, b))

    mapped = jnp_ops.vectorize(dot, signature="(n),(n)->()")
    np.testing.assert_allclose(np.asarray(mapped(A, B)), (A * B).sum(axis=1), rtol=1e-6)
    with pytest.raises(ValueError, match="pyfunc"):
        jnp_ops.vectorize(3)


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
def test_traced_under_jit_as_eagerly(name, args, kwargs):
    fn = getattr(jnp_ops, name)
    arrays = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]

    def traced(*values):
        full = list(args)
        for i, v in zip(arrays, values):
            full[i] = v
        return fn(*full, **kwargs)

    eager = fn(*args, **kwargs)
    compiled = jax.jit(traced)(*(args[i] for i in arrays))
    _compare(_numpy(compiled), _numpy(eager))


def test_data_dependent_shapes_need_size_under_jit():
    with pytest.raises(ValueError, match="size"):
        jax.jit(lambda x: jnp_ops.unique(x))(DUP)


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
        getattr(jnp_ops, name)(*args, **kwargs)


def test_bad_arguments_torch_lets_pass():
    # torch's select zips lists of different lengths, and its pad ignores the value of a
    # non-constant mode; jax says what is wrong, as Keras's JAX backend does.
    with pytest.raises(ValueError, match="same length"):
        jnp_ops.select([BO], [A, B])
    with pytest.raises(ValueError, match="constant_values"):
        jnp_ops.pad(A, ((1, 1), (1, 1)), mode="edge", constant_values=1)


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
        _compare(_numpy(getattr(jnp_ops, name)(x1, x2)), theirs, label)
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
        _compare(_numpy(call(jnp_ops, x)), theirs, f"{name}({dtype})")
