"""Muon against Keras: the Newton-Schulz step on 2D weights, AdamW on the others, the
exclusions and the two weight decays."""

import numpy as np
import pytest

from cornu import backend, layers, optimizers

SHAPES = {"bias": (3,), "kernel": (2, 4), "tall": (5, 3), "conv": (2, 2, 3)}

CONFIGS = [
    {},
    {"learning_rate": 0.05},
    {"learning_rate": 0.05, "nesterov": False, "momentum": 0.8},
    {"learning_rate": 0.05, "rms_rate": None, "ns_steps": 3},
    {"learning_rate": 0.05, "adam_lr_ratio": 0.1, "adam_beta_1": 0.5, "epsilon": 1e-3},
    {"learning_rate": 0.05, "weight_decay": 0.3, "adam_weight_decay": None},
    {"learning_rate": 0.05, "weight_decay": None, "adam_weight_decay": 0.5},
    {"learning_rate": 0.05, "exclude_layers": ["tall"]},
    {"learning_rate": 0.05, "muon_a": 2.0, "muon_b": -1.5, "muon_c": 0.5},
]


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_matches_keras(keras, compare_with_keras, config):
    compare_with_keras(
        optimizers.Muon(**config), keras.optimizers.Muon(**config), steps=4, shapes=SHAPES
    )


def test_which_weights_take_the_adamw_step():
    opt = optimizers.Muon(exclude_layers=["head/"])
    embedding = layers.Embedding(5, 2)
    embedding.build((None, 3))
    head = layers.Dense(2, name="head")
    head.build((None, 4))
    variables = {
        "bias": backend.Variable(np.zeros(3, "float32"), name="bias"),
        "kernel": backend.Variable(np.zeros((2, 4), "float32"), name="kernel"),
        "conv": backend.Variable(np.zeros((2, 2, 3), "float32"), name="conv"),
        "embedding": embedding.embeddings,
        "head": head.kernel,
    }
    adamw = {name for name, v in variables.items() if opt._should_use_adamw(v)}
    assert adamw == {"bias", "conv", "embedding", "head"}
    keep = optimizers.Muon(exclude_embeddings=False)
    assert not keep._should_use_adamw(variables["embedding"])
    # Only the AdamW weights have a velocity slot, right after their momentum.
    keep.build(list(variables.values()))
    names = [v.name for v in keep.variables[2:]]
    assert names == [
        "bias_momentum",
        "bias_velocity",
        "kernel_momentum",
        "conv_momentum",
        "conv_velocity",
        "embedding_embeddings_momentum",
        "head_kernel_momentum",
    ]


def test_newton_schulz_orthogonalizes(keras):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 3)).astype("float32")
    ours = optimizers.Muon().zeropower_via_newtonschulz5(backend.convert_to_tensor(x), 5)
    theirs = keras.optimizers.Muon().zeropower_via_newtonschulz5(keras.ops.convert_to_tensor(x), 5)
    ours = backend.convert_to_numpy(ours)
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(theirs), atol=1e-5)
    # The singular values land near 1 (the quintic iteration leaves them in about [0.7, 1.2]).
    singular = np.linalg.svd(ours, compute_uv=False)
    assert np.all((singular > 0.6) & (singular < 1.3))


def test_newton_schulz_needs_a_matrix():
    with pytest.raises(ValueError, match="at least 2 dimensions. Received: shape=\\(3,\\)"):
        optimizers.Muon().zeropower_via_newtonschulz5(backend.convert_to_tensor([1.0, 2, 3]), 5)


def test_config_matches_keras(keras):
    config = optimizers.Muon(exclude_layers=["out"], rms_rate=None).get_config()
    theirs = keras.optimizers.Muon(exclude_layers=["out"], rms_rate=None).get_config()
    assert config.pop("name") == "muon"
    theirs.pop("name")
    assert config == theirs
    clone = optimizers.get({"class_name": "Muon", "config": config})
    assert isinstance(clone, optimizers.Muon)
    assert clone.get_config() == {**config, "name": clone.name}
