"""Log names and values of compiled metrics and per-output losses, against Keras."""

import numpy as np
import pytest
from oracle import keras_difference

import cornu


def _two_output_models(keras):
    out = []
    for lib in (cornu, keras):
        inputs = lib.Input((3,), name="features")
        hidden = lib.layers.Dense(4, activation="tanh", name="hidden")(inputs)
        first = lib.layers.Dense(1, name="first")(hidden)
        second = lib.layers.Dense(2, activation="softmax", name="second")(hidden)
        out.append(lib.Model(inputs, [first, second]))
    out[0].set_weights(out[1].get_weights())
    return out


def _data(n=10):
    rng = np.random.RandomState(3)
    x = rng.standard_normal((n, 3)).astype("float32")
    y1 = rng.standard_normal((n, 1)).astype("float32")
    y2 = rng.randint(0, 2, size=(n,))
    sw = rng.uniform(0.5, 2.0, size=(n,)).astype("float32")
    return x, [y1, y2], sw


@pytest.mark.parametrize(
    "metrics,weighted",
    [
        (["mae", "accuracy"], ["mae", "accuracy"]),
        ([["mse", "mae", "mse"], ["accuracy"]], [None, "accuracy"]),
        ([["mae"], ["accuracy"]], None),
        ({"first": ["mse"], "second": ["accuracy", "accuracy"]}, {"second": ["accuracy"]}),
    ],
)
def test_log_names_and_values_match_keras(keras, metrics, weighted):
    ours, theirs = _two_output_models(keras)
    x, y, sw = _data()
    for model in (ours, theirs):
        model.compile(
            optimizer="sgd",
            loss=["mse", "sparse_categorical_crossentropy"],
            loss_weights=[0.5, 2.0],
            metrics=metrics,
            weighted_metrics=weighted,
        )
    # batch_size 4 on 10 samples: the last batch is partial, so per-output losses must be
    # weighted by batch size as Keras does.
    ours_logs = ours.evaluate(x, y, sample_weight=sw, batch_size=4, verbose=0, return_dict=True)
    theirs_logs = theirs.evaluate(x, y, sample_weight=sw, batch_size=4, verbose=0, return_dict=True)
    assert sorted(ours_logs) == sorted(theirs_logs)
    # Keras on tensorflow averages the per-output losses otherwise over a partial last batch
    # (tests/keras_differences.py); the total loss and the metrics still agree there.
    differs = keras_difference("Model.evaluate:output_losses", (), {"partial_batch": True})
    for key, value in theirs_logs.items():
        if differs and key.endswith("_loss") and key != "loss":
            continue
        np.testing.assert_allclose(ours_logs[key], value, rtol=1e-5, atol=1e-6, err_msg=key)


def test_single_output_duplicate_and_weighted_names_match_keras(keras):
    x, y, sw = _data()
    logs = []
    for lib in (cornu, keras):
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
        model.compile(
            optimizer="sgd", loss="mse", metrics=["mae", "mae"], weighted_metrics=["mae", "mse"]
        )
        history = model.fit(x, y[0], sample_weight=sw, batch_size=4, epochs=1, verbose=0)
        logs.append(sorted(history.history))
    assert logs[0] == logs[1]


def test_a_metrics_list_of_the_wrong_length_for_several_outputs_is_refused(keras):
    ours, theirs = _two_output_models(keras)
    x, y, _ = _data()
    for model in (ours, theirs):
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        with pytest.raises(ValueError, match="metrics"):
            model.evaluate(x, [y[0], y[0]], verbose=0)
