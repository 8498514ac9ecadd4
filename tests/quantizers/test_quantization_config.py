"""Quantization configs and ``cornu.quantizers.get/serialize/deserialize``: the configs Keras
writes, their checks, and the resolution of ``quantize(mode, config)`` arguments."""

import pytest

from cornu import quantizers
from cornu.quantizers.quantization_config import validate_and_resolve_config


@pytest.mark.parametrize(
    "make",
    [
        lambda q: q.Int8QuantizationConfig(),
        lambda q: q.Int8QuantizationConfig(activation_quantizer=None),
        lambda q: q.Int4QuantizationConfig(),
        lambda q: q.Int4QuantizationConfig(
            weight_quantizer=q.AbsMaxQuantizer(axis=0, value_range=(-8, 7)), block_size=None
        ),
        lambda q: q.Float8QuantizationConfig(),
        lambda q: q.AbsMaxQuantizer(axis=(0, 1), value_range=(-100, 100)),
    ],
)
def test_configs_serialize_as_keras_and_round_trip(keras, make):
    ours, theirs = make(quantizers), make(keras.quantizers)
    # As JSON has them: tuples become lists.
    ours_config = _tuples_as_lists(quantizers.serialize(ours))
    assert ours_config == _tuples_as_lists(keras.quantizers.serialize(theirs))
    again = quantizers.deserialize(ours_config)
    assert type(again) is type(ours)
    assert _tuples_as_lists(quantizers.serialize(again)) == ours_config
    if getattr(ours, "weight_quantizer", None) is None:
        # (Keras cannot read back an int4 weight quantizer: its value_range is then a list.)
        back = keras.quantizers.deserialize(ours_config)
        assert type(back).__name__ == type(ours).__name__


def _tuples_as_lists(value):
    if isinstance(value, dict):
        return {k: _tuples_as_lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tuples_as_lists(v) for v in value]
    return value


def test_get():
    assert quantizers.get(None) is None
    quantizer = quantizers.AbsMaxQuantizer()
    assert quantizers.get(quantizer) is quantizer
    assert isinstance(quantizers.get("AbsMaxQuantizer", axis=0), quantizers.AbsMaxQuantizer)
    assert quantizers.get("abs_max_quantizer", axis=1).axis == (1,)
    assert isinstance(quantizers.get(quantizers.serialize(quantizer)), quantizers.AbsMaxQuantizer)
    with pytest.raises(ValueError, match="Could not interpret quantizer identifier: nope"):
        quantizers.get("nope")


def test_config_checks_match_keras(keras):
    cases = [
        lambda q: q.Int8QuantizationConfig(
            weight_quantizer=q.AbsMaxQuantizer(output_dtype="int16", value_range=(-8, 7))
        ),
        lambda q: q.Int4QuantizationConfig(block_size=0),
        lambda q: q.Int4QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(), block_size=64),
        lambda q: q.Int4QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(), block_size=-1),
    ]
    for make in cases:
        with pytest.raises(ValueError) as theirs:
            make(keras.quantizers)
        with pytest.raises(ValueError) as ours:
            make(quantizers)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(NotImplementedError, match="Do not instantiate QuantizationConfig"):
        _ = quantizers.QuantizationConfig().mode


def test_resolving_quantize_arguments():
    assert type(validate_and_resolve_config("int8", None)) is quantizers.Int8QuantizationConfig
    assert validate_and_resolve_config("int4", None).block_size == 128
    assert validate_and_resolve_config(None, "float8").mode == "float8"
    config = quantizers.Int4QuantizationConfig(block_size=32)
    assert validate_and_resolve_config(None, config) is config
    with pytest.raises(ValueError, match="You must provide either `mode` or `config`"):
        validate_and_resolve_config(None, None)
    with pytest.raises(ValueError, match="Contradictory arguments: mode='int8' but config.mode"):
        validate_and_resolve_config("int8", config)
    with pytest.raises(ValueError, match="must be an instance of `QuantizationConfig`"):
        validate_and_resolve_config("int8", {"mode": "int8"})
    with pytest.raises(ValueError, match=r"Expected one of \('int8', 'float8', 'int4'\)"):
        validate_and_resolve_config("int2", None)
    with pytest.raises(ValueError, match="'gptq' .* is not available in cornu"):
        validate_and_resolve_config("gptq", None)
