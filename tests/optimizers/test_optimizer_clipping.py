import numpy as np

from cornu import backend
from cornu.optimizers import clipping


def _tensors(*arrays):
    return [backend.convert_to_tensor(np.asarray(a, "float32")) for a in arrays]


def _numpy(tensors):
    return [backend.convert_to_numpy(t) for t in tensors]


def test_clip_by_norm_clips_each_tensor_alone():
    grads = _tensors([3.0, 4.0], [0.3, 0.4], [0.0, 0.0])
    out = _numpy(clipping.clip_by_norm(grads, 1.0))
    np.testing.assert_allclose(out[0], [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(out[1], [0.3, 0.4], rtol=1e-6)
    np.testing.assert_allclose(out[2], [0.0, 0.0])
    np.testing.assert_allclose(_numpy(grads)[0], [3.0, 4.0])  # inputs are kept


def test_clip_by_global_norm_scales_all_together():
    grads = _tensors([3.0], [4.0])
    out = _numpy(clipping.clip_by_global_norm(grads, 1.0))
    np.testing.assert_allclose(np.concatenate(out), [0.6, 0.8], rtol=1e-6)
    out = _numpy(clipping.clip_by_global_norm(grads, 10.0))
    np.testing.assert_allclose(np.concatenate(out), [3.0, 4.0], rtol=1e-6)


def test_clip_by_global_norm_propagates_non_finite_values():
    out = _numpy(clipping.clip_by_global_norm(_tensors([np.inf], [1.0]), 1.0))
    assert np.isnan(np.concatenate(out)).all()


def test_clip_by_value():
    out = _numpy(clipping.clip_by_value(_tensors([-3.0, 0.1, 2.0]), 0.5))
    np.testing.assert_allclose(out[0], [-0.5, 0.1, 0.5], rtol=1e-6)
