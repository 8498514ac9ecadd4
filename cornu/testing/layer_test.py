"""run_layer_test: the checks every layer must pass, in one call."""

import numpy as np

from cornu import core, ops
from cornu.layers.core.input_layer import Input


def run_layer_test(
    layer_cls,
    init_kwargs=None,
    input_shape=None,
    input_data=None,
    expected_output_shape=None,
    expected_output=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    supports_masking=None,
    run_training_check=True,
    atol=1e-6,
):
    """Builds ``layer_cls(**init_kwargs)`` and checks it eagerly and symbolically.

    Checks: the output shape of an eager call and of a symbolic call (batch axis unknown),
    the output values when ``expected_output`` is given, the weight counts, the config round
    trip (``from_config(get_config())`` gives an equal config and the same outputs once the
    weights are copied), ``supports_masking``, and that a training-mode call gives outputs of
    the same shape.
    """
    init_kwargs = init_kwargs or {}
    if input_data is None:
        input_data = np.random.RandomState(0).standard_normal(input_shape).astype("float32")
    input_shape = tuple(np.shape(input_data))
    layer = layer_cls(**init_kwargs)
    output = ops.convert_to_numpy(layer(input_data))
    if expected_output_shape is not None:
        assert output.shape == tuple(expected_output_shape), (
            f"eager output shape {output.shape} != {tuple(expected_output_shape)}"
        )
    if expected_output is not None:
        np.testing.assert_allclose(output, expected_output, atol=atol, rtol=atol)
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking

    symbolic_layer = layer_cls(**init_kwargs)
    symbolic = symbolic_layer(Input(batch_shape=(None,) + input_shape[1:]))
    expected_symbolic = (None,) + tuple(output.shape[1:])
    assert tuple(symbolic.shape) == expected_symbolic, (
        f"symbolic output shape {symbolic.shape} != {expected_symbolic}"
    )

    config = layer.get_config()
    clone = layer_cls.from_config(config)
    clone_config = clone.get_config()
    config.pop("name"), clone_config.pop("name")
    assert clone_config == config, f"config round trip changed: {config} -> {clone_config}"
    clone(input_data)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(
        ops.convert_to_numpy(clone(input_data)), output, atol=atol, rtol=atol
    )

    if run_training_check:
        trained = ops.convert_to_numpy(layer(input_data, training=True))
        assert trained.shape == output.shape
    # The dtype the backend stores for the compute dtype (int64 is int32 on JAX without x64).
    stored = layer.compute_dtype
    if stored in ("int64", "uint64", "float64", "complex128"):
        stored = core.standardize_dtype(ops.zeros((), stored).dtype)
    assert core.standardize_dtype(layer(input_data).dtype) == stored
    return layer
