"""Every kind of input fit / evaluate / predict accept, and Keras's errors for the rest."""

import math
import warnings

import numpy as np
import pytest
import torch

import cornu
from cornu import layers
from cornu.callbacks import Callback


def _data(n=24):
    rng = np.random.RandomState(0)
    x = rng.standard_normal((n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")).astype("float32")
    return x, y


def _model(seed=0):
    cornu.utils.set_random_seed(seed)
    model = cornu.Sequential(
        [cornu.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(1)]
    )
    model.compile(optimizer=cornu.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def _weights(model):
    return [w.copy() for w in model.get_weights()]


def _assert_same_weights(a, b):
    for wa, wb in zip(a, b):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-6)


def _reference(x, y, epochs=2, batch_size=8):
    model = _model()
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0)
    return _weights(model), history.history


class Batches(cornu.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        s = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_torch_tensors_train_like_numpy_arrays():
    x, y = _data()
    expected, _ = _reference(x, y)
    model = _model()
    model.fit(
        torch.from_numpy(x), torch.from_numpy(y), batch_size=8, epochs=2, shuffle=False, verbose=0
    )
    _assert_same_weights(_weights(model), expected)


def test_dataloader_trains_like_arrays_and_predicts_in_order():
    x, y = _data()
    expected, expected_history = _reference(x, y)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=8
    )
    model = _model()
    history = model.fit(loader, epochs=2, shuffle=False, verbose=0)
    _assert_same_weights(_weights(model), expected)
    np.testing.assert_allclose(history.history["loss"], expected_history["loss"], rtol=1e-6)
    np.testing.assert_allclose(model.predict(loader, verbose=0), model.predict(x, verbose=0))
    np.testing.assert_allclose(
        model.evaluate(loader, verbose=0), model.evaluate(x, y, batch_size=8, verbose=0), rtol=1e-6
    )


def test_generator_of_unknown_length_runs_one_epoch_then_runs_out():
    x, y = _data()
    expected, _ = _reference(x, y, epochs=1)

    def batches():
        for i in range(0, 24, 8):
            yield x[i : i + 8], y[i : i + 8]

    model = _model()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(batches(), epochs=3, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 1
    _assert_same_weights(_weights(model), expected)


def test_endless_generator_with_steps_per_epoch():
    x, y = _data()
    expected, _ = _reference(x, y, epochs=2)

    def endless():
        while True:
            for i in range(0, 24, 8):
                yield (x[i : i + 8], y[i : i + 8])

    model = _model()
    history = model.fit(endless(), steps_per_epoch=3, epochs=2, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 2
    _assert_same_weights(_weights(model), expected)


@pytest.mark.parametrize("workers,multiprocessing", [(1, False), (3, False), (2, True)])
def test_py_dataset_with_workers(workers, multiprocessing):
    x, y = _data()
    expected, _ = _reference(x, y)
    dataset = Batches(x, y, 8, workers=workers, use_multiprocessing=multiprocessing)
    model = _model()
    model.fit(dataset, epochs=2, shuffle=False, verbose=0)
    _assert_same_weights(_weights(model), expected)
    assert dataset.epochs_ended == 2


def test_py_dataset_class_weight_becomes_sample_weight():
    x, _ = _data()
    labels = (np.arange(24) % 2).astype("int64")
    class_weight = {0: 1.0, 1: 3.0}

    def fitted(data, **kwargs):
        cornu.utils.set_random_seed(0)
        model = cornu.Sequential([cornu.Input((3,)), layers.Dense(2, activation="softmax")])
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.fit(data, epochs=1, shuffle=False, verbose=0, **kwargs)
        return _weights(model)

    with_arrays = []
    cornu.utils.set_random_seed(0)
    model = cornu.Sequential([cornu.Input((3,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(x, labels, batch_size=8, class_weight=class_weight, shuffle=False, verbose=0)
    with_arrays = _weights(model)
    _assert_same_weights(fitted(Batches(x, labels, 8), class_weight=class_weight), with_arrays)


def test_pandas_dataframe_and_series():
    pd = pytest.importorskip("pandas")
    x, y = _data()
    expected, _ = _reference(x, y)
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    model = _model()
    model.fit(frame, pd.Series(y[:, 0]), batch_size=8, epochs=2, shuffle=False, verbose=0)
    _assert_same_weights(_weights(model), expected)


def test_validation_data_of_each_kind_and_frequency():
    x, y = _data()
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=5
    )
    model = _model()
    history = model.fit(
        x, y, epochs=4, batch_size=8, validation_data=loader, validation_freq=2, verbose=0
    )
    assert len(history.history["loss"]) == 4
    assert len(history.history["val_loss"]) == 2
    expected = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(history.history["val_loss"][-1], expected[0], rtol=1e-5)

    history = model.fit(
        x, y, epochs=1, validation_data=Batches(x, y, 6), validation_steps=2, verbose=0
    )
    np.testing.assert_allclose(
        history.history["val_loss"][0], model.evaluate(x[:12], y[:12], verbose=0)[0], rtol=1e-5
    )
    history = model.fit(x, y, epochs=1, validation_data=(x, y), validation_batch_size=5, verbose=0)
    # Batches of 5 against one of 24: the sums round differently (XLA on TensorFlow: 1 ulp).
    np.testing.assert_allclose(
        history.history["val_mae"][0], model.evaluate(x, y, verbose=0)[1], rtol=1e-6
    )


def test_shuffle_batch_keeps_chunks_and_covers_every_sample():
    from cornu.trainers.data_adapters import ArrayDataAdapter

    x = np.arange(10, dtype="float32")[:, None]
    np.random.seed(1)
    adapter = ArrayDataAdapter(x, x, batch_size=4, shuffle="batch")
    orders = set()
    for _ in range(5):
        seen = [
            tuple(cornu.ops.convert_to_numpy(b[0])[:, 0].astype(int)) for b in adapter.batches()
        ]
        assert sorted(seen) == [(0, 1, 2, 3), (4, 5, 6, 7), (8, 9)]
        orders.add(tuple(seen))
    assert len(orders) > 1


class CountBatches(Callback):
    def __init__(self):
        super().__init__()
        self.begins, self.ends = [], []

    def on_train_batch_begin(self, batch, logs=None):
        self.begins.append(batch)

    def on_train_batch_end(self, batch, logs=None):
        self.ends.append(batch)


def test_steps_per_execution_groups_the_batch_callbacks():
    x, y = _data()
    expected, _ = _reference(x, y, epochs=1, batch_size=4)
    model = _model()
    model.compile(optimizer=cornu.optimizers.SGD(0.05), loss="mse", steps_per_execution=4)
    counter = CountBatches()
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[counter])
    assert counter.begins == [0, 4] and counter.ends == [3, 5]
    _assert_same_weights(_weights(model), expected)
    with pytest.raises(ValueError, match="steps_per_execution"):
        model.compile(loss="mse", steps_per_execution=0)


@pytest.mark.backends("torch")  # the step differentiates with torch autograd
def test_custom_train_step_gets_x_y_and_its_logs_are_used():
    x, y = _data()

    class Custom(cornu.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            inputs, targets = data
            predictions = self(inputs, training=True)
            loss = self.compute_loss(y=targets, y_pred=predictions)
            self.zero_grad()
            loss.backward()
            weights = self.trainable_weights
            with torch.no_grad():
                self.optimizer.apply([w.value.grad for w in weights], weights)
            return {"my_loss": loss.detach(), "constant": 7.0}

    model = Custom()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {"my_loss", "constant"}
    assert history.history["constant"] == [7.0, 7.0]


@pytest.mark.parametrize(
    "kind,kwargs,match",
    [
        ("loader", {"y": np.zeros(4)}, "`y` should not be passed"),
        ("loader", {"class_weight": {0: 1.0}}, "class_weight"),
        ("generator", {"y": np.zeros(4)}, "`y` should not be passed"),
        ("generator", {"validation_split": 0.5}, "validation_split"),
        ("pydataset", {"sample_weight": np.zeros(4)}, "`sample_weights` should not be passed"),
    ],
)
def test_unsupported_combinations_raise_keras_errors(kind, kwargs, match):
    x, y = _data(4)
    data = {
        "loader": torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
        ),
        "generator": iter([(x, y)]),
        "pydataset": Batches(x, y, 2),
    }[kind]
    model = _model()
    with pytest.raises(ValueError, match=match):
        model.fit(data, verbose=0, **kwargs)


def test_dataloader_shuffle_warning_and_unknown_type():
    x, y = _data(4)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    )
    model = _model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(loader, verbose=0)
    assert any("shuffle=True" in str(w.message) for w in caught)
    with pytest.raises(ValueError, match="Unrecognized data type"):
        model.fit(object(), verbose=0)
