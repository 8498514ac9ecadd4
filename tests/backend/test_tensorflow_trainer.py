"""The TensorFlow training step: the numbers of the torch backend (the same program from the
same initial weights, torch run in a subprocess), with XLA, eagerly and with
``steps_per_execution``; regularization, activity losses, sample and class weights, masks,
metrics; ``stateless_call``; and the distribution helpers of a one-process backend."""

import os
import subprocess
import sys

import numpy as np
import pytest

import cornu

pytestmark = pytest.mark.backends("tensorflow")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# One program, run by cornu on torch (in a subprocess) and on TensorFlow (here): it fits two
# small models from fixed initial weights and returns what a user would compare.
PROGRAM = """
import numpy as np
import cornu
from cornu import layers, regularizers


def _set_weights(model, rng):
    model.set_weights(
        [
            w if "moving" in v.path or "gamma" in v.path or "beta" in v.path
            else rng.uniform(-0.5, 0.5, size=w.shape).astype(w.dtype)
            for v, w in zip(model.weights, model.get_weights())
        ]
    )


def run(jit_compile=False, steps_per_execution=1, run_eagerly=False):
    rng = np.random.RandomState(0)
    x = rng.standard_normal((32, 4)).astype("float32")
    labels = (x[:, 0] + 0.5 * x[:, 1] > 0).astype("int32") + (x[:, 2] > 1).astype("int32")
    weights = rng.uniform(0.5, 2.0, size=(32,)).astype("float32")
    dense = cornu.Sequential(
        [
            cornu.Input((4,)),
            layers.Dense(
                8,
                activation="relu",
                kernel_regularizer=regularizers.L2(0.01),
                activity_regularizer=regularizers.L1(0.001),
            ),
            layers.BatchNormalization(),
            layers.Dense(3, activation="softmax"),
        ]
    )
    _set_weights(dense, rng)
    dense.compile(
        optimizer=cornu.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
        run_eagerly=run_eagerly,
    )
    h1 = dense.fit(x, labels, sample_weight=weights, batch_size=8, epochs=2, shuffle=False,
                   verbose=0)
    h2 = dense.fit(x, labels, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, batch_size=8, epochs=1,
                   shuffle=False, verbose=0)
    evaluation = dense.evaluate(x, labels, batch_size=8, verbose=0)
    predictions = dense.predict(x, batch_size=8, verbose=0)

    tokens = rng.randint(1, 10, size=(24, 5)).astype("int32")
    tokens[:, 3:] = 0  # padding, masked out of the average
    tokens[::3, 2:] = 0
    target = rng.standard_normal((24, 1)).astype("float32")
    masked = cornu.Sequential(
        [
            cornu.Input((5,), dtype="int32"),
            layers.Embedding(10, 4, mask_zero=True),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1),
        ]
    )
    _set_weights(masked, rng)
    masked.compile(
        optimizer=cornu.optimizers.SGD(0.1, momentum=0.9),
        loss="mse",
        metrics=["mae"],
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
        run_eagerly=run_eagerly,
    )
    h3 = masked.fit(tokens, target, batch_size=4, epochs=2, shuffle=False, verbose=0)
    out = {
        "loss": np.array(h1.history["loss"] + h2.history["loss"] + h3.history["loss"]),
        "accuracy": np.array(h1.history["accuracy"]),
        "mae": np.array(h3.history["mae"]),
        "evaluation": np.array(evaluation),
        "predictions": predictions,
        "masked_predictions": masked.predict(tokens, verbose=0),
    }
    for i, w in enumerate(dense.get_weights() + masked.get_weights()):
        out[f"weight_{i}"] = w
    return out
"""


@pytest.fixture(scope="module")
def torch_results(tmp_path_factory):
    path = tmp_path_factory.mktemp("torch") / "results.npz"
    script = PROGRAM + f"\nnp.savez({str(path)!r}, **run())\n"
    env = dict(os.environ, CORNU_BACKEND="torch", PYTHONPATH=ROOT)
    completed = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    with np.load(path) as data:
        return dict(data)


def _run_here(**kwargs):
    namespace = {}
    exec(compile(PROGRAM, "program", "exec"), namespace)
    return namespace["run"](**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"run_eagerly": True},
        {"jit_compile": False},
        {"jit_compile": False, "steps_per_execution": 3},
        {"jit_compile": True},
        {"jit_compile": True, "steps_per_execution": 3},
    ],
    ids=["eager", "graph", "graph-steps_per_execution", "xla", "xla-steps_per_execution"],
)
def test_training_equals_torch(torch_results, kwargs):
    results = _run_here(**kwargs)
    assert set(results) == set(torch_results)
    for name, expected in torch_results.items():
        np.testing.assert_allclose(
            results[name], expected, rtol=2e-4, atol=2e-5, err_msg=f"{name} with {kwargs}"
        )


def _small_model(jit_compile="auto"):
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse", jit_compile=jit_compile)
    return model


def _train_step_function(model):
    x = np.ones((4, 3), "float32")
    model.fit(x, np.zeros((4, 2), "float32"), batch_size=4, epochs=1, verbose=0)
    return model._tf_steps["train"][1]


def test_jit_compile_modes():
    import tensorflow as tf

    from cornu.backend.tensorflow.trainer import _XlaStep

    if tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("TPU"):
        pytest.skip("the CPU-only rule of jit_compile='auto'")
    # "auto" on a CPU-only machine: a tf.function without XLA, as Keras's TensorFlow rule.
    model = _small_model()
    assert model.jit_compile is False
    step = _train_step_function(model)
    assert isinstance(step, tf.types.experimental.PolymorphicFunction)
    assert not isinstance(step, _XlaStep)
    assert isinstance(_train_step_function(_small_model(True)), _XlaStep)
    assert isinstance(
        _train_step_function(_small_model(False)), tf.types.experimental.PolymorphicFunction
    )
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    assert model.jit_compile is False
    step = _train_step_function(model)  # eager: the Python step itself
    assert not isinstance(step, (_XlaStep, tf.types.experimental.PolymorphicFunction))


def test_compiled_step_traces_once_per_batch_shape():
    model = _small_model(True)
    x = np.ones((40, 3), "float32")
    y = np.zeros((40, 2), "float32")
    model.fit(x, y, batch_size=8, epochs=3, verbose=0)  # 5 equal batches per epoch
    first = model._tf_trace_count
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert model._tf_trace_count == first


def test_train_step_on_numpy_and_test_and_predict_steps():
    import tensorflow as tf

    model = _small_model(True)
    x = np.ones((4, 3), "float32")
    y = np.zeros((4, 2), "float32")
    logs = model.train_step((x, y))
    assert set(logs) == {"loss"}
    assert tf.is_tensor(logs["loss"]) and float(logs["loss"]) >= 0
    assert int(model.optimizer.iterations.numpy()) == 1
    predictions = model.predict_step(x)
    assert tuple(predictions.shape) == (4, 2)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(predictions.numpy(), x @ kernel + bias, rtol=1e-6)
    model.reset_metrics()  # the loss tracker holds the train step's loss until then
    np.testing.assert_allclose(
        float(model.test_step((x, y))["loss"]), np.mean((x @ kernel + bias) ** 2), rtol=1e-5
    )


def test_stateless_call_in_a_tf_function_with_gradients():
    import tensorflow as tf

    model = cornu.Sequential(
        [cornu.Input((3,)), cornu.layers.Dense(4), cornu.layers.BatchNormalization()]
    )
    x = np.arange(12, dtype="float32").reshape(4, 3)
    trainable = [tf.identity(v.value) for v in model.trainable_variables]
    non_trainable = [tf.identity(v.value) for v in model.non_trainable_variables]
    before = [v.numpy() for v in model.non_trainable_variables]

    @tf.function
    def loss_and_grads(trainable, non_trainable):
        with tf.GradientTape() as tape:
            tape.watch(trainable)
            outputs, updated = model.stateless_call(trainable, non_trainable, x, training=True)
            loss = tf.reduce_sum(outputs**2)
        return loss, tape.gradient(loss, trainable), updated

    loss, grads, updated = loss_and_grads(trainable, non_trainable)
    assert len(grads) == 4 and all(g is not None for g in grads)
    # The moving statistics move in the returned values only.
    assert not np.allclose(updated[0].numpy(), before[0])
    for variable, value in zip(model.non_trainable_variables, before):
        np.testing.assert_array_equal(variable.numpy(), value)
    outputs, _ = model.stateless_call(trainable, non_trainable, x, training=True)
    np.testing.assert_allclose(float(loss), float(tf.reduce_sum(outputs**2)), rtol=1e-5)


def test_distribution_is_one_process():
    from cornu import backend

    assert backend.distribution.num_processes() == 1
    assert backend.distribution.process_index() == 0
    assert backend.distribution.list_devices("cpu") == ["cpu:0"]
    with pytest.raises(ValueError, match="Unknown device type"):
        backend.distribution.list_devices("abacus")
    with pytest.raises(NotImplementedError, match="torch backend"):
        backend.distribution.launch(print, 2)
    with pytest.raises(NotImplementedError, match="CORNU_BACKEND=jax"):
        backend.distribution.wrap_data_parallel(_small_model())


class _Subclassed(cornu.Model):
    def __init__(self):
        super().__init__()
        self.hidden = cornu.layers.Dense(6, activation="relu")
        self.dropout = cornu.layers.Dropout(0.5, seed=3)
        self.out = cornu.layers.Dense(1)

    def call(self, x, training=False):
        return self.out(self.dropout(self.hidden(x), training=training))


@pytest.mark.parametrize("jit_compile", [False, True], ids=["eager", "xla"])
def test_subclassed_model_built_by_its_first_step_with_dropout(jit_compile):
    x = np.random.RandomState(0).standard_normal((16, 3)).astype("float32")
    y = x[:, :1] * 2.0

    def trained(jit):
        cornu.utils.set_random_seed(7)
        model = _Subclassed()
        model.compile(optimizer="adam", loss="mse", jit_compile=jit)
        logs = model.train_on_batch(x, y, return_dict=True)  # builds the model in its step
        seed_state = model.dropout.seed_generator.state.numpy()
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
        moved = model.dropout.seed_generator.state.numpy()
        return logs, seed_state, moved, model.get_weights(), model.predict(x, verbose=0)

    logs, seed_before, seed_after, weights, predictions = trained(jit_compile)
    assert len(weights) == 4 and predictions.shape == (16, 1)
    # The dropout's seed state advances with every training step (a new mask each time).
    assert not np.array_equal(seed_before, seed_after)
    # Seeded: the same program gives the same numbers. (Not across modes: TensorFlow's
    # stateless random ops draw other numbers under XLA than outside it.)
    reference = trained(jit_compile)
    np.testing.assert_array_equal(float(logs["loss"]), float(reference[0]["loss"]))
    for got, expected in zip(weights, reference[3]):
        np.testing.assert_array_equal(got, expected)
