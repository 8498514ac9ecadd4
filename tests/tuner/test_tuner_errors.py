"""Bad input to a search gets a clear message: a hyperparameter defined twice, an objective no
trial reports, an empty search space, a model-building function that raises (failed trials
are recorded and reported; the search stops after max_consecutive_failed_trials), and more."""

import pytest
from toys import ScoreModel, regression_data, tiny_model

from cornu import tuner as kt
from cornu.tuner.objective import create_objective


def test_objective_direction_is_inferred_as_keras_tuner_does():
    assert create_objective("val_accuracy").direction == "max"
    assert create_objective("val_loss").direction == "min"
    assert create_objective("mean_squared_error").direction == "min"
    assert create_objective("val_auc").direction == "max"
    assert create_objective(None) == kt.Objective("val_loss", "min")
    assert str(kt.Objective("acc", "max")) == 'Objective(name="acc", direction="max")'


def test_unknown_objective_direction_asks_for_an_objective():
    with pytest.raises(ValueError, match=r'Could not infer optimization direction .* "widgets"'):
        kt.RandomSearch(lambda hp: None, objective="widgets")
    with pytest.raises(ValueError, match="`direction` must be 'min' or 'max'"):
        kt.Objective("score", "up")
    with pytest.raises(TypeError, match="`objective` not understood"):
        kt.RandomSearch(lambda hp: None, objective=3)


def test_objective_no_trial_reports_lists_the_metrics_that_exist(tmp_path):
    x, y = regression_data()
    tuner = kt.RandomSearch(
        lambda hp: tiny_model(learning_rate=hp.Float("lr", 0.01, 0.1)),
        objective="val_accuracy",
        max_trials=2,
        directory=tmp_path,
    )
    with pytest.raises(
        ValueError,
        match=r"'val_accuracy' is not among the metrics the trial "
        r"reported: \['loss', 'val_loss'\]",
    ):
        tuner.search(x, y, epochs=1, validation_split=0.25, verbose=0)


def test_hyperparameter_defined_twice_with_different_ranges(tmp_path):
    def build(hp):
        hp.Int("units", 1, 4)
        hp.Int("units", 1, 8)
        return tiny_model()

    with pytest.raises(ValueError, match="'units' is defined twice with different settings"):
        kt.RandomSearch(build, directory=tmp_path)


def test_empty_search_space(tmp_path):
    tuner = kt.RandomSearch(lambda hp: tiny_model(), directory=tmp_path)
    with pytest.raises(ValueError, match="The search space is empty"):
        tuner.search(verbose=0)


def test_failing_builds_are_recorded_and_the_search_goes_on(tmp_path, capsys):
    def build(hp):
        if hp.Int("a", 0, 3) == 1:
            raise RuntimeError("planted failure")
        return tiny_model()

    hypermodel = ScoreModel(lambda hp: None, lambda v: float(v["a"]))
    hypermodel.build = build
    tuner = kt.GridSearch(hypermodel, objective=kt.Objective("score", "min"), directory=tmp_path)
    tuner.search()
    statuses = {t.hyperparameters["a"]: t.status for t in tuner.oracle.trials.values()}
    assert statuses == {0: "COMPLETED", 1: "FAILED", 2: "COMPLETED", 3: "COMPLETED"}
    failed = [t for t in tuner.oracle.trials.values() if t.status == "FAILED"][0]
    assert "RuntimeError: planted failure" in failed.message
    assert "Trial 01 failed: RuntimeError('planted failure')" in capsys.readouterr().err
    tuner.results_summary()
    assert "1 trial(s) failed: 01" in capsys.readouterr().out


def test_consecutive_failures_stop_the_search(tmp_path):
    def build(hp):
        if hp.Int("a", 0, 9) > 0:
            raise RuntimeError("broken builder")
        return tiny_model()

    hypermodel = ScoreModel(lambda hp: None, lambda v: 1.0)
    hypermodel.build = build
    tuner = kt.GridSearch(
        hypermodel,
        objective=kt.Objective("score", "min"),
        max_consecutive_failed_trials=2,
        directory=tmp_path,
    )
    with pytest.raises(RuntimeError, match=r"consecutive failures exceeded the limit of 2"):
        tuner.search(verbose=0)
    assert len(tuner.oracle.trials) == 3


def test_bad_tuner_arguments(tmp_path):
    with pytest.raises(TypeError, match="The `hypermodel` argument should be"):
        kt.RandomSearch(hypermodel=3, directory=tmp_path)
    with pytest.raises(ValueError, match="`max_trials` must be a positive int"):
        kt.RandomSearch(lambda hp: tiny_model(), max_trials=0, directory=tmp_path)
    with pytest.raises(ValueError, match="`executions_per_trial` must be a positive int"):
        kt.RandomSearch(lambda hp: tiny_model(), executions_per_trial=0, directory=tmp_path)
    with pytest.raises(TypeError, match=r"Unrecognized arguments for RandomSearch: \['epochs'\]"):
        kt.RandomSearch(lambda hp: tiny_model(), epochs=3, directory=tmp_path)


def test_build_must_return_a_model(tmp_path):
    hypermodel = ScoreModel(lambda hp: hp.Int("a", 0, 1), lambda v: 1.0)
    hypermodel.build = lambda hp: hp.Int("a", 0, 1) and None
    tuner = kt.GridSearch(
        hypermodel,
        objective=kt.Objective("score", "min"),
        max_consecutive_failed_trials=1,
        directory=tmp_path,
    )
    with pytest.raises(RuntimeError, match="must return a cornu `Model`"):
        tuner.search(verbose=0)


def test_best_model_without_saved_weights_says_why(tmp_path):
    tuner = kt.RandomSearch(
        ScoreModel(lambda hp: hp.Int("a", 0, 3), lambda v: 1.0),
        objective=kt.Objective("score", "min"),
        max_trials=1,
        directory=tmp_path,
    )
    tuner.search(verbose=0)
    with pytest.raises(FileNotFoundError, match="saved no weights"):
        tuner.get_best_models()


def test_keras_tuner_module_names_are_reachable():
    import cornu

    assert cornu.tuner.oracles.BayesianOptimizationOracle is kt.BayesianOptimizationOracle
    assert cornu.tuner.tuners.Hyperband is kt.Hyperband
