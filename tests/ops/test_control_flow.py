"""Control flow (scan, map, associative_scan, loops, switch, vectorized_map, custom_gradient)
against keras.ops, with gradients where the op defines them."""

import numpy as np
import pytest
import torch  # gradients are taken with the engine's autograd

from cornu import ops

RNG = np.random.default_rng(0)


def _cumsum_step(carry, x):
    carry = carry + x
    return carry, carry


@pytest.mark.parametrize("reverse", [False, True])
def test_scan(oracle, reverse):
    xs = RNG.normal(size=(5, 3)).astype("float32")
    carry, ys = oracle.op(
        "scan", _cumsum_step, np.zeros(3, "float32"), xs, reverse=reverse, atol=1e-5
    )
    expected = np.cumsum(xs[::-1] if reverse else xs, axis=0)
    np.testing.assert_allclose(ys, expected[::-1] if reverse else expected, atol=1e-5)


def test_scan_with_structures_and_length(oracle):
    def step(carry, x):
        total, count = carry
        return (total + x["a"] * x["b"], count + 1), {"sum": total}

    def counter(carry, x):
        assert x is None
        return carry + 1, carry * 2

    oracle.op("scan", counter, np.int32(0), None, length=4)
    xs = {"a": np.arange(4, dtype="float32"), "b": np.ones(4, "float32")}
    init = (np.float32(0.0), np.int32(0))
    # Keras on tensorflow cannot run a step whose output is not shaped as its carry (these two
    # cases): the first is skipped there (tests/keras_differences.py).
    oracle.op("scan", step, init, xs)
    oracle.op("scan", lambda c, x: (c + x, None), np.float32(0.0), np.ones(3, "float32"))


def test_scan_checks_its_arguments():
    with pytest.raises(TypeError, match="callable"):
        ops.scan(None, 0.0, np.ones(3))
    with pytest.raises(ValueError, match="no `xs`.*no `length`"):
        ops.scan(_cumsum_step, 0.0)
    with pytest.raises(ValueError, match="unroll"):
        ops.scan(_cumsum_step, 0.0, np.ones(3), unroll=0)


def test_map(oracle):
    xs = RNG.normal(size=(4, 3)).astype("float32")
    oracle.op("map", lambda x: ops.sum(x * x), xs, atol=1e-6)
    oracle.op("map", lambda x: {"y": x[0] + x[1]}, (xs, xs))


@pytest.mark.parametrize("size", [1, 2, 5, 8])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan(oracle, size, reverse):
    x = RNG.normal(size=(size, 2)).astype("float32")
    result = oracle.op("associative_scan", ops.add, x, reverse=reverse, atol=1e-5)
    expected = np.cumsum(x[::-1], 0)[::-1] if reverse else np.cumsum(x, 0)
    np.testing.assert_allclose(result, expected, atol=1e-5)


def test_associative_scan_on_structures_and_another_axis(oracle):
    def affine(a, b):  # composition of x -> m x + c maps: the scan of a linear recurrence
        return {"m": a["m"] * b["m"], "c": b["m"] * a["c"] + b["c"]}

    elems = {"m": RNG.uniform(size=(3, 7)).astype("float32"), "c": np.ones((3, 7), "float32")}
    oracle.op("associative_scan", affine, elems, axis=1, atol=1e-5)
    oracle.op("associative_scan", ops.maximum, RNG.normal(size=(6,)).astype("float32"))


def test_associative_scan_checks_sizes():
    with pytest.raises(ValueError, match="same size along axis 0"):
        ops.associative_scan(lambda a, b: a, [np.ones(3), np.ones(4)])


def test_fori_loop(oracle):
    oracle.op("fori_loop", 0, 5, lambda i, x: x * 2 + i, np.float32(1.0))
    result = ops.fori_loop(2, 4, lambda i, v: (v[0] + i, v[1] * i), (0, 1))
    assert [int(ops.convert_to_numpy(r)) for r in result] == [5, 6]


def test_while_loop(oracle):
    result = oracle.op(
        "while_loop",
        lambda i, x: i < 5,
        lambda i, x: (i + 1, x * 2.0),
        (np.int32(0), np.float32(1.0)),
    )
    assert list(result) == [5, 32.0]
    single = oracle.op("while_loop", lambda x: x < 100, lambda x: x * 3, np.int32(1))
    assert single == 243
    capped = ops.while_loop(lambda x: True, lambda x: x + 1, 0, maximum_iterations=7)
    assert int(ops.convert_to_numpy(capped)) == 7


def test_switch_clamps_the_index(oracle):
    branches = [lambda x: x + 1, lambda x: x * 10, lambda x: -x]
    x = np.float32(3.0)
    assert [oracle.op("switch", i, branches, x) for i in (-4, 0, 1, 2, 9)] == [4, 4, 30, -3, -3]
    with pytest.raises(ValueError, match="at least one branch"):
        ops.switch(0, [], x)


# Keras batches the function with torch.vmap, which cannot run cornu's ops on another backend.
@pytest.mark.backends("torch")
def test_vectorized_map(oracle):
    xs = ops.convert_to_tensor(RNG.normal(size=(4, 3, 2)).astype("float32"))  # Keras: tensors
    oracle.op("vectorized_map", lambda x: ops.matmul(ops.transpose(x), x), xs, atol=1e-5)
    oracle.op("vectorized_map", lambda p: p[0] * p[1], (xs, xs), atol=1e-6)


def test_vectorized_map_runs_functions_vmap_cannot_batch():
    # Reading a value (a Python branch on it) cannot be batched: it runs slice by slice.
    def f(x):
        return x * 2 if float(ops.convert_to_numpy(ops.sum(x))) > 0 else -x

    xs = np.array([[1.0, 2.0], [-3.0, 1.0]], "float32")
    result = ops.convert_to_numpy(ops.vectorized_map(f, xs))
    np.testing.assert_array_equal(result, [[2.0, 4.0], [3.0, -1.0]])


def _gradient(fn, *args):
    tensors = [torch.tensor(np.asarray(a, "float32"), requires_grad=True) for a in args]
    ops.sum(fn(*tensors)).backward()
    return [ops.convert_to_numpy(t.grad) for t in tensors]


@pytest.mark.backends("torch")  # takes the gradient with torch's backward()
def test_custom_gradient_in_keras_torch_form():
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream):
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

        return ops.log(1 + e), grad

    x = np.array([0.0, 100.0], "float32")
    # Autograd would give nan at 100 (inf / inf); the custom gradient gives 1.
    np.testing.assert_allclose(_gradient(log1pexp, x)[0], [0.5, 1.0])
    np.testing.assert_allclose(ops.convert_to_numpy(log1pexp(x)), [np.log(2.0), np.inf])


@pytest.mark.backends("torch")  # takes the gradient with torch's backward()
def test_custom_gradient_in_jax_and_tensorflow_form():
    @ops.custom_gradient
    def clip_gradient(x):
        def grad(upstream):
            return ops.clip(upstream, -0.1, 0.1)

        return x * 1.0, grad

    np.testing.assert_allclose(
        _gradient(lambda x: clip_gradient(x) * 5.0, [1.0, 2.0])[0], [0.1, 0.1]
    )


@pytest.mark.backends("torch")  # takes the gradient with torch's backward()
def test_custom_gradient_with_several_arguments_and_variables():
    @ops.custom_gradient
    def product(x, y):
        def grad(upstream, variables=None):
            assert variables == []
            return (upstream * 2.0, upstream * 3.0), []

        return x * y, grad

    gx, gy = _gradient(product, [1.0, 2.0], [3.0, 4.0])
    np.testing.assert_allclose(gx, [2.0, 2.0])
    np.testing.assert_allclose(gy, [3.0, 3.0])


@pytest.mark.backends("torch")  # takes the gradient with torch's backward()
def test_custom_gradient_matches_keras(keras):
    def make(namespace):
        @namespace.custom_gradient
        def f(x):
            def grad(*args, upstream):
                return upstream * 3.0

            return x * x, grad

        return f

    x = torch.tensor([1.0, -2.0], requires_grad=True)
    make(keras.ops)(x).sum().backward()
    theirs = x.grad.clone()
    x.grad = None
    make(ops)(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), theirs.numpy())


def test_custom_gradient_needs_output_and_grad_fn():
    f = ops.custom_gradient(lambda x: x * 2)
    with pytest.raises(ValueError, match=r"must return `\(output, grad_fn\)`"):
        f(ops.convert_to_tensor(np.ones(2, "float32")))
