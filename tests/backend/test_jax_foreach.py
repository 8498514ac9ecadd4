"""The JAX backend's foreach kernels: torch's ``_foreach_*`` results in torch's calling form;
in-place ops replace the items of a plain list and assign the variables behind a
``values(variables)`` view (recorded by a StatelessScope inside ``jax.jit``)."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
torch = pytest.importorskip("torch")

from cornu.backend.jax import foreach  # noqa: E402
from cornu.backend.jax.core import StatelessScope, Variable  # noqa: E402

RNG = np.random.default_rng(0)
SHAPES = [(3,), (2, 2), ()]


def _arrays(positive=False):
    arrays = [RNG.normal(size=s).astype("float32") for s in SHAPES]
    return [np.abs(a) + 0.5 for a in arrays] if positive else arrays


def _torch(arrays):
    return [torch.tensor(a) for a in arrays]


def _jax(arrays):
    return [jax.numpy.asarray(a) for a in arrays]


def _same(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert str(np.asarray(a).dtype) == str(b.numpy().dtype)
        np.testing.assert_allclose(np.asarray(a), b.numpy(), rtol=1e-6, atol=1e-6)


# (name, other arguments as a function of fresh arrays): each checked in place and not.
BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "clamp_min", "clamp_max"]
UNARY = ["sqrt", "neg", "abs", "sign"]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("other", ["list", "scalar", "scalars"])
def test_binary_ops_match_torch(name, other):
    a, b = _arrays(), _arrays(positive=True)
    if other == "list":
        ours_other, theirs_other = _jax(b), _torch(b)
    elif other == "scalar":
        ours_other = theirs_other = 0.75
    else:
        ours_other = theirs_other = [0.5, 2.0, -1.5]
    if name in ("maximum", "minimum") and other != "list":
        pytest.skip("torch's maximum/minimum take lists of tensors only")
    _same(
        getattr(foreach, name)(_jax(a), ours_other),
        getattr(torch, f"_foreach_{name}")(_torch(a), theirs_other),
    )
    ours, theirs = _jax(a), _torch(a)
    getattr(foreach, f"{name}_")(ours, ours_other)
    getattr(torch, f"_foreach_{name}_")(theirs, theirs_other)
    _same(ours, theirs)


def test_alpha_pow_and_ternary_ops_match_torch():
    a, b, c = _arrays(), _arrays(positive=True), _arrays(positive=True)
    _same(
        foreach.add(_jax(a), _jax(b), alpha=-2.0),
        torch._foreach_add(_torch(a), _torch(b), alpha=-2.0),
    )
    _same(foreach.pow(_jax(b), 1.5), torch._foreach_pow(_torch(b), 1.5))
    _same(foreach.pow(2.0, _jax(a)), torch._foreach_pow(2.0, _torch(a)))
    for name in ("addcmul", "addcdiv"):
        _same(
            getattr(foreach, name)(_jax(a), _jax(b), _jax(c), value=0.3),
            getattr(torch, f"_foreach_{name}")(_torch(a), _torch(b), _torch(c), value=0.3),
        )
        ours, theirs = _jax(a), _torch(a)
        getattr(foreach, f"{name}_")(ours, _jax(b), _jax(c), value=-1.0)
        getattr(torch, f"_foreach_{name}_")(theirs, _torch(b), _torch(c), value=-1.0)
        _same(ours, theirs)
    for name in ("pow_", "lerp_"):
        ours, theirs = _jax(b), _torch(b)
        args = (1.5,) if name == "pow_" else (_jax(c), 0.1)
        targs = (1.5,) if name == "pow_" else (_torch(c), 0.1)
        getattr(foreach, name)(ours, *args)
        getattr(torch, f"_foreach_{name}")(theirs, *targs)
        _same(ours, theirs)


@pytest.mark.parametrize("name", UNARY + ["reciprocal"])
def test_unary_ops_match_torch(name):
    a = _arrays(positive=name in ("sqrt", "reciprocal"))
    if name != "reciprocal":
        _same(getattr(foreach, name)(_jax(a)), getattr(torch, f"_foreach_{name}")(_torch(a)))
    ours, theirs = _jax(a), _torch(a)
    getattr(foreach, f"{name}_")(ours)
    getattr(torch, f"_foreach_{name}_")(theirs)
    _same(ours, theirs)


def test_copy_zero_norm_and_trust_ratios():
    a, b = _arrays(), _arrays()
    ours = _jax(a)
    foreach.copy_(ours, [x.astype("float64") for x in b])
    _same(ours, _torch(b))
    foreach.zero_(ours)
    _same(ours, [torch.zeros(s) for s in SHAPES])
    _same(foreach.norm(_jax(a)), torch._foreach_norm(_torch(a)))
    _same(foreach.norm(_jax(a), ord=1), torch._foreach_norm(_torch(a), ord=1))
    weights = _jax(a) + [jax.numpy.zeros(2)]
    updates = _jax(b) + [jax.numpy.ones(2)]
    ratios = foreach.trust_ratios(weights, updates)
    expected = [np.linalg.norm(w) / np.linalg.norm(u) for w, u in zip(a, b)] + [1.0]
    np.testing.assert_allclose([float(r) for r in ratios], expected, rtol=1e-6)


def test_inplace_ops_keep_dtypes_and_check_lengths():
    halves = [jax.numpy.ones(2, "float16")]
    foreach.mul_(halves, jax.numpy.float32(3.0))
    assert halves[0].dtype == "float16" and float(halves[0][0]) == 3.0
    assert foreach.mul(halves, [np.ones(2, "float32")])[0].dtype == "float16"
    with pytest.raises(ValueError, match="expected 1 operands, received 2"):
        foreach.add_(halves, [1.0, 2.0])


def test_values_is_a_view_that_assigns_its_variables():
    variables = [Variable(np.ones(3, "float32")), Variable(np.zeros((), "float32"))]
    view = foreach.values(variables)
    assert len(view) == 2 and view[1].shape == ()
    foreach.add_(view, 2.0)
    np.testing.assert_array_equal(variables[0].numpy(), [3, 3, 3])
    assert float(variables[1].numpy()) == 2.0
    variables[0].assign(np.full(3, 5.0, "float32"))
    np.testing.assert_array_equal(np.asarray(view[0]), [5, 5, 5])  # reads the current value
    foreach.lerp_(view, [np.zeros(3, "float32"), np.ones((), "float32")], 0.5)
    np.testing.assert_array_equal(variables[0].numpy(), [2.5, 2.5, 2.5])
    assert [v.shape for v in view[:1]] == [(3,)] and len(view + [1]) == 3


def test_view_updates_are_recorded_by_a_stateless_scope_under_jit():
    variables = [Variable(np.ones(2, "float32")), Variable(np.full(2, 2.0, "float32"))]
    view = foreach.values(variables)

    @jax.jit
    def step(values_in, grads):
        with StatelessScope(list(zip(variables, values_in))) as scope:
            foreach.addcmul_(view, grads, grads, value=-0.5)
            foreach.mul_(view, 2.0)
        return [scope.get_current_value(v) for v in variables]

    grads = [np.full(2, 2.0, "float32"), np.ones(2, "float32")]
    new = step([v.value for v in variables], grads)
    np.testing.assert_allclose(np.asarray(new[0]), [-2.0, -2.0])
    np.testing.assert_allclose(np.asarray(new[1]), [3.0, 3.0])
    np.testing.assert_array_equal(variables[0].numpy(), [1.0, 1.0])  # unchanged outside
