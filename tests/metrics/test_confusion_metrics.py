"""Confusion-count metrics (TP/FP/TN/FN, Precision, Recall, X-at-Y, AUC) against Keras."""

import numpy as np
import pytest

from cornu import backend, metrics
from cornu.backend import convert_to_numpy

B, C = 8, 4


def _check_against_keras(keras, ours, theirs, batches, atol=1e-5):
    """Feeds the same batches to both metrics, comparing results after each; then resets."""
    for y_true, y_pred, sample_weight in batches:
        ours.update_state(y_true, y_pred, sample_weight=sample_weight)
        theirs.update_state(y_true, y_pred, sample_weight=sample_weight)
        expected = keras.ops.convert_to_numpy(theirs.result())
        got = convert_to_numpy(ours.result())
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=atol)
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    ours.reset_state()
    assert all(not np.any(convert_to_numpy(v.value)) for v in ours.variables)
    y_true, y_pred, sample_weight = batches[0]
    np.testing.assert_allclose(
        convert_to_numpy(ours(y_true, y_pred, sample_weight=sample_weight)),
        keras.ops.convert_to_numpy(
            theirs.__class__(**_keras_kwargs(theirs))(y_true, y_pred, sample_weight=sample_weight)
        ),
        rtol=1e-5,
        atol=atol,
    )


def _keras_kwargs(metric):
    config = metric.get_config()
    if config.get("label_weights") is not None:
        config["label_weights"] = metric.label_weights.tolist()
    return config


def _binary(rng, weighted, shape=(B, C), weight_shape=(B,)):
    y_true = rng.integers(0, 2, shape).astype("float32")
    y_pred = rng.random(shape).astype("float32")
    # Predictions exactly on thresholds and at the ends of [0, 1].
    y_pred.flat[:5] = [0.0, 0.5, 1.0, 0.25, 0.75]
    return y_true, y_pred, (rng.random(weight_shape).astype("float32") if weighted else None)


def _batches(weighted, n=3, seed=0, **kwargs):
    rng = np.random.default_rng(seed)
    return [_binary(rng, weighted, **kwargs) for _ in range(n)]


COUNT_CONFIGS = [
    {},
    {"thresholds": 0.3},
    {"thresholds": [0.1, 0.5, 0.8]},
    {"thresholds": [0, 0.5, 1]},
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("kwargs", COUNT_CONFIGS, ids=str)
@pytest.mark.parametrize(
    "name", ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"]
)
def test_counts(keras, name, kwargs, weighted):
    ours, theirs = getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    _check_against_keras(keras, ours, theirs, _batches(weighted))


PR_CONFIGS = [
    {},
    {"thresholds": [0.2, 0.6]},
    {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]},
    {"top_k": 2},
    {"class_id": 1},
    {"top_k": 2, "class_id": 2, "thresholds": 0.3},
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("kwargs", PR_CONFIGS, ids=str)
@pytest.mark.parametrize("name", ["Precision", "Recall"])
def test_precision_and_recall(keras, name, kwargs, weighted):
    ours, theirs = getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    _check_against_keras(keras, ours, theirs, _batches(weighted))


@pytest.mark.parametrize("name", ["Precision", "Recall"])
def test_labels_of_shape_batch_and_weights_of_shape_batch_1(keras, name):
    rng = np.random.default_rng(1)
    batches = [
        (rng.integers(0, 2, B), rng.random((B, 1)).astype("float32"), rng.random((B, 1)))
        for _ in range(2)
    ]
    _check_against_keras(keras, getattr(metrics, name)(), getattr(keras.metrics, name)(), batches)


AT_CASES = [
    ("PrecisionAtRecall", "recall"),
    ("RecallAtPrecision", "precision"),
    ("SensitivityAtSpecificity", "specificity"),
    ("SpecificityAtSensitivity", "sensitivity"),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(
    "extra", [{}, {"num_thresholds": 1}, {"num_thresholds": 7, "class_id": 2}], ids=str
)
@pytest.mark.parametrize("name,arg", AT_CASES)
def test_x_at_y(keras, name, arg, extra, weighted):
    kwargs = {arg: 0.6, **extra}
    ours, theirs = getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    _check_against_keras(keras, ours, theirs, _batches(weighted))


AUC_CONFIGS = [
    {},
    {"curve": "PR"},
    {"curve": "pr", "summation_method": "minoring"},
    {"summation_method": "majoring"},
    {"curve": "PRGAIN"},
    {"num_thresholds": 13, "from_logits": True},
    {"thresholds": [0.3, 0.5, 0.9]},
    {"thresholds": [0.25, 0.5, 0.75]},
    {"label_weights": [1.0, 2.0, 3.0, 0.5]},
    {"multi_label": True},
    {"multi_label": True, "curve": "PR"},
    {"multi_label": True, "num_labels": C, "label_weights": [1.0, 2.0, 3.0, 0.5]},
    {"multi_label": True, "thresholds": [0.3, 0.5, 0.9], "summation_method": "minoring"},
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("kwargs", AUC_CONFIGS, ids=str)
def test_auc(keras, kwargs, weighted):
    batches = _batches(weighted)
    if kwargs.get("from_logits"):
        batches = [(t, (p - 0.5) * 6, w) for t, p, w in batches]
    ours, theirs = metrics.AUC(**kwargs), keras.metrics.AUC(**kwargs)
    _check_against_keras(keras, ours, theirs, batches, atol=1e-4)


def test_auc_of_perfect_and_reversed_predictions():
    y_true = np.array([0, 0, 1, 1])
    scores = np.array([0.1, 0.4, 0.6, 0.9], dtype="float32")
    assert float(convert_to_numpy(metrics.AUC()(y_true, scores))) == pytest.approx(1.0)
    assert float(convert_to_numpy(metrics.AUC()(y_true, 1 - scores))) == pytest.approx(0.0)


def test_known_values():
    # Keras's documented examples.
    precision = metrics.Precision()
    precision.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert float(convert_to_numpy(precision.result())) == pytest.approx(2 / 3)
    recall = metrics.Recall(top_k=1)
    recall.update_state([0, 0, 1, 1], [1, 0, 1, 1])
    # top_k among ties: jax keeps the first tied entry (a negative here; Keras-JAX also
    # gives 0.0), torch's topk one of the positives.
    expected = 0.0 if backend.backend() == "jax" else 0.5
    assert float(convert_to_numpy(recall.result())) == pytest.approx(expected)
    auc = metrics.AUC(num_thresholds=3)
    auc.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    assert float(convert_to_numpy(auc.result())) == pytest.approx(0.75)


def test_results_do_not_change_with_later_updates():
    count = metrics.TruePositives()
    count.update_state([1, 1], [0.9, 0.8])
    first = count.result()
    count.update_state([1], [0.9])
    assert float(convert_to_numpy(first)) == 2.0


@pytest.mark.backends("torch")  # torch's meta device
def test_updates_never_sync_with_the_host():
    """Meta tensors hold no data: any read back to the host (item, bool, numpy) would fail."""
    y_true, y_pred, weights = _binary(np.random.default_rng(2), True)
    with backend.device_scope("meta"):
        cases = [
            metrics.TruePositives(thresholds=[0.2, 0.7]),
            metrics.Precision(top_k=2),
            metrics.Recall(thresholds=[0.0, 0.5, 1.0], class_id=1),
            metrics.SensitivityAtSpecificity(0.5),
            metrics.RecallAtPrecision(0.5, num_thresholds=1),
            metrics.AUC(),
            metrics.AUC(multi_label=True, curve="PR"),
            metrics.AUC(thresholds=[0.1, 0.2], label_weights=[1, 2, 3, 4]),
        ]
        for metric in cases:
            for sample_weight in (None, weights):
                metric.update_state(y_true, y_pred, sample_weight=sample_weight)
            assert metric.result().device.type == "meta"
            assert all(v.value.device.type == "meta" for v in metric.variables)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\].*thresholds="):
        metrics.Precision(thresholds=1.5)
    with pytest.raises(ValueError, match="thresholds="):
        metrics.TruePositives(thresholds=[0.2, -0.1])
    with pytest.raises(ValueError, match="num_thresholds=1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="`curve`.*'ROCK'"):
        metrics.AUC(curve="ROCK")
    with pytest.raises(ValueError, match="`summation_method`.*'mean'"):
        metrics.AUC(summation_method="mean")
    with pytest.raises(ValueError, match="`num_labels` is needed only when `multi_label`"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="`specificity`.*specificity=1.5"):
        metrics.SensitivityAtSpecificity(1.5)
    with pytest.raises(ValueError, match="`recall`.*recall=-0.1"):
        metrics.PrecisionAtRecall(-0.1)
    with pytest.raises(ValueError, match="num_thresholds=0"):
        metrics.RecallAtPrecision(0.5, num_thresholds=0)
    with pytest.raises(ValueError, match="class_id"):
        metrics.Precision(class_id=1).update_state(np.ones(3), np.ones(3))


CONFIG_CASES = [
    ("TruePositives", {"thresholds": [0.2, 0.4]}),
    ("FalseNegatives", {"name": "fn"}),
    ("Precision", {"thresholds": 0.3, "class_id": 1}),
    ("Recall", {"top_k": 3}),
    ("PrecisionAtRecall", {"recall": 0.4, "num_thresholds": 50}),
    ("RecallAtPrecision", {"precision": 0.7, "class_id": 0}),
    ("SensitivityAtSpecificity", {"specificity": 0.2}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.9}),
    ("AUC", {"curve": "PR", "summation_method": "majoring", "from_logits": True}),
    ("AUC", {"thresholds": [0.5, 0.2], "multi_label": True, "num_labels": 3}),
    ("AUC", {"label_weights": [0.5, 1.5]}),
]


@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=[n for n, _ in CONFIG_CASES])
def test_configs_match_keras(keras, name, kwargs):
    kwargs = {"name": "m", **kwargs}  # Keras numbers default names across tests
    metric = getattr(metrics, name)(**kwargs)
    config = metric.get_config()
    theirs = getattr(keras.metrics, name)(**kwargs).get_config()
    if theirs.get("label_weights") is not None:
        theirs["label_weights"] = theirs["label_weights"].tolist()  # a tensor in Keras
    assert config == theirs
    rebuilt = metrics.deserialize(metrics.serialize(metric))
    assert type(rebuilt) is type(metric) and rebuilt.get_config() == config
