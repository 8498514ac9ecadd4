"""Weight files: Keras's `.weights.h5` files, Keras's legacy ImageNet `.h5` files found by name
in cornu's and Keras's caches, and the errors for missing or foreign files."""

import hashlib
import json

import numpy as np
import pytest
from app_checks import images, randomize_batch_norm_statistics

import cornu
from cornu.applications import mobilenet_v2, resnet

MOBILENET_NOTOP = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"


def _keras_mobilenet(keras):
    model = keras.applications.MobileNetV2(
        weights=None, alpha=0.35, include_top=False, input_shape=(96, 96, 3)
    )
    randomize_batch_norm_statistics(keras, model)
    return model


def _write_legacy_h5(model, path):
    """Writes `model`'s weights the way Keras's ImageNet files are written (legacy HDF5)."""
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


@pytest.fixture
def caches(tmp_path, monkeypatch):
    """Empty cornu and Keras caches under `tmp_path`."""
    monkeypatch.setenv("CORNU_HOME", str(tmp_path / "cornu"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    for name in ("cornu", "keras"):
        (tmp_path / name / "models").mkdir(parents=True)
    return tmp_path


def test_weights_h5_file_written_by_keras_loads_with_keras_predictions(keras, oracle, tmp_path):
    theirs = _keras_mobilenet(keras)
    path = str(tmp_path / "mobilenet.weights.h5")
    theirs.save_weights(path)
    ours = cornu.applications.MobileNetV2(
        weights=path, alpha=0.35, include_top=False, input_shape=(96, 96, 3)
    )
    x = images((2, 96, 96, 3))
    oracle.values(ours(x), theirs(x), atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("folder", ["cornu", "keras"])
def test_imagenet_weights_are_found_in_cornu_and_keras_caches(keras, oracle, caches, folder):
    theirs = _keras_mobilenet(keras)
    _write_legacy_h5(theirs, caches / folder / "models" / MOBILENET_NOTOP)
    ours = cornu.applications.MobileNetV2(
        weights="imagenet", alpha=0.35, include_top=False, input_shape=(96, 96, 3)
    )
    x = mobilenet_v2.preprocess_input(images((2, 96, 96, 3)))
    oracle.values(ours(x), theirs(x), atol=1e-4, rtol=1e-4)


def test_imagenet_file_with_the_wrong_hash_is_not_used(caches, monkeypatch):
    file_name = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"
    (caches / "keras" / "models" / file_name).write_bytes(b"not the weights")
    monkeypatch.setattr(resnet, "BASE_WEIGHTS_PATH", (caches / "offline").as_uri() + "/")
    with pytest.raises(ConnectionError) as info:
        cornu.applications.ResNet50(weights="imagenet", include_top=False)
    message = str(info.value)
    assert file_name in message
    assert str(caches / "cornu" / "models") in message
    assert str(caches / "keras" / "models") in message
    assert "weights=None" in message


def test_imagenet_file_with_the_right_hash_is_used(keras, oracle, caches, monkeypatch):
    theirs = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3))
    file_name = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"
    path = caches / "cornu" / "models" / file_name
    _write_legacy_h5(theirs, path)
    digest = hashlib.md5(path.read_bytes()).hexdigest()
    monkeypatch.setitem(resnet.WEIGHTS_HASHES, "resnet50", ("unused", digest))
    ours = cornu.applications.ResNet50(
        weights="imagenet", include_top=False, input_shape=(32, 32, 3)
    )
    x = images((1, 32, 32, 3))
    oracle.values(ours(x), theirs(x), atol=1e-4, rtol=1e-4)


def test_weight_file_of_another_architecture_is_refused(keras, tmp_path):
    path = str(tmp_path / "mobilenet.weights.h5")
    _keras_mobilenet(keras).save_weights(path)
    with pytest.raises(ValueError, match="mobilenet.weights.h5"):
        cornu.applications.ResNet50(weights=path, include_top=False, input_shape=(32, 32, 3))


def test_decode_predictions_reads_the_class_index_from_the_cache(keras, caches, monkeypatch):
    from cornu.applications import imagenet_utils

    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    path = caches / "keras" / "models" / "imagenet_class_index.json"
    path.write_text(json.dumps(index))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(
        imagenet_utils, "CLASS_INDEX_HASH", hashlib.md5(path.read_bytes()).hexdigest()
    )
    from keras.src.applications import imagenet_utils as keras_imagenet_utils

    monkeypatch.setattr(keras_imagenet_utils, "CLASS_INDEX", index)
    preds = np.random.default_rng(0).random((2, 1000)).astype("float32")
    ours = cornu.applications.resnet50.decode_predictions(preds, top=3)
    theirs = keras.applications.resnet50.decode_predictions(preds, top=3)
    assert ours == theirs
    assert ours[0][0][1] == f"class_{int(np.argmax(preds[0]))}"


def test_decode_predictions_offline_names_the_file(caches, monkeypatch):
    from cornu.applications import imagenet_utils

    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_PATH", (caches / "offline.json").as_uri())
    with pytest.raises(ConnectionError, match="imagenet_class_index.json"):
        imagenet_utils.decode_predictions(np.zeros((1, 1000), "float32"))


def test_decode_predictions_checks_the_shape():
    with pytest.raises(ValueError, match=r"\(samples, 1000\).*\(2, 10\)"):
        cornu.applications.vgg16.decode_predictions(np.zeros((2, 10)))
