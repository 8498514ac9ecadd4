import numpy as np
import pytest

from cornu import backend, optimizers
from cornu.optimizers import schedules

STEPS = [0, 1, 2, 3, 5, 8, 13, 21, 40]
CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5}),
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5, "staircase": True},
    ),
    ("PiecewiseConstantDecay", {"boundaries": [2, 5, 13], "values": [1.0, 0.5, 0.1, 0.01]}),
    ("PiecewiseConstantDecay", {"boundaries": [3], "values": [0.2, 0.02]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10}),
    (
        "PolynomialDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 4,
            "end_learning_rate": 0.01,
            "power": 2.0,
            "cycle": True,
        },
    ),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5}),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 1.0, "staircase": True},
    ),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "alpha": 0.1}),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 20,
            "warmup_target": 0.3,
            "warmup_steps": 5,
            "alpha": 0.05,
        },
    ),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 4}),
    (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.1, "first_decay_steps": 3, "t_mul": 1.0, "m_mul": 0.5},
    ),
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 3,
            "t_mul": 1.5,
            "m_mul": 0.8,
            "alpha": 0.1,
        },
    ),
]


@pytest.mark.parametrize("name, config", CASES, ids=lambda x: str(x))
def test_values_match_keras(keras, name, config):
    ours = getattr(schedules, name)(**config)
    theirs = getattr(keras.optimizers.schedules, name)(**config)
    for step in STEPS:
        mine = ours(backend.convert_to_tensor(np.int32(step)))
        expected = theirs(keras.ops.convert_to_tensor(np.int32(step)))
        np.testing.assert_allclose(
            backend.convert_to_numpy(mine),
            keras.ops.convert_to_numpy(expected),
            rtol=1e-6,
            atol=1e-7,
            err_msg=f"step {step}",
        )


@pytest.mark.parametrize("name, config", CASES, ids=lambda x: str(x))
def test_serialization_matches_keras(keras, name, config):
    ours = getattr(schedules, name)(**config)
    serialized = schedules.serialize(ours)
    assert serialized == keras.optimizers.schedules.serialize(
        getattr(keras.optimizers.schedules, name)(**config)
    )
    clone = schedules.deserialize(serialized)
    assert type(clone) is type(ours)
    assert clone.get_config() == ours.get_config()
    assert type(getattr(schedules, name).from_config(ours.get_config())) is type(ours)


def test_known_values():
    decay = schedules.ExponentialDecay(1.0, decay_steps=2, decay_rate=0.25)
    np.testing.assert_allclose(float(decay(4)), 0.0625, rtol=1e-6)
    piecewise = schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [float(piecewise(s)) for s in (10, 11, 20, 21)] == [1.0, 0.5, 0.5, pytest.approx(0.1)]
    cosine = schedules.CosineDecay(1.0, decay_steps=10, warmup_target=2.0, warmup_steps=10)
    np.testing.assert_allclose(
        [float(cosine(s)) for s in (5, 10, 15, 20, 30)], [1.5, 2.0, 1.0, 0.0, 0.0], atol=1e-6
    )


def test_custom_schedule_in_an_optimizer_round_trips():
    class Halving(schedules.LearningRateSchedule):
        def __init__(self, start):
            self.start = start

        def __call__(self, step):
            return self.start * 0.5 ** float(step)

        def get_config(self):
            return {"start": self.start}

    w = backend.Variable(np.zeros(1, "float32"))
    opt = optimizers.SGD(learning_rate=Halving(1.0))
    for _ in range(3):
        opt.apply([backend.convert_to_tensor(np.ones(1, "float32"))], [w])
    np.testing.assert_allclose(w.numpy(), [-1.75])
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "Halving"
    clone = optimizers.SGD.from_config(config, custom_objects={"Halving": Halving})
    assert isinstance(clone._learning_rate, Halving)
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'Halving'"):
        optimizers.SGD.from_config(config)


def test_schedule_learning_rate_is_not_settable_to_a_number():
    opt = optimizers.Adam(learning_rate=schedules.InverseTimeDecay(0.1, 1, 1.0))
    with pytest.raises(TypeError, match="LearningRateSchedule.*not settable"):
        opt.learning_rate = 0.01
    opt.learning_rate = schedules.ExponentialDecay(0.5, 1, 0.5)
    assert float(opt.learning_rate) == 0.5


def test_errors():
    with pytest.raises(ValueError, match="`decay_steps` must be > 0"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="`decay_steps` must be > 0"):
        schedules.CosineDecay(0.1, -1)
    with pytest.raises(ValueError, match="`first_decay_steps` must be > 0"):
        schedules.CosineDecayRestarts(0.1, 0)
    with pytest.raises(ValueError, match="1 less than the length of values"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    with pytest.raises(NotImplementedError, match="must override `__call__"):
        schedules.LearningRateSchedule()(0)
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'CosineDekay'. Did"):
        schedules.deserialize({"class_name": "CosineDekay", "config": {}})
