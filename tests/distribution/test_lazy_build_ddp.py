"""A subclassed model that gets its weights inside its first data-parallel fit trains
data-parallel from that fit's first step (2 gloo processes against one process)."""

import os

import numpy as np
import pytest

import cornu

# Data-parallel training in processes launched with torch.distributed (DDP).
pytestmark = [pytest.mark.requires_training, pytest.mark.backends("torch")]


class _Sub(cornu.Model):
    def __init__(self):
        super().__init__()
        self.hidden = cornu.layers.Dense(4, activation="tanh")
        self.out = cornu.layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(11, 3).astype("float32"), rng.randn(11, 1).astype("float32")


def _train(seed):
    """A fresh, unbuilt model (weights drawn from ``seed``) fitted twice; the weights after
    the first step, the final weights, whether the first step was data-parallel, and the
    losses."""
    cornu.utils.set_random_seed(seed)
    model = _Sub()
    model.compile(optimizer=cornu.optimizers.SGD(0.1), loss="mse")
    first = {}

    class Record(cornu.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if not first:
                first["weights"] = [w.copy() for w in self.model.get_weights()]
                first["wrapped"] = self.model.__dict__.get("_data_parallel_module") is not None

    x, y = _data()
    history = model.fit(
        x, y, batch_size=4, epochs=2, shuffle=False, verbose=0, callbacks=[Record()]
    )
    again = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    losses = history.history["loss"] + again.history["loss"]
    return first["weights"], model.get_weights(), first["wrapped"], losses


def _replica(out_dir):
    cornu.distribution.set_distribution(cornu.distribution.DataParallel())
    rank = cornu.distribution.process_id()
    # Each process draws different initial weights: DDP must hand out the first process's.
    first, final, wrapped, losses = _train(seed=rank)
    np.savez(
        os.path.join(out_dir, f"rank{rank}.npz"),
        *first,
        *final,
        wrapped=np.asarray(wrapped),
        losses=np.asarray(losses),
    )


def test_first_fit_of_an_unbuilt_model_is_data_parallel(tmp_path):
    cornu.distribution.launch(_replica, 2, args=(str(tmp_path),))
    first, final, wrapped, losses = _train(seed=0)
    count = len(final)
    for rank in (0, 1):
        with np.load(tmp_path / f"rank{rank}.npz") as saved:
            assert bool(saved["wrapped"])
            for i in range(count):
                np.testing.assert_allclose(saved[f"arr_{i}"], first[i], atol=1e-6)
                np.testing.assert_allclose(saved[f"arr_{count + i}"], final[i], atol=1e-6)
            np.testing.assert_allclose(saved["losses"], losses, rtol=1e-5)
