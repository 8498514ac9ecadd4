"""LambdaCallback: a callback made of plain functions."""

from cornu.callbacks.callback import Callback

_HOOKS = (
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_begin",
    "on_train_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)


class LambdaCallback(Callback):
    """A callback whose hooks are the functions given.

    Epoch hooks take ``(epoch, logs)``, batch hooks ``(batch, logs)`` and the begin/end
    hooks of a run ``(logs)``. ``on_batch_begin`` / ``on_batch_end`` are the training batch
    hooks. Any other ``on_*`` hook may be passed by name too.

    ```python
    print_loss = LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    ```
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        given = dict(kwargs)
        given.update(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin or kwargs.get("on_batch_begin"),
            on_train_batch_end=on_train_batch_end or kwargs.get("on_batch_end"),
        )
        given.pop("on_batch_begin", None)
        given.pop("on_batch_end", None)
        for name, function in given.items():
            if name not in _HOOKS:
                raise ValueError(
                    f"LambdaCallback got an unknown hook `{name}`. Known hooks: {list(_HOOKS)}"
                )
            if function is not None:
                setattr(self, name, function)
