"""ConvLSTM1D/2D/3D: Keras's numbers, shapes, masks, config."""

import numpy as np
import pytest

from cornu import layers, ops
from cornu.backend import tree
from cornu.core.config import backend

CASES = [
    (1, (2, 4, 7, 3), {"filters": 2, "kernel_size": 3}),
    (1, (2, 4, 9, 3), {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "use_bias": False}),
    (
        2,
        (2, 3, 6, 5, 2),
        {
            "filters": 3,
            "kernel_size": (3, 2),
            "padding": "same",
            "return_sequences": True,
            "return_state": True,
        },
    ),
    (2, (2, 3, 7, 7, 2), {"filters": 2, "kernel_size": 3, "strides": 2, "go_backwards": True}),
    (
        2,
        (2, 3, 2, 6, 5),
        {"filters": 2, "kernel_size": 3, "data_format": "channels_first", "return_sequences": True},
    ),
    (3, (2, 2, 4, 4, 4, 2), {"filters": 2, "kernel_size": 2}),
]


def _last_step_masked(keras, theirs, x, kwargs):
    """Keras's outputs when the last step of the second sequence is masked, built from
    unmasked calls: that sequence runs as if it ended one step earlier, and a returned
    sequence repeats its last output at the masked step."""
    assert not (kwargs.get("go_backwards") and kwargs.get("return_sequences"))
    full = [np.asarray(keras.ops.convert_to_numpy(t)) for t in keras.tree.flatten(theirs(x))]
    short = [
        np.asarray(keras.ops.convert_to_numpy(t)) for t in keras.tree.flatten(theirs(x[:, :-1]))
    ]
    expected = []
    for index, (whole, cut) in enumerate(zip(full, short)):
        whole = whole.copy()
        if index == 0 and kwargs.get("return_sequences"):
            whole[1, :-1] = cut[1]
            whole[1, -1] = cut[1, -1]
        else:
            whole[1] = cut[1]
        expected.append(whole)
    return expected


@pytest.mark.parametrize("rank, shape, kwargs", CASES)
def test_same_numbers_shapes_and_config_as_keras(keras, rnn_helpers, rank, shape, kwargs):
    x = rnn_helpers.inputs(shape)
    theirs = getattr(keras.layers, f"ConvLSTM{rank}D")(**kwargs)
    ours = getattr(layers, f"ConvLSTM{rank}D")(**kwargs)
    rnn_helpers.share(theirs, ours, x, scale=0.3)
    rnn_helpers.assert_same(keras, ours(x), theirs(x))
    mask = np.ones(shape[:2], bool)
    mask[1, -1] = False
    expected = _last_step_masked(keras, theirs, x, kwargs)
    if backend() == "jax":
        # Keras-JAX's rnn cannot broadcast a mask over ConvLSTM's (batch, *spatial, filters)
        # states ("Incompatible shapes for broadcasting"): compare with the unmasked build.
        got = rnn_helpers.to_numpy(ours(x, mask=mask))
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            np.testing.assert_allclose(a, b, atol=1e-5, rtol=1e-5)
    else:
        theirs_masked = theirs(x, mask=mask)
        rnn_helpers.assert_same(keras, ours(x, mask=mask), theirs_masked)
        rnn_helpers.assert_same(keras, expected, theirs_masked)
    symbolic = tree.flatten(ours(layers.Input(shape[1:])))
    expected = keras.tree.flatten(theirs(keras.Input(shape[1:])))
    assert [tuple(t.shape) for t in symbolic] == [tuple(t.shape) for t in expected]
    config = ours.get_config()
    reference = theirs.get_config()
    assert set(config) == set(reference)
    for key in ("filters", "kernel_size", "strides", "padding", "dilation_rate"):
        assert tuple(np.atleast_1d(config[key])) == tuple(np.atleast_1d(reference[key]))
    clone = type(ours).from_config(config)
    assert clone.get_config() == config


def test_weights_initial_state_and_errors(rnn_helpers):
    layer = layers.ConvLSTM2D(4, 3, padding="same", return_state=True)
    x = rnn_helpers.inputs((2, 3, 5, 5, 2))
    out, h, c = layer(x)
    assert [w.shape for w in layer.weights] == [(3, 3, 2, 16), (3, 3, 4, 16), (16,)]
    assert tuple(out.shape) == tuple(h.shape) == tuple(c.shape) == (2, 5, 5, 4)
    out2, _, _ = layer(x, initial_state=[h, c])
    assert not np.allclose(ops.convert_to_numpy(out2), ops.convert_to_numpy(out))
    with pytest.raises(ValueError, match=r"initial state.*\(2, 5, 5, 4\).*\(2, 5, 5, 3\)"):
        layer(x, initial_state=[h, np.zeros((2, 5, 5, 3), "float32")])
    with pytest.raises(ValueError, match="ndim=5"):
        layer(rnn_helpers.inputs((2, 3, 5, 2)))
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.ConvLSTM1D(2, 3, strides=2, dilation_rate=2)
