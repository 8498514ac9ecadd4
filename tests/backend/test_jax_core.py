"""The JAX backend's core: conversion and dtypes, the Variable and its scopes, shape inference,
the structural ops, gradients, the layer half and masks on traced tensors."""

import gc
import importlib
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = jax.numpy

from cornu.backend.jax import core, export, gradients  # noqa: E402
from cornu.backend.jax.layer import JaxLayer  # noqa: E402
from cornu.core import masking  # noqa: E402
from cornu.core.keras_tensor import KerasTensor  # noqa: E402


@pytest.mark.parametrize(
    "value, dtype",
    [
        (1, "int32"),
        (1.5, "float32"),
        (True, "bool"),
        ([1, 2.0], "float32"),
        ([[1, 2], [3, 4]], "int32"),
        (np.ones(2, "float64"), "float32"),
        (np.arange(3, dtype="int64"), "int32"),
        (np.ones(2, "float16"), "float16"),
        (np.ones(2, "uint8"), "uint8"),
    ],
)
def test_convert_to_tensor_gives_keras_dtypes(value, dtype):
    tensor = core.convert_to_tensor(value)
    assert core.is_tensor(tensor)
    assert core.standardize_tensor_dtype(tensor) == dtype
    np.testing.assert_array_equal(core.convert_to_numpy(tensor), np.asarray(value))


def test_convert_to_tensor_casts_and_keeps_arrays():
    x = jnp.ones(3)
    assert core.convert_to_tensor(x) is x
    assert core.cast(x, "int32").dtype == jnp.int32
    assert core.cast([1, 2], "float16").dtype == jnp.float16
    assert core.cast(x, "int64").dtype == jnp.int32  # x64 stays off, as in Keras
    assert core.cast(x, "bfloat16").dtype == jnp.bfloat16
    assert core.convert_to_numpy(core.cast(x, "bfloat16")).dtype == np.float32


def test_convert_to_tensor_takes_torch_tensors_and_variables():
    torch = pytest.importorskip("torch")
    tensor = core.convert_to_tensor(torch.arange(4.0))
    np.testing.assert_array_equal(np.asarray(tensor), [0, 1, 2, 3])
    variable = core.Variable(np.full((2,), 3.0), name="v")
    assert core.convert_to_tensor(variable) is variable.value
    assert core.convert_to_tensor([variable, variable]).shape == (2, 2)


def test_convert_to_tensor_refuses_strings_and_symbols():
    with pytest.raises(TypeError, match="numeric data"):
        core.convert_to_tensor(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="numeric data"):
        core.convert_to_tensor(["a", "b"])
    with pytest.raises(TypeError, match="symbolic"):
        core.convert_to_tensor(KerasTensor((2, 3)))
    with pytest.raises(ValueError, match="64-bit"):
        core.convert_to_tensor(2**40)
    with pytest.raises(ValueError, match="sparse"):
        core.convert_to_tensor([1.0], sparse=True)


def test_variable_assigns_and_computes():
    v = core.Variable(lambda shape, dtype: jnp.zeros(shape, dtype), shape=(3,), name="w")
    assert v.shape == (3,) and v.dtype == "float32"
    v.assign(np.array([1.0, 2.0, 3.0]))
    v.assign_add(1.0)
    v.assign_sub(np.ones(3))
    np.testing.assert_allclose(v.numpy(), [1, 2, 3])
    np.testing.assert_allclose(v + 1, [2, 3, 4])
    np.testing.assert_allclose(jnp.ones(3) * v, [1, 2, 3])
    np.testing.assert_allclose(jnp.sum(jnp.asarray(v)), 6)
    snapshot = v.numpy()
    v.assign(jnp.zeros(3))
    np.testing.assert_allclose(snapshot, [1, 2, 3])
    with pytest.raises(ValueError, match="shape"):
        v.assign(jnp.zeros(4))
    v._set_frozen(True)
    assert v._frozen


def test_stateless_scope_maps_and_collects_without_changing_variables():
    v = core.Variable(jnp.ones(2), name="v")
    with core.StatelessScope([(v, jnp.full(2, 5.0))]) as scope:
        assert core.in_stateless_scope() and core.get_stateless_scope() is scope
        np.testing.assert_allclose(v.value, [5, 5])
        v.assign_add(1.0)
        np.testing.assert_allclose(v.value, [6, 6])
        np.testing.assert_allclose(scope.get_current_value(v), [6, 6])
    assert not core.in_stateless_scope()
    np.testing.assert_allclose(v.value, [1, 1])
    with pytest.raises(ValueError, match="Variable instances"):
        core.StatelessScope([(jnp.ones(2), jnp.ones(2))])
    with pytest.raises(ValueError, match="should have shape"):
        core.StatelessScope([(v, jnp.ones(3))])


def test_stateless_scope_inside_jit_returns_traced_updates():
    v = core.Variable(jnp.ones(2), name="v")

    @jax.jit
    def step(value):
        with core.StatelessScope([(v, value)]) as scope:
            v.assign(v.value * 3.0)
        return scope.get_current_value(v)

    np.testing.assert_allclose(step(jnp.full(2, 2.0)), [6, 6])
    np.testing.assert_allclose(v.value, [1, 1])


def test_variable_created_inside_a_trace_holds_a_concrete_value():
    created = []

    @jax.jit
    def f(x):
        created.append(core.Variable(lambda shape, dtype: jnp.ones(shape, dtype), shape=(2,)))
        return x + 1

    f(jnp.zeros(2))
    assert not isinstance(created[0].value, jax.core.Tracer)
    np.testing.assert_allclose(created[0].numpy(), [1, 1])


def test_symbolic_scope_skips_assignments():
    v = core.Variable(jnp.zeros(2), name="v")
    with core.SymbolicScope():
        assert core.in_symbolic_run()
        v.assign(jnp.ones(2))
    np.testing.assert_allclose(v.value, [0, 0])


def test_compute_output_spec_marks_dims_that_follow_unknown_sizes():
    def fn(x, axis=1, scale=None):
        return {"sum": jnp.sum(x, axis=axis), "cast": x.astype("int32"), "none": None, "n": 3}

    spec = core.compute_output_spec(fn, KerasTensor((None, 4, 5)), axis=2)
    assert spec["sum"].shape == (None, 4) and spec["sum"].dtype == "float32"
    assert spec["cast"].shape == (None, 4, 5) and spec["cast"].dtype == "int32"
    assert spec["none"] is None and spec["n"] == 3
    fixed = core.compute_output_spec(lambda a, b: a @ b, KerasTensor((2, 3)), KerasTensor((3, 7)))
    assert fixed.shape == (2, 7)


def test_compute_output_spec_runs_value_dependent_functions_on_zeros():
    def fn(x):
        if float(jnp.sum(x)) > 1.0:  # reads a value: no abstract evaluation possible
            return x[:, :1]
        return x.astype("int32")

    spec = core.compute_output_spec(fn, KerasTensor((None, 3)))
    assert spec.shape == (None, 3) and spec.dtype == "int32"


def test_compute_output_spec_leaves_variables_unchanged():
    v = core.Variable(jnp.zeros(2), name="v")

    def fn(x):
        v.assign(jnp.ones(2))
        return x + v.value

    assert core.compute_output_spec(fn, KerasTensor((None, 2))).shape == (None, 2)
    np.testing.assert_allclose(v.value, [0, 0])


def test_scatter_adds_duplicates_and_scatter_update_replaces():
    out = core.scatter([[0, 1], [0, 1], [2, 0]], [1.0, 2.0, 3.0], (3, 2))
    np.testing.assert_allclose(out, [[0, 3], [0, 0], [3, 0]])
    rows = core.scatter([[1]], [[1.0, 2.0]], (2, 2))
    np.testing.assert_allclose(rows, [[0, 0], [1, 2]])
    updated = core.scatter_update(jnp.zeros((2, 2)), [[1, 1], [0, 0]], [5.0, 7.0])
    np.testing.assert_allclose(updated, [[7, 0], [0, 5]])
    with pytest.raises(ValueError, match="indices index 3 axes"):
        core.scatter([[0, 0, 0]], [1.0], (2, 2))


def test_slice_and_slice_update_with_static_and_traced_starts():
    x = jnp.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(core.slice(x, (1, 2), (2, 2)), [[6, 7], [10, 11]])
    traced = jax.jit(lambda s: core.slice(x, s, (2, 2)))(jnp.array([1, 2]))
    np.testing.assert_allclose(traced, [[6, 7], [10, 11]])
    out = core.slice_update(x, (0, 1), jnp.zeros((1, 2)))
    np.testing.assert_allclose(out[0], [0, 0, 0, 3])
    out = jax.jit(lambda s: core.slice_update(x, s, jnp.zeros((1, 2))))(jnp.array([2, 2]))
    np.testing.assert_allclose(out[2], [8, 9, 0, 0])


def test_unstack_and_saturate_cast():
    parts = core.unstack(jnp.arange(6).reshape(2, 3), axis=1)
    assert len(parts) == 3
    np.testing.assert_array_equal(parts[1], [1, 4])
    with pytest.raises(ValueError, match="num=2"):
        core.unstack(jnp.zeros((3, 2)), num=2)
    out = core.saturate_cast(jnp.array([-1.0, 300.0, jnp.inf, 7.6]), "uint8")
    np.testing.assert_array_equal(out, [0, 255, 255, 7])
    assert out.dtype == jnp.uint8
    np.testing.assert_array_equal(core.saturate_cast(jnp.array([-5, 5]), "uint8"), [0, 5])


def test_cond_stop_gradient_and_remat():
    assert core.cond(True, lambda: 1, lambda: 2) == 1
    traced = jax.jit(lambda p: core.cond(p > 0, lambda: jnp.ones(()), lambda: jnp.zeros(())))
    assert float(traced(1.0)) == 1.0 and float(traced(-1.0)) == 0.0
    assert float(jax.grad(lambda x: core.stop_gradient(x) * x)(3.0)) == 3.0
    assert float(jax.grad(core.remat(lambda x: jnp.sin(x) * x))(0.0)) == 0.0
    with core.no_grad():
        pass


def test_devices():
    assert core.get_device() == "cpu"
    with core.device_scope("cpu:0"):
        assert core.get_device() == "cpu"
        assert core.to_device(jnp.ones(2)).shape == (2,)
    with pytest.raises(ValueError, match="device"):
        with core.device_scope("tpu:7"):
            pass
    assert core.is_native_module(object()) is False
    with pytest.raises(NotImplementedError, match="torch"):
        core.module_parameters(object())


def test_value_and_gradients_matches_the_torch_semantics():
    value, grads = gradients.value_and_gradients(
        lambda a, b: jnp.sum(a**2) + 0.0 * jnp.sum(a), [np.array([1.0, 2.0]), np.ones(3)]
    )
    assert float(value) == 5.0
    np.testing.assert_allclose(grads[0], [2, 4])
    np.testing.assert_allclose(grads[1], [0, 0, 0])
    value, grads = gradients.value_and_gradients(lambda a: a * 2.0, [np.ones(2)])
    assert float(value) == 4.0
    with pytest.raises(TypeError, match="floating-point"):
        gradients.value_and_gradients(lambda a: a, [np.arange(3)])


def test_exports_name_the_torch_backend():
    with pytest.raises(NotImplementedError, match="torch"):
        export.export_onnx(None, "m.onnx", [])
    with pytest.raises(NotImplementedError, match="torch"):
        export.export_program(None, "m.pt2", [])


class _Half(JaxLayer):
    autocast = True

    def call(self, x):
        return x


def test_layer_half_converts_and_autocasts():
    layer = _Half()
    layer._backend_init()
    layer._set_backend_dtype("float16")
    assert layer._convert_input(np.ones(2)).dtype == jnp.float16
    assert layer._convert_input(jnp.ones(2, "bfloat16")).dtype == jnp.float16
    assert layer._convert_input(np.arange(2)).dtype == jnp.int32
    strings = np.array(["a"])
    assert layer._convert_input(strings) is strings
    v = core.Variable(jnp.ones(2), name="v")
    assert layer._convert_input({"a": [v]})["a"][0] is v.value
    layer.autocast = False
    assert layer._convert_input(jnp.ones(2)).dtype == jnp.float32
    sub = _Half()
    layer._register_sublayer("0", sub)
    assert layer._modules == {"0": sub}
    layer._unregister_sublayer(sub)
    assert layer._modules == {}
    assert JaxLayer._is_variable(v) and not JaxLayer._is_variable(v.value)


def test_masks_attach_to_arrays_and_to_tracers_inside_jit():
    x = jnp.ones(3)
    masking.set_keras_mask(x, "m")
    assert masking.get_keras_mask(x) == "m"
    seen = []

    @jax.jit
    def f(a):
        b = a * 2
        masking.set_keras_mask(b, a > 0)
        seen.append(masking.get_keras_mask(b))
        assert masking.get_keras_mask(a) is None
        masking.set_keras_mask(b, None)
        seen.append(masking.get_keras_mask(b))
        masking.set_keras_mask(b, a > 1)
        return b

    f(jnp.ones(3))
    assert isinstance(seen[0], jax.core.Tracer) and seen[1] is None
    gc.collect()
    assert not masking._SIDE_TABLE  # dropped with the tracers
    with pytest.raises(TypeError, match="mask"):
        masking.set_keras_mask(3, "m")


def test_missing_jax_names_the_extra(monkeypatch):
    import cornu.backend as selected

    monkeypatch.setitem(sys.modules, "jax", None)
    for name in [m for m in sys.modules if m.startswith("cornu.backend.jax")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError, match=r'pip install "cornu\[jax\]"'):
        selected._import_backend("jax")
    importlib.invalidate_caches()


@pytest.mark.backends("jax")
def test_masks_reach_the_loss_inside_a_jitted_step():
    import cornu

    def make():
        return cornu.Sequential(
            [
                cornu.Input((5,), dtype="int32"),
                cornu.layers.Embedding(10, 4, mask_zero=True),
                cornu.layers.LSTM(3, return_sequences=True),
                cornu.layers.Dense(1),
            ]
        )

    x = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0]] * 2)
    y = np.ones((4, 5, 1), "float32")
    compiled, eager = make(), make()
    eager.set_weights(compiled.get_weights())
    compiled.compile("sgd", "mse", jit_compile=True)
    eager.compile("sgd", "mse", jit_compile=False)
    predictions = compiled.predict(x, verbose=0)
    mask = (x > 0)[..., None]
    expected = float(((predictions - 1) ** 2 * mask).sum() / mask.sum())
    assert abs(compiled.evaluate(x, y, verbose=0) - expected) < 1e-5
    assert abs(eager.evaluate(x, y, verbose=0) - expected) < 1e-5
