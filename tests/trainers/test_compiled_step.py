"""jit_compile=True on torch compiles the whole training step (forward, loss, backward, the
optimizer's update, the metrics) as one graph: the eager step's numbers, no graph breaks, no
recompiles once every batch shape has been seen, and an eager fallback with one warning."""

import warnings

import numpy as np
import pytest
import torch
import torch._dynamo.utils as dynamo_utils

import cornu
from cornu import callbacks, layers, ops
from cornu.backend.torch import compiled_step
from cornu.backend.torch.compiled_step import CompiledTrainStep

pytestmark = pytest.mark.backends("torch")


def _twins(build, optimizer, **compile_args):
    """The same model twice, with equal weights: uncompiled and compiled (`optimizer` is a
    name, or a function that makes one optimizer per model)."""
    eager, compiled = build(), build()
    for model, jit_compile in ((eager, False), (compiled, True)):
        made = optimizer if isinstance(optimizer, str) else optimizer()
        model.compile(optimizer=made, jit_compile=jit_compile, **compile_args)
    compiled.set_weights(eager.get_weights())
    return eager, compiled


def _assert_same(eager, compiled, h_eager, h_compiled):
    assert h_compiled.keys() == h_eager.keys()
    for key in h_eager:
        np.testing.assert_allclose(h_compiled[key], h_eager[key], rtol=1e-5, atol=1e-6)
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
    step = compiled._train_function()
    assert isinstance(step, CompiledTrainStep)
    assert step.failed is None


def _mlp():
    return cornu.Sequential(
        [
            layers.Input((12,)),
            layers.Dense(16, activation="relu"),
            layers.Dense(4, activation="softmax"),
        ]
    )


def test_compiled_mlp_matches_eager_without_breaks_or_recompiles(capsys):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((100, 12)).astype("float32")  # batches of 32 and a last of 4
    y = np.eye(4, dtype="float32")[rng.integers(0, 4, 100)]
    eager, compiled = _twins(
        _mlp, optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"]
    )
    h_eager = eager.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0).history
    dynamo_utils.counters.clear()
    h_compiled = compiled.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=2).history
    printed = capsys.readouterr().out
    assert printed.count("Compiled the training step in") == 1
    assert "(2 batch shapes)" in printed
    assert dict(dynamo_utils.counters["graph_break"]) == {}
    graphs = dynamo_utils.counters["stats"]["unique_graphs"]
    assert graphs == 2  # the batches of 32 and the last batch of 4
    # The steady state: more epochs compile nothing, and print no compile time.
    h_eager2 = eager.fit(x, y, batch_size=32, epochs=2, shuffle=False, verbose=0).history
    h_compiled2 = compiled.fit(x, y, batch_size=32, epochs=2, shuffle=False, verbose=2).history
    assert "Compiled the training step" not in capsys.readouterr().out
    assert dynamo_utils.counters["stats"]["unique_graphs"] == graphs
    assert dict(dynamo_utils.counters["recompiles"]) == {}
    assert dict(dynamo_utils.counters["graph_break"]) == {}
    _assert_same(eager, compiled, h_eager, h_compiled)
    _assert_same(eager, compiled, h_eager2, h_compiled2)
    assert int(compiled.optimizer.iterations.value) == 4 * 3


def test_compiled_step_with_class_weights_clipping_and_callbacks():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((64, 12)).astype("float32")
    y = rng.integers(0, 4, 64)
    eager, compiled = _twins(
        _mlp,
        optimizer=lambda: cornu.optimizers.Adam(learning_rate=0.01, global_clipnorm=0.5),
        loss="sparse_categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
    )
    histories, seen = [], []
    for model in (eager, compiled):
        batches = []
        record = callbacks.LambdaCallback(
            on_train_batch_end=lambda batch, logs, out=batches: out.append(float(logs["loss"]))
        )
        history = model.fit(
            x,
            y,
            batch_size=16,
            epochs=2,
            shuffle=False,
            verbose=0,
            class_weight={0: 1.0, 1: 2.0, 2: 0.5, 3: 1.0},
            callbacks=[record],
        )
        histories.append(history.history)
        seen.append(batches)
    assert len(seen[1]) == 8
    np.testing.assert_allclose(seen[1], seen[0], rtol=1e-5)
    _assert_same(eager, compiled, *histories)


def test_compiled_step_with_masking_and_sample_weights():
    rng = np.random.default_rng(2)
    x = rng.integers(1, 30, (48, 10))
    x[:, :4] = 0  # padding that the mask hides from the pooling
    y = rng.integers(0, 2, 48).astype("float32")
    sample_weight = rng.uniform(0.5, 2.0, 48).astype("float32")

    def build():
        return cornu.Sequential(
            [
                layers.Input((10,), dtype="int64"),
                layers.Embedding(30, 6, mask_zero=True),
                layers.GlobalAveragePooling1D(),
                layers.Dense(1, activation="sigmoid"),
            ]
        )

    eager, compiled = _twins(build, optimizer="adam", loss="binary_crossentropy")
    fit = dict(batch_size=16, epochs=2, shuffle=False, verbose=0, sample_weight=sample_weight)
    _assert_same(eager, compiled, eager.fit(x, y, **fit).history, compiled.fit(x, y, **fit).history)


class _HostBranch(layers.Layer):
    """Reads a value on the host to choose its branch: Dynamo cannot capture it in one graph."""

    def call(self, x):
        if float(ops.sum(x)) > 0:
            return x * 2.0
        return x


def test_uncompilable_model_trains_eagerly_with_one_warning():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 12)).astype("float32")
    y = rng.standard_normal((64, 1)).astype("float32")

    def build():
        return cornu.Sequential(
            [layers.Input((12,)), layers.Dense(4), _HostBranch(), layers.Dense(1)]
        )

    eager, compiled = _twins(build, optimizer="sgd", loss="mse")
    h_eager = eager.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h_compiled = compiled.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    messages = [str(w.message) for w in caught if "cannot compile" in str(w.message)]
    assert len(messages) == 1
    assert "uncompiled step" in messages[0]
    step = compiled._train_function()
    assert step.failed
    np.testing.assert_allclose(h_compiled["loss"], h_eager["loss"], rtol=1e-5)
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_compiled_step_keeps_the_eager_update_counts():
    # The optimizer's iteration advances once per step, in the compiled graph as in eager.
    model = _mlp()
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    x = np.ones((8, 12), "float32")
    model.fit(x, np.zeros((8, 4), "float32"), batch_size=4, epochs=2, verbose=0)
    assert int(model.optimizer.iterations.value) == 4
    assert isinstance(model.optimizer.iterations.value, torch.Tensor)


def test_uncompilable_layer_is_named_in_the_warning():
    x = np.ones((32, 12), "float32")
    y = np.ones((32, 1), "float32")
    model = cornu.Sequential(
        [layers.Input((12,)), layers.Dense(4), _HostBranch(name="host_branch"), layers.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    messages = [str(w.message) for w in caught if "cannot compile" in str(w.message)]
    assert len(messages) == 1
    assert "layer 'host_branch' (_HostBranch), in `call`" in messages[0]
    assert "float(ops.sum(x))" in messages[0]  # the line that stopped the capture
    assert "jit_compile=False" in messages[0]


def test_a_shape_that_changes_every_batch_warns_once(monkeypatch):
    monkeypatch.setattr(compiled_step, "_SHAPES_BEFORE_WARNING", 1)

    def batches():
        rng = np.random.default_rng(4)
        for length in (3, 4, 5, 6, 7):  # a new sequence length in every batch, unpadded
            yield rng.standard_normal((4, length, 2)).astype("float32"), np.ones((4, 1))

    model = cornu.Sequential(
        [layers.Input((None, 2)), layers.GlobalAveragePooling1D(), layers.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(batches(), epochs=1, shuffle=False, verbose=0)
    messages = [str(w.message) for w in caught if "changing shape" in str(w.message)]
    assert len(messages) == 1
    assert "each new shape recompiles" in messages[0]
    assert "Pad the inputs" in messages[0] and "jit_compile=False" in messages[0]
    assert model._train_function().failed is None


def test_steps_per_execution_runs_groups_with_the_single_steps_numbers(monkeypatch):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((80, 12)).astype("float32")  # 5 batches: groups of 2, 2 and 1
    y = np.eye(4, dtype="float32")[rng.integers(0, 4, 80)]
    single, grouped = _twins(
        _mlp, optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"]
    )
    grouped.compile(
        optimizer="adam",
        loss="categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=True,
        steps_per_execution=2,
    )
    groups = []
    original = CompiledTrainStep.many
    monkeypatch.setattr(
        CompiledTrainStep, "many", lambda self, b: groups.append(len(b)) or original(self, b)
    )
    histories, ends = [], []
    for model in (single, grouped):
        seen = []
        record = callbacks.LambdaCallback(
            on_train_batch_end=lambda batch, logs, out=seen: out.append(batch)
        )
        fit = dict(batch_size=16, epochs=2, shuffle=False, verbose=0, callbacks=[record])
        histories.append(model.fit(x, y, **fit).history)
        ends.append(seen)
    assert ends[0] == [0, 1, 2, 3, 4] * 2
    assert ends[1] == [1, 3, 4] * 2  # the batch hooks run once per group, at its last step
    assert groups == [2, 2] * 2  # the last group of one batch is a single step
    assert int(grouped.optimizer.iterations.value) == 10
    _assert_same(single, grouped, *histories)


def test_more_shapes_than_torch_recompiles_for_fall_back_with_one_warning():
    def batches():
        for length in (3, 4, 5, 6, 7, 8):
            yield np.ones((4, length, 2), "float32"), np.ones((4, 1), "float32")

    def build():
        return cornu.Sequential(
            [layers.Input((None, 2)), layers.GlobalAveragePooling1D(), layers.Dense(1)]
        )

    eager, compiled = _twins(build, optimizer="sgd", loss="mse")
    h_eager = eager.fit(batches(), epochs=1, shuffle=False, verbose=0).history
    limit = torch._dynamo.config.recompile_limit
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with torch._dynamo.config.patch(recompile_limit=2):
            h_compiled = compiled.fit(batches(), epochs=1, shuffle=False, verbose=0).history
    assert torch._dynamo.config.recompile_limit == limit  # put back
    messages = [str(w.message) for w in caught if "cannot compile" in str(w.message)]
    assert len(messages) == 1
    assert "more shapes than torch recompiles a step for (2" in messages[0]
    assert compiled._train_function().failed
    np.testing.assert_allclose(h_compiled["loss"], h_eager["loss"], rtol=1e-5)
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
