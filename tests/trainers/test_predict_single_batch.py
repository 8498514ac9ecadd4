"""predict on one batch takes the short path (no adapter, callbacks or progress bar) and
gives what the full loop gives."""

import numpy as np

import cornu


def _model():
    return cornu.Sequential(
        [cornu.Input((4,)), cornu.layers.Dense(3, activation="softmax"), cornu.layers.Dense(2)]
    )


def test_one_batch_equals_the_full_loop(capsys):
    model = _model()
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    short = model.predict(x)
    assert capsys.readouterr().out == ""  # no progress bar for a single batch
    full = model.predict(x, batch_size=2, verbose=0)
    np.testing.assert_allclose(short, full, rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x), full, rtol=1e-6)
    assert short.dtype == np.float32 and short.shape == (5, 2)


def test_float64_is_cast_as_fit_casts_it():
    model = _model()
    x = np.ones((2, 4))
    out = model.predict(x, verbose=0)
    assert out.dtype == np.float32
    np.testing.assert_allclose(model.predict_on_batch(x), out)


def test_more_than_one_batch_and_callbacks_keep_the_full_loop():
    model = _model()
    seen = []

    class Count(cornu.callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            seen.append(batch)

    model.predict(np.ones((3, 4)), verbose=0, callbacks=[Count()])
    assert seen == [0]
    assert model.predict(np.ones((70, 4)), verbose=0).shape == (70, 2)
