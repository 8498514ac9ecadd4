"""The TensorFlow backend's core: conversion dtypes, the Variable over ``tf.Variable``, the
stateless and symbolic scopes, shape inference, the structural ops, gradients, control flow and
the foreach kernels, compared with cornu on torch on the same inputs. The backend's modules are
imported directly, whichever backend the suite runs on."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
torch = pytest.importorskip("torch")

from cornu.backend.tensorflow import control_flow as tf_flow  # noqa: E402
from cornu.backend.tensorflow import core as tf_core  # noqa: E402
from cornu.backend.tensorflow import foreach as tf_foreach  # noqa: E402
from cornu.backend.tensorflow.gradients import value_and_gradients  # noqa: E402
from cornu.backend.tensorflow.layer import TensorflowLayer  # noqa: E402
from cornu.backend.torch import control_flow as torch_flow  # noqa: E402
from cornu.backend.torch import core as torch_core  # noqa: E402
from cornu.backend.torch import foreach as torch_foreach  # noqa: E402
from cornu.core.keras_tensor import KerasTensor  # noqa: E402


def _np(x):
    if isinstance(x, (list, tuple)):
        return [_np(v) for v in x]
    if isinstance(x, torch.Tensor):
        return x.detach().numpy()
    return tf_core.convert_to_numpy(x)


def _same(ours, theirs):
    ours, theirs = _np(ours), _np(theirs)
    if isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
        return
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "value, dtype",
    [
        (1.5, None),
        (3, None),
        (2**40, None),
        (True, None),
        ([1, 2], None),
        ([1, 2.5], None),
        ([[True, False]], None),
        (np.ones(2), None),
        (np.ones(2, "int8"), None),
        (np.ones(2, "uint16"), None),
        (1.7, "int32"),
        ([1, 2], "float16"),
        (np.ones(2), "bfloat16"),
    ],
)
def test_convert_to_tensor_gives_the_torch_backend_dtypes(value, dtype):
    ours = tf_core.convert_to_tensor(value, dtype)
    theirs = torch_core.convert_to_tensor(value, dtype)
    assert tf_core.standardize_tensor_dtype(ours) == torch_core.standardize_tensor_dtype(theirs)
    np.testing.assert_allclose(
        tf_core.convert_to_numpy(ours).astype("float64"),
        torch_core.convert_to_numpy(theirs).astype("float64"),
    )


def test_convert_to_tensor_takes_foreign_arrays_and_variables():
    t = torch.arange(3, dtype=torch.bfloat16)
    assert tf_core.convert_to_tensor(t).dtype == tf.bfloat16
    v = tf_core.Variable(np.arange(3, dtype="float32"))
    assert tf_core.convert_to_tensor([v, v]).shape == (2, 3)
    assert tf_core.cast(v, "int64").dtype == tf.int64


def test_convert_to_tensor_refuses_strings_and_symbols():
    with pytest.raises(TypeError, match="numeric data"):
        tf_core.convert_to_tensor(np.array(["a"]))
    with pytest.raises(TypeError, match="symbolic"):
        tf_core.convert_to_tensor(KerasTensor((2,)))
    with pytest.raises(ValueError, match="sparse"):
        tf_core.convert_to_tensor([1.0], sparse=True)


def test_variable_assigns_in_place_and_works_with_tf_ops():
    v = tf_core.Variable(np.ones((2, 3), "float32"), name="w")
    assert v.shape == (2, 3) and v.dtype == "float32"
    assert isinstance(v.value, tf.Tensor) and v.value.ndim == 2  # a read, not the tf.Variable
    assert float(tf.reduce_sum(v)) == 6.0  # the registered conversion
    np.testing.assert_allclose(_np(v + 1), np.full((2, 3), 2.0))
    snapshot = v.numpy()
    v.assign(np.zeros((2, 3)))
    v.assign_add(np.full((2, 3), 3.0))
    v.assign_sub(np.ones((2, 3)))
    np.testing.assert_allclose(v.numpy(), np.full((2, 3), 2.0))
    np.testing.assert_allclose(snapshot, np.ones((2, 3)))  # numpy() copied the value
    with pytest.raises(ValueError, match="shape"):
        v.assign(np.zeros(3))


def test_variable_assignment_is_traced_by_tf_function():
    v = tf_core.Variable(np.zeros(2, "float32"))

    @tf.function
    def step(x):
        v.assign_add(x)
        return v.value * 2

    step(tf.ones(2))
    out = step(tf.ones(2))
    np.testing.assert_allclose(v.numpy(), [2.0, 2.0])
    np.testing.assert_allclose(_np(out), [4.0, 4.0])


def test_stateless_scope_maps_and_collects_without_changing_variables():
    v = tf_core.Variable(np.ones(3, "float32"))
    w = tf_core.Variable(np.zeros(3, "float32"))
    with tf_core.StatelessScope([(v, np.full(3, 5.0, "float32"))]) as scope:
        assert tf_core.in_stateless_scope() and tf_core.get_stateless_scope() is scope
        np.testing.assert_allclose(_np(v.value), [5.0] * 3)
        v.assign(v.value + 1)
        w.assign(np.full(3, 7.0))
        np.testing.assert_allclose(_np(w.value), [7.0] * 3)
    assert not tf_core.in_stateless_scope()
    np.testing.assert_allclose(v.numpy(), [1.0] * 3)
    np.testing.assert_allclose(w.numpy(), [0.0] * 3)
    np.testing.assert_allclose(_np(scope.get_current_value(v)), [6.0] * 3)
    np.testing.assert_allclose(_np(scope.get_current_value(w)), [7.0] * 3)
    with pytest.raises(ValueError, match="shape"):
        tf_core.StatelessScope([(v, np.ones(4, "float32"))])


def test_symbolic_scope_skips_assignments():
    v = tf_core.Variable(np.ones(2, "float32"))
    with tf_core.SymbolicScope():
        assert tf_core.in_symbolic_run()
        v.assign(np.zeros(2))
    np.testing.assert_allclose(v.numpy(), [1.0, 1.0])


def test_compute_output_spec_keeps_unknown_sizes_and_skips_updates():
    v = tf_core.Variable(np.ones(3, "float32"))

    def fn(x, y):
        v.assign(v.value + 1)
        return {"out": tf.matmul(x, y) + v.value, "n": 4}

    spec = tf_core.compute_output_spec(fn, KerasTensor((None, 5)), KerasTensor((5, 3)))
    assert spec["out"].shape == (None, 3) and spec["out"].dtype == "float32"
    assert spec["n"] == 4
    np.testing.assert_allclose(v.numpy(), [1.0] * 3)


def test_compute_output_spec_runs_value_reading_functions_on_zeros():
    def fn(x):
        if tf.reduce_sum(x) > 0:
            return x[:1]
        return tf.cast(tf.concat([x, x], axis=1), "int64")

    spec = tf_core.compute_output_spec(fn, KerasTensor((None, 4)))
    assert spec.shape == (None, 8) and spec.dtype == "int64"

    def reads_numpy(x):
        scale = float(tf_core.convert_to_numpy(tf.reduce_sum(x)))
        return x[:, :2] * scale

    spec = tf_core.compute_output_spec(reads_numpy, KerasTensor((None, 4)))
    assert spec.shape == (None, 2) and spec.dtype == "float32"


def test_cond_runs_python_or_graph_branches():
    assert tf_core.cond(True, lambda: 1, lambda: 2) == 1

    @tf.function
    def pick(p):
        return tf_core.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))

    assert float(pick(tf.constant(False))) == 2.0


@pytest.mark.parametrize(
    "name, args",
    [
        ("scatter", ([[0], [2], [0]], np.array([1.0, 2.0, 3.0], "float32"), (4,))),
        ("scatter", ([[0, 1], [1, 0]], np.ones((2, 3), "float32"), (2, 2, 3))),
        ("scatter_update", (np.zeros((3, 2), "float32"), [[1], [0]], np.ones((2, 2), "float32"))),
        ("slice", (np.arange(12).reshape(3, 4), [1, 1], [2, 2])),
        ("slice_update", (np.arange(12).reshape(3, 4), [1, 2], np.zeros((2, 2), "int64"))),
        ("saturate_cast", (np.array([1e10, -1e10, 3.7, np.inf], "float32"), "int32")),
        ("saturate_cast", (np.array([300, -5, 7]), "uint8")),
        ("saturate_cast", (np.array([1e300, -3.5]), "float32")),
        ("saturate_cast", (np.array([-128, -1, 0, 5, 127], "int8"), "bool")),
        ("saturate_cast", (np.array([-0.5, 0.0, 0.25, 3.0], "float32"), "bool")),
    ],
)
def test_structural_ops_match_torch(name, args):
    def run(core):
        inputs = [core.convert_to_tensor(a) if isinstance(a, np.ndarray) else a for a in args]
        return getattr(core, name)(*inputs)

    _same(run(tf_core), run(torch_core))


def test_unstack_and_dynamic_slices():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    _same(tf_core.unstack(x, axis=1), torch_core.unstack(x, axis=1))
    with pytest.raises(ValueError, match="num=2"):
        tf_core.unstack(x, num=2, axis=1)
    start = tf.constant(2)
    np.testing.assert_array_equal(_np(tf_core.slice(x, [0, start, 1], [1, 1, 2])), x[:1, 2:3, 1:3])
    updated = tf_core.slice_update(x, [1, start, 0], np.ones((1, 1, 4), "float32"))
    expected = x.copy()
    expected[1, 2] = 1.0
    np.testing.assert_array_equal(_np(updated), expected)


def test_devices_and_gradient_helpers():
    assert tf_core.get_device() in ("cpu", "gpu")
    with tf_core.device_scope("cpu"):
        assert tf_core.get_device() == "cpu"
        assert "CPU" in tf_core.to_device(tf.ones(2)).device
    with pytest.raises(ValueError, match="device"):
        with tf_core.device_scope("tpu:7"):
            pass
    # A tensor's own device string (what an optimizer passes for a slot's placement).
    with tf_core.device_scope(tf.ones(1).device):
        assert tf_core.get_device() == "cpu"
    assert not tf_core.is_native_module(object())
    with pytest.raises(NotImplementedError, match="torch backend"):
        tf_core.module_parameters(object())
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf_core.stop_gradient(x) * x + tf_core.remat(tf.square)(x))
    np.testing.assert_allclose(_np(tape.gradient(y, x)), [3.0, 6.0])


def test_value_and_gradients_matches_torch():
    from cornu.backend.torch.gradients import value_and_gradients as torch_vg

    a = np.array([1.0, -2.0, 3.0], "float32")
    b = np.array([[0.5, 1.5]], "float32")

    def fn(backend_sum):
        return lambda x, y, unused: backend_sum(x * x) * backend_sum(y)

    ours = value_and_gradients(fn(tf.reduce_sum), [a, b, np.ones(2, "float32")])
    theirs = torch_vg(fn(torch.sum), [a, b, np.ones(2, "float32")])
    _same(ours[0], theirs[0])
    _same(ours[1], theirs[1])
    with pytest.raises(TypeError, match="floating-point"):
        value_and_gradients(tf.reduce_sum, [np.ones(2, "int32")])


def test_layer_half_converts_and_autocasts():
    class Half(TensorflowLayer):
        autocast = True

    layer = Half()
    layer._backend_init()
    layer._set_backend_dtype("float16")
    converted = layer._convert_input({"a": np.ones(2), "b": [3, tf.ones(2, "float64")]})
    assert converted["a"].dtype == tf.float16
    assert converted["b"][0].dtype == tf.int32 and converted["b"][1].dtype == tf.float16
    assert layer._convert_input(np.array(["s"])).dtype.kind == "U"
    assert Half._is_variable(tf_core.Variable(np.ones(1, "float32")))


XS = np.arange(12, dtype="float32").reshape(4, 3)


def _step(c, x):
    return c + x[0] + x[1], c * x


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.scan(_step, np.float32(1.0), XS),
        lambda m: m.scan(_step, np.float32(1.0), XS, reverse=True),
        lambda m: m.scan(lambda c, x: (c + 1, None), np.float32(0.0), length=3),
        lambda m: m.map(lambda x: x * 2, XS),
        lambda m: m.fori_loop(0, 5, lambda i, v: v + i, np.float32(0.0)),
        lambda m: m.while_loop(lambda a, b: a < 10, lambda a, b: (a + 1, b * 2), (0, 1.0)),
        lambda m: m.while_loop(lambda a: a < 10, lambda a: a + 3, 0, maximum_iterations=2),
        lambda m: m.switch(5, [lambda x: x + 1, lambda x: x - 1], np.float32(3.0)),
        lambda m: m.associative_scan(lambda a, b: a + b, np.arange(1, 8, dtype="float32")),
        lambda m: m.associative_scan(lambda a, b: a * b, XS + 1, reverse=True, axis=1),
    ],
)
def test_control_flow_matches_torch(call):
    _same(call(tf_flow), call(torch_flow))


def test_control_flow_inside_tf_function():
    @tf.function
    def run(xs, index):
        carry, ys = tf_flow.scan(_step, tf.constant(1.0), xs)
        count = tf_flow.while_loop(lambda a: a < 10, lambda a: a + 3, tf.constant(0))
        chosen = tf_flow.switch(index, [lambda: tf.constant(1.0), lambda: tf.constant(2.0)])
        return carry, ys, count, chosen

    carry, ys, count, chosen = run(tf.constant(XS), tf.constant(-4))
    ref_carry, ref_ys = torch_flow.scan(_step, np.float32(1.0), XS)
    _same(carry, ref_carry)
    _same(ys, ref_ys)
    assert int(count) == 12 and float(chosen) == 1.0
    out = tf_flow.vectorized_map(lambda row: tf.reduce_sum(row) * 2, XS)
    np.testing.assert_allclose(_np(out), XS.sum(axis=1) * 2)


def test_custom_gradient_replaces_the_gradient():
    @tf_flow.custom_gradient
    def scaled(x):
        def grad(upstream):
            return upstream * 0.5

        return x * 3, grad

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(scaled(x))
    np.testing.assert_allclose(_np(tape.gradient(y, x)), [0.5, 0.5])
    with pytest.raises(TypeError, match="callable"):
        tf_flow.custom_gradient(3)


def test_foreach_kernels_match_torch():
    a = [np.array([1.0, -2.0, 3.0], "float32"), np.array([[0.5, 4.0]], "float32")]
    b = [np.array([2.0, 2.0, 2.0], "float32"), np.array([[1.0, -1.0]], "float32")]

    def run(fe, conv):
        left, right = [conv(x) for x in a], [conv(x) for x in b]
        out = [
            fe.add(left, right, alpha=0.5),
            fe.mul(left, 3),
            fe.div(left, right),
            fe.pow(left, 2),
            fe.pow(2.0, left),
            fe.addcdiv(left, left, right, value=0.1),
            fe.norm(left),
            fe.norm(left, 1),
            fe.trust_ratios(left, right),
        ]
        inplace = [conv(x) for x in a]
        fe.lerp_(inplace, right, 0.25)
        fe.addcmul_(inplace, right, right, value=2)
        fe.clamp_max_(inplace, 5.0)
        return out + [inplace]

    _same(run(tf_foreach, tf_core.convert_to_tensor), run(torch_foreach, torch.tensor))
    v = tf_core.Variable(np.ones(3, "float32"))
    tf_foreach.add_(tf_foreach.values([v]), [np.ones(3, "float32")], alpha=2)
    np.testing.assert_allclose(v.numpy(), [3.0] * 3)
