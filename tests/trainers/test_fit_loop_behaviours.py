"""fit / evaluate / predict loop behaviours (validation frequency, loss scaling, stop flags,
steps, build order, EMA, errors), each checked against Keras."""

import warnings

import numpy as np
import pytest
from oracle import keras_difference

import cornu


def _data(n=8, d=3, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randn(n, d).astype("float32"), rng.randn(n, 1).astype("float32")


def _dense(lib):
    return lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])


def _pair(keras, build, compile_kwargs):
    """The same model in Keras and cornu (cornu takes Keras's weights), both compiled."""
    ref = build(keras)
    model = build(cornu)
    model.set_weights(ref.get_weights())
    ref.compile(**compile_kwargs(keras))
    model.compile(**compile_kwargs(cornu))
    return model, ref


def _assert_weights_close(model, ref, atol=1e-6):
    for got, expected in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(got, expected, atol=atol)


# ---- validation_freq ------------------------------------------------------------------------


def test_validation_freq_list_validates_after_the_listed_epochs_as_keras(keras):
    x, y = _data()
    model, ref = _pair(keras, _dense, lambda lib: dict(optimizer="sgd", loss="mse"))
    kwargs = dict(epochs=4, validation_data=(x, y), validation_freq=[2, 4], verbose=0)
    kwargs.update(shuffle=False)
    got = model.fit(x, y, **kwargs).history
    expected = ref.fit(x, y, **kwargs).history
    assert sorted(got) == sorted(expected) == ["loss", "val_loss"]
    assert len(got["val_loss"]) == 2
    np.testing.assert_allclose(got["val_loss"], expected["val_loss"], rtol=1e-5)
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-5)


@pytest.mark.parametrize("bad", ["2", (2, 4), 1.5])
def test_validation_freq_of_another_type_gives_keras_error(bad):
    x, y = _data()
    model = _dense(cornu)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="Expected `validation_freq` to be a list or int"):
        model.fit(x, y, validation_data=(x, y), validation_freq=bad, verbose=0)


def test_validation_freq_below_one_is_refused():
    x, y = _data()
    model = _dense(cornu)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="validation_freq=0"):
        model.fit(x, y, validation_data=(x, y), validation_freq=0, verbose=0)


# ---- loss_scale_factor ----------------------------------------------------------------------


def test_loss_scale_factor_gives_the_unscaled_update_as_keras(keras):
    x, y = _data()

    def compile_kwargs(lib):
        return dict(optimizer=lib.optimizers.SGD(0.1, loss_scale_factor=128.0), loss="mse")

    model, ref = _pair(keras, _dense, compile_kwargs)
    plain = _dense(cornu)
    plain.set_weights(ref.get_weights())
    plain.compile(optimizer=cornu.optimizers.SGD(0.1), loss="mse")
    got = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history
    expected = ref.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history
    plain.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    _assert_weights_close(model, ref)
    _assert_weights_close(model, plain)
    # The loss logged is the unscaled one.
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-5)


# ---- stop_evaluating / stop_predicting ------------------------------------------------------


def _stop_after_second_batch(lib):
    class Stop(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.test_batches = 0

        def on_test_batch_end(self, batch, logs=None):
            self.test_batches += 1
            if batch == 1:
                self.model.stop_evaluating = True

        def on_predict_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_predicting = True

    return Stop()


def test_stop_evaluating_and_stop_predicting_end_the_loops_as_keras(keras):
    x, y = _data(20)
    model, ref = _pair(keras, _dense, lambda lib: dict(optimizer="sgd", loss="mse"))
    assert model.stop_evaluating is False and model.stop_predicting is False
    results = {}
    for name, m, lib in (("cornu", model, cornu), ("keras", ref, keras)):
        stop = _stop_after_second_batch(lib)
        loss = m.evaluate(x, y, batch_size=2, verbose=0, callbacks=[stop])
        rows = m.predict(x, batch_size=2, verbose=0, callbacks=[stop]).shape[0]
        results[name] = (stop.test_batches, rows, loss)
    assert results["cornu"][:2] == results["keras"][:2] == (2, 4)
    np.testing.assert_allclose(results["cornu"][2], results["keras"][2], rtol=1e-5)
    # The flags are reset by the next call: a full evaluation runs again.
    assert model.evaluate(x, y, batch_size=2, verbose=0) == pytest.approx(
        ref.evaluate(x, y, batch_size=2, verbose=0), rel=1e-5
    )


# ---- batch_size=None with steps -------------------------------------------------------------


def test_arrays_without_batch_size_are_split_over_the_steps_as_keras(keras):
    x, y = _data(100)
    model, ref = _pair(keras, _dense, lambda lib: dict(optimizer="sgd", loss="mse"))
    sizes = []
    predict_step = model.predict_step

    def recording_step(data):
        out = predict_step(data)
        sizes.append(int(out.shape[0]))
        return out

    model.predict_step = recording_step
    assert model.predict(x, steps=4, verbose=0).shape == (100, 1)
    assert sizes == [25, 25, 25, 25]
    assert model.evaluate(x, y, steps=2, verbose=0) == pytest.approx(
        ref.evaluate(x, y, steps=2, verbose=0), rel=1e-5
    )
    got = model.fit(x, y, steps_per_epoch=3, shuffle=False, verbose=0).history
    expected = ref.fit(x, y, steps_per_epoch=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-5)
    _assert_weights_close(model, ref)


# ---- the compiled metrics as one metric -----------------------------------------------------


def _guide_model(lib):
    """The custom train_step of Keras's guide "Customizing what happens in fit() with
    PyTorch"."""
    import torch

    class CustomModel(lib.Model):
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = list(self.trainable_weights)
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = lib.Input((3,))
    return CustomModel(inputs, lib.layers.Dense(1)(inputs))


@pytest.mark.backends("torch")  # the guide's step differentiates with torch autograd
def test_guide_custom_train_step_keeps_the_compiled_metrics_as_keras(keras):
    x, y = _data(16)
    model, ref = _pair(
        keras,
        _guide_model,
        lambda lib: dict(optimizer=lib.optimizers.SGD(0.1), loss="mse", metrics=["mae"]),
    )
    assert model.metrics_names == ref.metrics_names == ["loss", "compile_metrics"]
    got = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history
    expected = ref.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history
    assert sorted(got) == sorted(expected) == ["loss", "mae"]
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-5)
    _assert_weights_close(model, ref)


def test_compile_metrics_result_is_a_dict_and_builds_on_first_update():
    x, y = _data()
    model = _dense(cornu)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae", "mse"])
    container = model.metrics[1]
    assert container.name == "compile_metrics" and container.metrics == []
    with pytest.raises(ValueError, match="has not yet been built"):
        container.result()
    container.update_state(cornu.ops.convert_to_tensor(y), cornu.ops.convert_to_tensor(x[:, :1]))
    result = container.result()
    assert list(result) == ["mae", "mse"]
    np.testing.assert_allclose(float(result["mae"]), np.mean(np.abs(y - x[:, :1])), rtol=1e-6)
    container.reset_state()
    assert float(container.result()["mae"]) == 0.0


def test_multi_output_evaluate_list_follows_keras_order(keras):
    x, y = _data(10)

    def build(lib):
        inputs = lib.Input((3,))
        a = lib.layers.Dense(1, name="a")(inputs)
        b = lib.layers.Dense(1, name="b")(inputs)
        return lib.Model(inputs, [a, b])

    def compile_kwargs(lib):
        return dict(optimizer="sgd", loss=["mse", "mae"], metrics=[["mse", "mae"], ["mse", "mae"]])

    model, ref = _pair(keras, build, compile_kwargs)
    got = model.evaluate(x, [y, y], verbose=0)
    expected = ref.evaluate(x, [y, y], verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert model.metrics_names == ref.metrics_names
    got_dict = model.evaluate(x, [y, y], verbose=0, return_dict=True)
    assert list(got_dict) == list(ref.evaluate(x, [y, y], verbose=0, return_dict=True))


def test_monitor_auto_finds_the_direction_of_a_compiled_metric():
    x, y = _data()
    y = (y > 0).astype("float32")
    model = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy", "mae"])
    stop_acc = cornu.callbacks.EarlyStopping(monitor="val_accuracy")
    stop_mae = cornu.callbacks.EarlyStopping(monitor="val_mae")
    model.fit(x, y, validation_data=(x, y), verbose=0, callbacks=[stop_acc, stop_mae])
    assert stop_acc._lower_is_better is False
    assert stop_mae._lower_is_better is True


# ---- building before the callbacks ----------------------------------------------------------


def _subclassed(lib):
    class Sub(lib.Model):
        def __init__(self):
            super().__init__()
            self.dense = lib.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    return Sub()


def _peek_callback(lib, seen):
    class Peek(lib.callbacks.Callback):
        def _record(self, when):
            seen[when] = (
                self.model.built,
                len(self.model.weights),
                self.model.optimizer.built,
                [m.name for m in self.model.metrics],
            )

        def on_train_begin(self, logs=None):
            self._record("train")

        def on_test_begin(self, logs=None):
            self._record("test")

    return Peek()


def test_model_optimizer_and_metrics_are_built_before_on_train_begin_as_keras(keras):
    x, y = _data()
    seen = {"cornu": {}, "keras": {}}
    for name, lib in (("cornu", cornu), ("keras", keras)):
        model = _subclassed(lib)
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(x, y, epochs=1, verbose=0, callbacks=[_peek_callback(lib, seen[name])])
        model = _subclassed(lib)
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.evaluate(x, y, verbose=0, callbacks=[_peek_callback(lib, seen[name])])
    # Keras on tensorflow builds them in the first step (tests/keras_differences.py); cornu
    # builds them before, as Keras on torch, whose record is the expected one below.
    if keras_difference("Model.fit:built_before_callbacks") is None:
        assert seen["cornu"] == seen["keras"]
    assert seen["cornu"]["train"] == (True, 2, True, ["loss", "compile_metrics"])
    assert seen["cornu"]["test"] == seen["cornu"]["train"]


def test_backup_and_restore_accepts_an_unbuilt_subclassed_model(tmp_path):
    x, y = _data()
    model = _subclassed(cornu)
    model.compile(optimizer="adam", loss="mse")
    backup = cornu.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    history = model.fit(x, y, epochs=2, verbose=0, callbacks=[backup])
    assert len(history.history["loss"]) == 2


def test_the_batch_read_to_build_is_trained_on_once(keras):
    """A one-pass generator: the batch read to build the model is fed again, not lost."""
    x, y = _data(12)

    def batches():
        for i in range(0, 12, 4):
            yield x[i : i + 4], y[i : i + 4]

    ref = _subclassed(keras)
    ref.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    ref(x[:1])
    model = _subclassed(cornu)
    model.compile(optimizer=cornu.optimizers.SGD(0.1), loss="mse")
    steps = []
    train_step = model.train_step

    def recording_step(data):
        steps.append(int(data[0].shape[0]))
        if len(steps) == 1:
            model.set_weights(ref.get_weights())  # Keras's starting point, once built
        return train_step(data)

    model.train_step = recording_step
    got = model.fit(batches(), epochs=1, shuffle=False, verbose=0).history
    expected = ref.fit(x, y, batch_size=4, shuffle=False, verbose=0).history
    assert steps == [4, 4, 4]
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-5)
    _assert_weights_close(model, ref)


def test_building_draws_no_random_number_before_the_callbacks():
    """The first epoch's shuffling is drawn after on_train_begin (BackupAndRestore restores
    the random streams there): the build reads the data without drawing."""
    x, y = _data(64)
    state = {}

    class Snapshot(cornu.callbacks.Callback):
        def on_train_begin(self, logs=None):
            state["numpy"] = np.random.get_state()[1].copy()

    np.random.seed(3)
    expected = np.random.get_state()[1].copy()
    model = _subclassed(cornu)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    model.fit(x, y, batch_size=8, shuffle=True, verbose=0, callbacks=[Snapshot()])
    np.testing.assert_array_equal(state["numpy"], expected)


def test_a_model_without_call_is_left_to_its_train_step():
    """A GAN-like model whose train_step uses its parts (Keras cannot build it; cornu runs
    it as before)."""
    x, _ = _data()

    class Pair(cornu.Model):
        def __init__(self):
            super().__init__()
            self.first = cornu.Sequential([cornu.Input((3,)), cornu.layers.Dense(2)])

        def train_step(self, data):
            return {"size": float(data.shape[0])}

    model = Pair()
    model.compile(optimizer="adam")
    history = model.fit(x, batch_size=4, epochs=1, verbose=0)
    assert history.history == {"size": [4.0]}


# ---- use_ema when no epoch runs -------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [dict(epochs=0), dict(epochs=2, initial_epoch=2)])
def test_use_ema_fit_without_epochs_returns_an_empty_history(keras, kwargs):
    x, y = _data()
    model = _dense(cornu)
    model.compile(optimizer=cornu.optimizers.SGD(use_ema=True), loss="mse")
    before = model.get_weights()
    assert model.fit(x, y, verbose=0, **kwargs).history == {}
    # Keras on tensorflow fails on the second case (tests/keras_differences.py).
    if keras_difference("Model.fit:use_ema_without_epochs", (), kwargs) is None:
        ref = _dense(keras)
        ref.compile(optimizer=keras.optimizers.SGD(use_ema=True), loss="mse")
        assert ref.fit(x, y, verbose=0, **kwargs).history == {}
    # Keras copies its never-updated (zero) averages into the weights for the second case;
    # cornu keeps the weights.
    for got, expected in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, expected)


def test_finalize_variable_values_does_nothing_before_an_update():
    optimizer = cornu.optimizers.SGD(use_ema=True)
    variable = cornu.Variable(np.ones((2,), "float32"))
    optimizer.finalize_variable_values([variable])  # unbuilt
    optimizer.build([variable])
    optimizer.finalize_variable_values([variable])  # built, no update yet
    np.testing.assert_array_equal(variable.numpy(), [1.0, 1.0])


# ---- one sample_weight array for several outputs --------------------------------------------


def test_non_scalar_single_sample_weight_for_several_outputs_gives_keras_error(keras):
    x, _ = _data(10)
    targets = {"a": np.zeros((10, 1), "float32"), "b": np.zeros((10, 2), "float32")}
    weights = np.ones((10, 2), "float32")

    def build(lib):
        inputs = lib.Input((3,))
        outputs = {
            "a": lib.layers.Dense(1, name="a")(inputs),
            "b": lib.layers.Dense(2, name="b")(inputs),
        }
        return lib.Model(inputs, outputs)

    model, ref = _pair(keras, build, lambda lib: dict(optimizer="sgd", loss="mse"))
    message = "should only have one scalar score per sample"
    with pytest.raises(ValueError, match=message):
        ref.evaluate(x, targets, sample_weight=weights, verbose=0)
    with pytest.raises(ValueError, match=message):
        model.evaluate(x, targets, sample_weight=weights, verbose=0)
    column = weights[:, :1]
    assert model.evaluate(x, targets, sample_weight=column, verbose=0) == pytest.approx(
        ref.evaluate(x, targets, sample_weight=column, verbose=0), rel=1e-5
    )


# ---- a generator that runs out --------------------------------------------------------------


def test_a_finished_generator_begins_no_epoch_it_cannot_end():
    x, y = _data(12)
    events = []

    class Record(cornu.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            events.append(("begin", epoch))

        def on_epoch_end(self, epoch, logs=None):
            events.append(("end", epoch))

    def batches():
        for i in range(0, 12, 2):
            yield x[i : i + 2], y[i : i + 2]

    model = _dense(cornu)
    model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(batches(), epochs=3, verbose=0, callbacks=[Record()])
    assert events == [("begin", 0), ("end", 0)]
    assert history.epoch == [0]
    assert any("ran out of data" in str(w.message) for w in caught)
