"""The JAX training step: fit on JAX gives cornu-on-torch's weights, jit_compile=False gives
jit_compile=True's, Dropout draws a new mask each compiled step, and the step is traced once."""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import cornu
from cornu import layers, optimizers

jax = pytest.importorskip("jax")

pytestmark = pytest.mark.backends("jax")

_HERE = pathlib.Path(__file__).resolve()
_ROOT = _HERE.parents[2]


def _mlp(regularized=True):
    regularizer = "l2" if regularized else None
    return cornu.Sequential(
        [
            layers.Input((8,)),
            layers.Dense(16, activation="relu", kernel_regularizer=regularizer),
            layers.Dense(3, activation="softmax"),
        ]
    )


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = rng.integers(0, 3, size=(64,)).astype("int32")
    sample_weight = rng.uniform(0.5, 1.5, size=(64,)).astype("float32")
    return x, y, sample_weight


def _fit(optimizer_config, weights, jit_compile=True):
    """Fits the MLP from `weights` for 2 epochs; returns the final weights and the losses."""
    model = _mlp()
    model.set_weights(weights)
    model.compile(
        optimizer=optimizers.deserialize(optimizer_config),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,
    )
    x, y, sample_weight = _data()
    history = model.fit(
        x, y, sample_weight=sample_weight, batch_size=16, epochs=2, shuffle=False, verbose=0
    )
    return model.get_weights(), history.history["loss"]


def _fit_on_torch(tmp_path, optimizer_config, weights):
    """`_fit` run by cornu on torch, in a subprocess (the backend is chosen at import)."""
    np.savez(tmp_path / "initial.npz", *weights)
    (tmp_path / "optimizer.json").write_text(json.dumps(optimizer_config))
    script = (
        "import importlib.util, json, sys\n"
        "import numpy as np\n"
        f"spec = importlib.util.spec_from_file_location('t', {str(_HERE)!r})\n"
        "t = importlib.util.module_from_spec(spec); spec.loader.exec_module(t)\n"
        f"d = pathlib_path = {str(tmp_path)!r}\n"
        "w = np.load(d + '/initial.npz'); w = [w[f'arr_{i}'] for i in range(len(w.files))]\n"
        "config = json.load(open(d + '/optimizer.json'))\n"
        "weights, losses = t._fit(config, w)\n"
        "np.savez(d + '/final.npz', *weights, losses=np.array(losses))\n"
    )
    env = dict(os.environ, CORNU_BACKEND="torch")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    final = np.load(tmp_path / "final.npz")
    return [final[f"arr_{i}"] for i in range(len(weights))], list(final["losses"])


@pytest.mark.parametrize(
    "optimizer",
    [
        optimizers.SGD(learning_rate=0.1, momentum=0.9),
        optimizers.Adam(learning_rate=0.01),
        optimizers.Adam(learning_rate=0.01, use_ema=True, gradient_accumulation_steps=2),
    ],
    ids=["sgd", "adam", "adam_ema_accumulation"],
)
def test_fit_gives_the_weights_of_cornu_on_torch(tmp_path, optimizer):
    config = optimizers.serialize(optimizer)
    weights = _mlp().get_weights()
    ours, our_losses = _fit(config, weights)
    theirs, their_losses = _fit_on_torch(tmp_path, config, weights)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(our_losses, their_losses, atol=1e-5, rtol=1e-5)
    assert not np.allclose(ours[0], weights[0])  # it trained


def test_jit_compile_false_gives_the_compiled_numbers():
    config = optimizers.serialize(optimizers.Adam(learning_rate=0.01))
    weights = _mlp().get_weights()
    compiled, compiled_losses = _fit(config, weights, jit_compile=True)
    eager, eager_losses = _fit(config, weights, jit_compile=False)
    for a, b in zip(compiled, eager):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-6)
    np.testing.assert_allclose(compiled_losses, eager_losses, atol=1e-6, rtol=1e-6)


def test_jit_compile_auto_compiles_on_jax():
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse")
    assert model.jit_compile is True
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    assert model.jit_compile is False


def test_dropout_draws_a_new_mask_each_compiled_step():
    model = cornu.Sequential(
        [
            layers.Input((64,)),
            layers.Dropout(0.5, seed=1),
            layers.Dense(1, use_bias=False, kernel_initializer="ones"),
        ]
    )
    model.compile(optimizer=optimizers.SGD(learning_rate=0.001), loss="mse", jit_compile=True)
    x, y = np.ones((1, 64), "float32"), np.zeros((1, 1), "float32")
    kernels = [model.get_weights()[0][:, 0]]
    for _ in range(3):
        model.train_on_batch(x, y)
        kernels.append(model.get_weights()[0][:, 0])
    # A weight moves only where the mask kept its input: the kept sets are the masks.
    kept = [np.flatnonzero(after != before) for before, after in zip(kernels, kernels[1:])]
    assert all(0 < len(k) < 64 for k in kept)
    assert not np.array_equal(kept[0], kept[1]) and not np.array_equal(kept[1], kept[2])
    assert model._jax_trace_count == 1


def test_the_train_step_is_traced_once():
    model = _mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y, _ = _data()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    traces = model._jax_trace_count
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert traces == 1 and model._jax_trace_count == traces


def test_add_loss_is_part_of_the_compiled_loss():
    class Penalized(layers.Layer):
        def call(self, x):
            self.add_loss(100.0 * cornu.ops.mean(cornu.ops.square(x)))
            return x

    inputs = layers.Input((8,))
    outputs = layers.Dense(1, kernel_initializer="ones")(Penalized()(inputs))
    model = cornu.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    x = np.full((4, 8), 0.5, "float32")
    y = np.full((4, 1), 4.0, "float32")
    # mse 0 on these targets: the loss is the added penalty alone, 100 * 0.25.
    loss = model.train_on_batch(x, y)
    np.testing.assert_allclose(loss, 25.0, rtol=1e-6)


_OPTIMIZERS = [
    optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
    optimizers.Adam(learning_rate=0.01, amsgrad=True),
    optimizers.Adam(
        learning_rate=0.01,
        use_ema=True,
        ema_overwrite_frequency=3,
        gradient_accumulation_steps=2,
        weight_decay=0.1,
    ),
    optimizers.Adam(learning_rate=optimizers.schedules.ExponentialDecay(0.01, 2, 0.5)),
    optimizers.Adamax(),
    optimizers.Nadam(),
    optimizers.Lamb(),
    optimizers.Adafactor(),
    optimizers.RMSprop(momentum=0.5, centered=True),
    optimizers.Ftrl(),
    optimizers.Muon(),
    optimizers.ScheduleFreeAdamW(warmup_steps=2),
]


@pytest.mark.parametrize("optimizer", _OPTIMIZERS, ids=lambda o: type(o).__name__)
def test_a_jitted_stateless_update_gives_the_eager_numbers(optimizer):
    config = optimizers.serialize(optimizer)
    rng = np.random.default_rng(0)
    initial = [rng.normal(size=s).astype("float32") for s in [(4, 3), (3,)]]
    grads = [[rng.normal(size=w.shape).astype("float32") for w in initial] for _ in range(5)]

    def setup():
        opt = optimizers.deserialize(config)
        weights = [cornu.Variable(w, name=f"w{i}") for i, w in enumerate(initial)]
        opt.build(weights)
        return opt, weights

    eager, eager_weights = setup()
    for g in grads:
        eager.apply([cornu.ops.convert_to_tensor(x) for x in g], eager_weights)

    traced, weights = setup()
    state = weights + traced.variables

    @jax.jit
    def step(values, g):
        with cornu.backend.core.StatelessScope(list(zip(state, values))) as scope:
            traced.apply(list(g), weights)
            current = [scope.get_current_value(v) for v in state]
        return [v if c is None else c for v, c in zip(values, current)]

    values = [v.value for v in state]
    for g in grads:
        values = step(values, [cornu.ops.convert_to_tensor(x) for x in g])
    for ours, theirs in zip(values, [v.value for v in eager_weights + eager.variables]):
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), atol=2e-6, rtol=2e-6)


def test_steps_per_execution_runs_a_group_in_one_call_with_the_same_numbers():
    def run(steps_per_execution):
        model = _mlp()
        model.set_weights(weights)
        model.compile(
            optimizer=optimizers.Adam(0.01),
            loss="sparse_categorical_crossentropy",
            steps_per_execution=steps_per_execution,
        )
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        return model, history.history["loss"]

    weights = _mlp().get_weights()
    x, y, _ = _data()
    one, one_losses = run(1)
    grouped, grouped_losses = run(4)
    for a, b in zip(one.get_weights(), grouped.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-6)
    np.testing.assert_allclose(one_losses, grouped_losses, atol=1e-6, rtol=1e-6)
    assert one._jax_trace_count == grouped._jax_trace_count == 1
    assert list(grouped._jax_steps) == [("train", 4)]
