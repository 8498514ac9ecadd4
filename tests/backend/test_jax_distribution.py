"""Data parallelism on JAX: a batch sharded over a mesh of two CPU devices in one process.

Each test runs its body in a fresh interpreter started with
``XLA_FLAGS=--xla_force_host_platform_device_count=2 CORNU_BACKEND=jax`` (the device count is
fixed when jax starts)."""

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("jax")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_on_two_devices(body):
    env = {
        **os.environ,
        "XLA_FLAGS": "--xla_force_host_platform_device_count=2",
        "CORNU_BACKEND": "jax",
        "JAX_PLATFORMS": "cpu",
        "PYTHONPATH": ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(body)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout


def test_one_process_over_local_devices():
    out = run_on_two_devices(
        """
        import jax, numpy as np
        from jax.sharding import PartitionSpec
        from cornu.backend.jax import distribution as d

        assert d.list_devices() == ["cpu:0", "cpu:1"], d.list_devices()
        assert d.list_devices("cpu") == ["cpu:0", "cpu:1"]
        assert d.list_devices("gpu") == []
        assert d.num_processes() == 1 and d.process_index() == 0
        assert d.is_initialized()
        x = np.arange(12.0, dtype="float32").reshape(4, 3)
        assert d.all_reduce_sum([x])[0] is x and d.all_gather_rows(x) is x
        assert d.shard_data_loader("loader", 0, 1) == "loader"

        mesh = d.data_parallel_mesh()
        batch = d.shard_batch({"x": x, "odd": x[:3]}, mesh)
        assert batch["x"].sharding.spec == PartitionSpec("batch")
        assert [s.data.shape for s in batch["x"].addressable_shards] == [(2, 3), (2, 3)]
        assert batch["odd"].sharding.spec == PartitionSpec()  # 3 rows do not split in 2
        state = d.replicate([np.ones((3, 2), "float32")], mesh)
        assert len(state[0].sharding.device_set) == 2 and state[0].sharding.is_fully_replicated

        # Inside jit the wrapper splits the computation by samples ...
        doubled = jax.jit(lambda v: d.MeshDataParallel(lambda u: u * 2, mesh)(v))(x)
        assert doubled.sharding.spec == PartitionSpec("batch"), doubled.sharding
        np.testing.assert_array_equal(doubled, x * 2)

        # ... and a gradient step through it equals the unsharded one.
        w = np.linspace(-1, 1, 6, dtype="float32").reshape(3, 2)

        @jax.jit
        def sharded_step(w, x):
            def loss(w):
                wrapper = d.MeshDataParallel(lambda inputs: inputs @ w, mesh)
                return (wrapper(x) ** 2).mean()

            return jax.value_and_grad(loss)(w)

        plain = jax.jit(jax.value_and_grad(lambda w, x: ((x @ w) ** 2).mean()))
        wrapper = d.MeshDataParallel(None, mesh)
        state, data = wrapper.place(w, x)
        (l1, g1), (l2, g2) = sharded_step(state, data), plain(w, x)
        np.testing.assert_allclose(l1, l2, rtol=1e-6)
        np.testing.assert_allclose(g1, g2, rtol=1e-6)
        print("ok")
        """
    )
    assert out.strip().endswith("ok")


def test_data_parallel_fit_matches_single_device():
    """``fit`` under ``DataParallel()`` splits each batch over the two devices and reaches the
    weights of the same run without a distribution."""
    out = run_on_two_devices(
        """
        import numpy as np
        import cornu
        from cornu import distribution
        from cornu.backend.jax.distribution import MeshDataParallel

        assert distribution.list_devices() == ["cpu:0", "cpu:1"]
        assert distribution.num_processes() == 1

        rng = np.random.default_rng(0)
        x = rng.normal(size=(64, 5)).astype("float32")
        y = rng.normal(size=(64, 2)).astype("float32")

        def train(parallel):
            cornu.utils.set_random_seed(1)
            model = cornu.Sequential(
                [cornu.Input((5,)), cornu.layers.Dense(8, activation="relu"),
                 cornu.layers.Dense(2)]
            )
            model.compile(optimizer="sgd", loss="mse")
            if parallel:
                with distribution.DataParallel().scope():
                    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
                assert isinstance(model._data_parallel_module, MeshDataParallel)
            else:
                history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
            return model.get_weights(), history.history["loss"]

        (w1, l1), (w2, l2) = train(True), train(False)
        for a, b in zip(w1, w2):
            np.testing.assert_allclose(a, b, atol=1e-5)
        np.testing.assert_allclose(l1, l2, rtol=1e-5)
        assert l1[1] < l1[0]
        print("ok")
        """
    )
    assert out.strip().endswith("ok")
