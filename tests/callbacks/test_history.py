"""History: epoch logs as lists, attached to the model."""

from cornu.callbacks import CallbackList, History


class FakeModel:
    pass


def test_history_records_epochs_and_sets_model_history():
    model = FakeModel()
    history = History()
    cbs = CallbackList([history], model=model, verbose=0, epochs=3, steps=4)
    cbs.on_train_begin()
    for epoch in range(3):
        cbs.on_epoch_begin(epoch)
        cbs.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": 2.0})
    cbs.on_train_end()
    assert history.epoch == [0, 1, 2]
    assert history.history == {"loss": [1.0, 0.5, 1.0 / 3], "val_loss": [2.0, 2.0, 2.0]}
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 4}
    assert model.history is history


def test_add_history_attaches_a_new_history():
    model = FakeModel()
    CallbackList(add_history=True, model=model)
    assert isinstance(model.history, History)
    assert model.history.history == {} and model.history.epoch == []
