"""CallbackList: dispatch of every hook, per-batch hook detection, logs conversion."""

import numpy as np
import pytest

from cornu.backend import convert_to_tensor
from cornu.callbacks import Callback, CallbackList, History, ProgbarLogger

ALL_HOOKS = [
    ("on_train_begin", ()),
    ("on_epoch_begin", (0,)),
    ("on_train_batch_begin", (0,)),
    ("on_train_batch_end", (0,)),
    ("on_test_begin", ()),
    ("on_test_batch_begin", (0,)),
    ("on_test_batch_end", (0,)),
    ("on_test_end", ()),
    ("on_epoch_end", (0,)),
    ("on_train_end", ()),
    ("on_predict_begin", ()),
    ("on_predict_batch_begin", (0,)),
    ("on_predict_batch_end", (0,)),
    ("on_predict_end", ()),
]


class Recorder(Callback):
    """Records every hook call as (hook name, positional args, logs)."""

    def __init__(self):
        super().__init__()
        self.calls = []


def _make_hook(name, takes_index):
    if takes_index:

        def hook(self, index, logs=None):
            self.calls.append((name, (index,), logs))

    else:

        def hook(self, logs=None):
            self.calls.append((name, (), logs))

    return hook


for _name, _args in ALL_HOOKS:
    setattr(Recorder, _name, _make_hook(_name, bool(_args)))


class EpochOnly(Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.logs = logs


class LegacyBatch(Callback):
    def __init__(self):
        super().__init__()
        self.batches = []

    def on_batch_end(self, batch, logs=None):
        self.batches.append((batch, logs))


class FakeModel:
    pass


def test_every_hook_reaches_every_callback():
    recorders = [Recorder(), Recorder()]
    cbs = CallbackList(recorders, verbose=0, epochs=1, steps=1)
    for name, args in ALL_HOOKS:
        getattr(cbs, name)(*args, logs={"loss": 1.5})
    for recorder in recorders:
        assert [c[0] for c in recorder.calls] == [name for name, _ in ALL_HOOKS]
        for name, args, logs in recorder.calls:
            assert logs == {"loss": 1.5}, name
            assert args == dict(ALL_HOOKS)[name]


def test_params_and_model_are_set():
    cb = EpochOnly()
    model = FakeModel()
    CallbackList([cb], add_history=True, model=model, verbose=1, epochs=3, steps=10)
    assert cb.params == {"verbose": 1, "epochs": 3, "steps": 10}
    assert cb.model is model
    assert isinstance(model.history, History)
    assert model.history.params == cb.params


def test_nested_lists_are_flattened_and_defaults_added_once():
    a, b = EpochOnly(), EpochOnly()
    cbs = CallbackList([a, [b]], add_history=True, add_progbar=True)
    assert cbs.callbacks[:2] == [a, b]
    assert sum(isinstance(c, History) for c in cbs.callbacks) == 1
    assert sum(isinstance(c, ProgbarLogger) for c in cbs.callbacks) == 1
    history = History()
    cbs = CallbackList([history], add_history=True)
    assert cbs.callbacks == [history]


def test_batch_hook_flags():
    cbs = CallbackList([EpochOnly(), History()], verbose=1, epochs=1, steps=5)
    assert not cbs.has_train_batch_hooks
    assert not cbs.has_test_batch_hooks
    assert not cbs.has_predict_batch_hooks

    cbs = CallbackList([LegacyBatch()], verbose=0, epochs=1, steps=5)
    assert cbs.has_train_batch_hooks
    assert not cbs.has_test_batch_hooks

    class TestOnly(Callback):
        def on_test_batch_end(self, batch, logs=None):
            pass

    cbs = CallbackList([TestOnly()])
    assert (cbs.has_train_batch_hooks, cbs.has_test_batch_hooks) == (False, True)

    cbs.append(LegacyBatch())
    assert cbs.has_train_batch_hooks


@pytest.mark.parametrize(
    "verbose, steps, train, test_in_fit",
    [(1, 5, True, False), (2, 5, False, False), (0, 5, False, False), (2, None, True, False)],
)
def test_progbar_needs_batches_only_to_draw_or_count(verbose, steps, train, test_in_fit):
    cbs = CallbackList(add_progbar=True, verbose=verbose, epochs=1, steps=steps)
    cbs.on_train_begin()
    assert cbs.has_train_batch_hooks is train
    cbs.on_test_begin()  # validation inside fit is silent
    assert cbs.has_test_batch_hooks is test_in_fit


def test_standalone_evaluate_progbar_needs_test_batches():
    cbs = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=3)
    cbs.on_test_begin()
    assert cbs.has_test_batch_hooks


def test_batch_logs_tensors_for_progbar_floats_for_users(capsys):
    class TensorReader(Callback):
        _accepts_tensor_logs = True

        def on_train_batch_end(self, batch, logs=None):
            self.logs = logs

    user, reader = LegacyBatch(), TensorReader()
    cbs = CallbackList([user, reader, EpochOnly()], verbose=0, epochs=1, steps=2)
    logs = {"loss": convert_to_tensor(0.5, dtype="float32"), "accuracy": convert_to_tensor(0.25)}
    cbs.on_train_batch_end(0, logs)
    assert reader.logs is logs
    batch, user_logs = user.batches[0]
    assert batch == 0
    assert user_logs == {"accuracy": 0.25, "loss": 0.5}
    assert list(user_logs) == ["accuracy", "loss"]
    assert all(type(v) is float for v in user_logs.values())


def test_epoch_logs_are_python_floats_flattened_and_sorted():
    cb = EpochOnly()
    cbs = CallbackList([cb])
    cbs.on_epoch_end(0, {"loss": np.float64(2.0), "b": convert_to_tensor(1.0), "m": {"mae": 3}})
    assert cb.logs == {"b": 1.0, "loss": 2.0, "mae": 3.0}
    assert list(cb.logs) == ["b", "loss", "mae"]


def test_predict_outputs_become_numpy():
    class Outputs(Callback):
        def on_predict_batch_end(self, batch, logs=None):
            self.outputs = logs["outputs"]

    cb = Outputs()
    cbs = CallbackList([cb])
    cbs.on_predict_batch_end(0, {"outputs": convert_to_tensor(np.ones((2, 3), "float32"))})
    assert isinstance(cb.outputs, np.ndarray) and cb.outputs.shape == (2, 3)


def test_legacy_batch_hooks_run_through_train_batch_hooks():
    cb = LegacyBatch()
    cbs = CallbackList([cb])
    cbs.on_train_batch_end(3, {"loss": 1.0})
    assert cb.batches == [(3, {"loss": 1.0})]


def test_callback_model_unwraps_distributed_data_parallel():
    inner = FakeModel()
    DistributedDataParallel = type("DistributedDataParallel", (), {})
    wrapper = DistributedDataParallel()
    wrapper.module = inner
    cb = Callback()
    cb.set_model(wrapper)
    assert cb.model is inner
