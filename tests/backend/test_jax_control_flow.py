"""The JAX backend's control flow on ``jax.lax``: the torch backend's results (values, dtypes,
structures and errors), also when compiled with ``jax.jit``; custom gradients under
``jax.grad``."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

from cornu.backend.jax import control_flow as jcf  # noqa: E402
from cornu.backend.torch import control_flow as tcf  # noqa: E402
from cornu.core import tree  # noqa: E402

RNG = np.random.default_rng(0)


def _numpy(structure):
    return tree.map_structure(
        lambda x: np.asarray(x.detach() if hasattr(x, "detach") else x), structure
    )


def _same(ours, theirs, atol=1e-6):
    ours, theirs = _numpy(ours), _numpy(theirs)
    assert tree.flatten(tree.map_structure(lambda x: 0, ours)) == tree.flatten(
        tree.map_structure(lambda x: 0, theirs)
    )
    for a, b in zip(tree.flatten(ours), tree.flatten(theirs)):
        assert a.dtype == b.dtype, f"{a.dtype} != {b.dtype}"
        np.testing.assert_allclose(a, b, atol=atol)


def _both(name, *args, jit=False, **kwargs):
    """Runs ``name`` on both backends (on jax also inside ``jax.jit`` when asked)."""
    theirs = getattr(tcf, name)(*args, **kwargs)
    ours = getattr(jcf, name)(*args, **kwargs)
    _same(ours, theirs)
    if jit:
        _same(jax.jit(lambda: getattr(jcf, name)(*args, **kwargs))(), theirs)
    return _numpy(ours)


def _cumsum(carry, x):
    carry = carry + x
    return carry, carry


@pytest.mark.parametrize("reverse", [False, True])
def test_scan(reverse):
    xs = RNG.normal(size=(5, 3)).astype("float32")
    carry, ys = _both("scan", _cumsum, np.zeros(3, "float32"), xs, reverse=reverse, jit=True)
    expected = np.cumsum(xs[::-1] if reverse else xs, axis=0)
    np.testing.assert_allclose(ys, expected[::-1] if reverse else expected, atol=1e-5)


def test_scan_structures_length_and_no_ys():
    def step(carry, x):
        total, count = carry
        return (total + x["a"] * x["b"], count + 1), {"sum": total}

    xs = {"a": np.arange(4, dtype="float32"), "b": np.ones(4, "float32")}
    _both("scan", step, (np.float32(0.0), np.int32(0)), xs, jit=True)
    _both("scan", lambda c, x: (c + 1, c * 2), np.int32(0), None, length=4, jit=True)
    # Where Keras's JAX backend differs from its torch one (ys None, not zeros; an empty
    # scan stacks empty ys, not None), the JAX backend follows Keras's JAX backend.
    carry, ys = jcf.scan(lambda c, x: ((c[0] + x, c[1] * 2), None), (0.0, 1.0), np.ones(3))
    assert ys is None and [float(c) for c in carry] == [3.0, 8.0]
    carry, ys = jcf.scan(_cumsum, np.float32(2.0), np.zeros((0,), "float32"))
    assert float(carry) == 2.0 and ys.shape == (0,)
    _both("scan", _cumsum, np.zeros(2, "float32"), np.ones((4, 2), "float32"), unroll=2)


def test_scan_errors():
    with pytest.raises(TypeError, match="callable"):
        jcf.scan(None, 0.0, np.ones(3))
    with pytest.raises(ValueError, match="no `xs`.*no `length`"):
        jcf.scan(_cumsum, 0.0)
    with pytest.raises(ValueError, match="unroll"):
        jcf.scan(_cumsum, 0.0, np.ones(3), unroll=0)
    with pytest.raises(ValueError, match="leading axis of 3"):
        jcf.scan(_cumsum, 0.0, [np.ones(3), np.ones(2)])


def test_map():
    xs = RNG.normal(size=(4, 3)).astype("float32")
    _both("map", lambda x: (x * x).sum(), xs, jit=True)
    _both("map", lambda x: {"y": x[0] + x[1]}, (xs, xs))


@pytest.mark.parametrize("size", [1, 2, 5, 8])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan(size, reverse):
    x = RNG.normal(size=(size, 2)).astype("float32")
    result = _both("associative_scan", lambda a, b: a + b, x, reverse=reverse, jit=True)
    expected = np.cumsum(x[::-1], 0)[::-1] if reverse else np.cumsum(x, 0)
    np.testing.assert_allclose(result, expected, atol=1e-5)


def test_associative_scan_structures_axis_and_errors():
    def affine(a, b):
        return {"m": a["m"] * b["m"], "c": b["m"] * a["c"] + b["c"]}

    elems = {"m": RNG.uniform(size=(3, 7)).astype("float32"), "c": np.ones((3, 7), "float32")}
    _both("associative_scan", affine, elems, axis=1)
    with pytest.raises(ValueError, match="same size along axis 0"):
        jcf.associative_scan(lambda a, b: a, [np.ones(3), np.ones(4)])


def test_fori_loop():
    _both("fori_loop", 0, 5, lambda i, x: x * 2 + i, np.float32(1.0), jit=True)
    result = jcf.fori_loop(2, 4, lambda i, v: (v[0] + i, v[1] * i), (0, 1))
    assert [int(r) for r in result] == [5, 6] and result[0].dtype == "int32"
    # Traced bounds compile to one loop.
    looped = jax.jit(lambda n: jcf.fori_loop(0, n, lambda i, x: x + i, 0))(5)
    assert int(looped) == 10


def test_while_loop():
    result = _both(
        "while_loop",
        lambda i, x: i < 5,
        lambda i, x: (i + 1, x * 2.0),
        (np.int32(0), np.float32(1.0)),
        jit=True,
    )
    assert [float(r) for r in result] == [5, 32.0]
    single = _both("while_loop", lambda x: x < 100, lambda x: x * 3, np.int32(1), jit=True)
    assert single == 243
    capped = _both("while_loop", lambda x: True, lambda x: x + 1, 0, maximum_iterations=7, jit=True)
    assert capped == 7
    as_list = jcf.while_loop(lambda a, b: a < 3, lambda a, b: [a + 1, b - 1], [0, 0])
    assert isinstance(as_list, tuple) and [int(v) for v in as_list] == [3, -3]
    # A float16 result keeps a float32 carry; an int counter turned float is refused.
    kept = jcf.while_loop(lambda x: x < 4, lambda x: (x + 1.5).astype("float16"), np.float32(0.0))
    assert kept.dtype == "float32" and float(kept) == 4.5
    with pytest.raises(TypeError):
        jcf.while_loop(lambda x: x < 4, lambda x: x * 1.5, np.int32(1))
    with pytest.raises(ValueError, match="one boolean"):
        jcf.while_loop(lambda x: x < 3, lambda x: x + 1, np.zeros(2, "int32"))


def test_switch_clamps_the_index():
    branches = [lambda x: x + 1, lambda x: x * 10, lambda x: -x]
    x = np.float32(3.0)
    assert [float(_both("switch", i, branches, x)) for i in (-4, 0, 1, 2, 9)] == [4, 4, 30, -3, -3]
    traced = jax.jit(lambda i: jcf.switch(i, branches, x))
    assert [float(traced(i)) for i in (-1, 1, 5)] == [4.0, 30.0, -3.0]
    with pytest.raises(ValueError, match="at least one branch"):
        jcf.switch(0, [], x)


def test_vectorized_map():
    xs = RNG.normal(size=(4, 3, 2)).astype("float32")
    _both("vectorized_map", lambda x: x.T @ x, xs, jit=True)
    ours = jcf.vectorized_map(lambda p: p[0] * p[1], (xs, xs))
    np.testing.assert_allclose(np.asarray(ours), xs * xs, atol=1e-6)


def test_vectorized_map_runs_functions_vmap_cannot_batch():
    def f(x):
        return x * 2 if float(x.sum()) > 0 else -x

    xs = np.array([[1.0, 2.0], [-3.0, 1.0]], "float32")
    np.testing.assert_array_equal(np.asarray(jcf.vectorized_map(f, xs)), [[2, 4], [3, -1]])
    with pytest.raises(jax.errors.ConcretizationTypeError):
        jax.jit(lambda v: jcf.vectorized_map(f, v))(xs)


def test_custom_gradient_forms():
    @jcf.custom_gradient
    def log1pexp(x):
        e = jnp.exp(x)

        def grad(*args, upstream):
            return upstream * (1.0 - 1.0 / (1 + e))

        return jnp.log(1 + e), grad

    x = np.array([0.0, 100.0], "float32")
    np.testing.assert_allclose(jax.grad(lambda v: log1pexp(v).sum())(x), [0.5, 1.0])
    np.testing.assert_allclose(np.asarray(log1pexp(x)), [np.log(2.0), np.inf])

    @jcf.custom_gradient
    def clip_gradient(x):
        return x * 1.0, lambda upstream: jnp.clip(upstream, -0.1, 0.1)

    grad = jax.jit(jax.grad(lambda v: (clip_gradient(v) * 5.0).sum()))
    np.testing.assert_allclose(grad(np.array([1.0, 2.0], "float32")), [0.1, 0.1])

    @jcf.custom_gradient
    def product(x, y):
        def grad(upstream, variables=None):
            assert variables == []
            return (upstream * 2.0, upstream * 3.0), []

        return x * y, grad

    gx, gy = jax.grad(lambda a, b: product(a, b).sum(), argnums=(0, 1))(
        np.array([1.0, 2.0], "float32"), np.array([3.0, 4.0], "float32")
    )
    np.testing.assert_allclose(gx, [2.0, 2.0])
    np.testing.assert_allclose(gy, [3.0, 3.0])


def test_custom_gradient_errors():
    with pytest.raises(TypeError, match="callable"):
        jcf.custom_gradient(3)
    with pytest.raises(ValueError, match=r"must return `\(output, grad_fn\)`"):
        jcf.custom_gradient(lambda x: x * 2)(np.ones(2, "float32"))

    @jcf.custom_gradient
    def wrong_count(x, y):
        return x * y, lambda upstream: upstream

    with pytest.raises(ValueError, match="returned 1 gradients for 2 arguments"):
        jax.grad(lambda a: wrong_count(a, a).sum())(np.ones(2, "float32"))
