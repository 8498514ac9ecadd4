"""image_dataset_from_directory on small folders of images the tests write: Keras's class
order, labels, shapes, dtypes, splits and resizing (Keras's own needs TensorFlow)."""

import os

import numpy as np
import pytest

PIL = pytest.importorskip("PIL.Image")

import cornu  # noqa: E402
from cornu import ops  # noqa: E402
from cornu.utils import image_dataset_from_directory  # noqa: E402


def _write_images(root, counts, size=(12, 10), ext="png", mode="RGB"):
    """``counts = {"class": n}``: n random images per class folder; returns their arrays."""
    rng = np.random.default_rng(0)
    arrays = {}
    for name, count in counts.items():
        folder = os.path.join(root, name)
        os.makedirs(folder, exist_ok=True)
        for i in range(count):
            channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
            array = rng.integers(0, 256, size=size + (channels,), dtype=np.uint8)
            path = os.path.join(folder, f"img_{i}.{ext}")
            PIL.fromarray(array[..., 0] if mode == "L" else array, mode).save(path)
            arrays[path] = array
    return arrays


def test_inferred_labels_follow_sorted_class_folders(tmp_path):
    _write_images(tmp_path, {"b": 2, "a": 3, "c": 1})
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / "a" / "readme.txt").write_text("not an image")
    ds = image_dataset_from_directory(tmp_path, image_size=(12, 10), shuffle=False, batch_size=4)
    assert ds.class_names == ["a", "b", "c"]
    assert isinstance(ds, cornu.utils.PyDataset) and len(ds) == 2
    assert [os.path.relpath(p, tmp_path) for p in ds.file_paths] == [
        "a/img_0.png",
        "a/img_1.png",
        "a/img_2.png",
        "b/img_0.png",
        "b/img_1.png",
        "c/img_0.png",
    ]
    x, y = ds[0]
    assert x.shape == (4, 12, 10, 3) and x.dtype == np.float32
    assert y.dtype == np.int32 and y.tolist() == [0, 0, 0, 1]
    assert ds[1][1].tolist() == [1, 2]


def test_images_equal_their_pixels_and_resize_equals_ops_image_resize(tmp_path, keras):
    arrays = _write_images(tmp_path, {"a": 2, "b": 1}, size=(9, 14))
    ds = image_dataset_from_directory(
        tmp_path, image_size=(9, 14), shuffle=False, label_mode=None, batch_size=None
    )
    for i, path in enumerate(ds.file_paths):
        np.testing.assert_array_equal(ds[i], arrays[path].astype("float32"))
    for interpolation in ("bilinear", "nearest", "bicubic", "area"):
        ds = image_dataset_from_directory(
            tmp_path,
            image_size=(5, 6),
            shuffle=False,
            label_mode=None,
            interpolation=interpolation,
        )
        source = np.stack([arrays[p] for p in ds.file_paths]).astype("float32")
        expected = ops.convert_to_numpy(ops.image.resize(source, (5, 6), interpolation))
        np.testing.assert_array_equal(ds[0], expected)
        # Keras's torch backend has no "area"; Keras's JAX resize (jax.image's kernels when
        # shrinking) differs from torch's, which cornu's resize follows on every backend.
        if interpolation != "area" and keras.backend.backend() == "torch":
            theirs = keras.ops.image.resize(source, (5, 6), interpolation=interpolation)
            np.testing.assert_allclose(ds[0], keras.ops.convert_to_numpy(theirs), atol=1e-3)


@pytest.mark.parametrize("option", ["crop_to_aspect_ratio", "pad_to_aspect_ratio"])
def test_aspect_ratio_options_match_ops_image_resize(tmp_path, option):
    arrays = _write_images(tmp_path, {"a": 2}, size=(8, 16))
    ds = image_dataset_from_directory(
        tmp_path, image_size=(6, 6), shuffle=False, label_mode=None, **{option: True}
    )
    source = np.stack([arrays[p] for p in ds.file_paths]).astype("float32")
    expected = ops.image.resize(source, (6, 6), **{option: True})
    np.testing.assert_array_equal(ds[0], ops.convert_to_numpy(expected))
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio`"):
        image_dataset_from_directory(tmp_path, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)


def test_images_of_different_sizes_are_resized_one_by_one(tmp_path):
    (tmp_path / "a").mkdir()
    PIL.fromarray(np.full((4, 6, 3), 7, np.uint8)).save(tmp_path / "a" / "0.png")
    PIL.fromarray(np.full((10, 3, 3), 9, np.uint8)).save(tmp_path / "a" / "1.bmp")
    ds = image_dataset_from_directory(tmp_path, image_size=(5, 5), shuffle=False)
    x, y = ds[0]
    assert x.shape == (2, 5, 5, 3)
    np.testing.assert_allclose(x[0], 7.0) and np.testing.assert_allclose(x[1], 9.0)


@pytest.mark.parametrize("color_mode, channels", [("grayscale", 1), ("rgb", 3), ("rgba", 4)])
def test_color_modes_and_channels_first(tmp_path, color_mode, channels):
    _write_images(tmp_path, {"a": 1, "b": 1}, size=(6, 6))
    ds = image_dataset_from_directory(tmp_path, image_size=(6, 6), color_mode=color_mode)
    assert ds[0][0].shape == (2, 6, 6, channels)
    ds = image_dataset_from_directory(
        tmp_path, image_size=(6, 4), color_mode=color_mode, data_format="channels_first"
    )
    assert ds[0][0].shape == (2, channels, 6, 4)


def test_label_modes(tmp_path):
    _write_images(tmp_path, {"a": 2, "b": 1})
    kwargs = dict(image_size=(4, 4), shuffle=False)
    _, y = image_dataset_from_directory(tmp_path, label_mode="categorical", **kwargs)[0]
    assert y.dtype == np.float32 and y.tolist() == [[1, 0], [1, 0], [0, 1]]
    _, y = image_dataset_from_directory(tmp_path, label_mode="binary", **kwargs)[0]
    assert y.dtype == np.float32 and y.shape == (3, 1) and y[:, 0].tolist() == [0, 0, 1]
    x = image_dataset_from_directory(tmp_path, label_mode=None, **kwargs)[0]
    assert isinstance(x, np.ndarray) and x.shape == (3, 4, 4, 3)
    _write_images(tmp_path, {"c": 1})
    with pytest.raises(ValueError, match='label_mode="binary"`, there must be exactly 2'):
        image_dataset_from_directory(tmp_path, label_mode="binary", **kwargs)
    with pytest.raises(ValueError, match="`label_mode` argument must be one of"):
        image_dataset_from_directory(tmp_path, label_mode="sparse", **kwargs)


def test_class_names_choose_and_order_the_classes(tmp_path):
    _write_images(tmp_path, {"a": 1, "b": 2, "c": 1})
    ds = image_dataset_from_directory(
        tmp_path, class_names=["c", "a"], image_size=(4, 4), shuffle=False
    )
    assert ds.class_names == ["c", "a"] and ds[0][1].tolist() == [0, 1]
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        image_dataset_from_directory(tmp_path, class_names=["a", "z"])


def test_explicit_labels_and_their_length(tmp_path):
    _write_images(tmp_path, {"a": 2, "b": 1})
    ds = image_dataset_from_directory(tmp_path, labels=[3, 1, 3], image_size=(4, 4), shuffle=False)
    assert ds.class_names == ["1", "3"] and ds[0][1].tolist() == [3, 1, 3]
    categorical = image_dataset_from_directory(
        tmp_path, labels=[0, 1, 3], label_mode="categorical", image_size=(4, 4), shuffle=False
    )
    # 3 class names ("0", "1", "3"): as tf.one_hot, label 3 falls outside and gives zeros.
    assert categorical[0][1].tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 0]]
    with pytest.raises(ValueError, match=r"len\(labels\) is 2 while we found 3 files"):
        image_dataset_from_directory(tmp_path, labels=[0, 1])
    with pytest.raises(ValueError, match="should be a list/tuple of integer labels"):
        image_dataset_from_directory(tmp_path, labels="folders")
    with pytest.raises(ValueError, match='only pass `class_names` if `labels="inferred"`'):
        image_dataset_from_directory(tmp_path, labels=[0, 1, 0], class_names=["a"])


def test_shuffle_is_reproducible_with_a_seed(tmp_path):
    _write_images(tmp_path, {"a": 5, "b": 5})
    a = image_dataset_from_directory(tmp_path, image_size=(4, 4), seed=3, batch_size=10)
    b = image_dataset_from_directory(tmp_path, image_size=(4, 4), seed=3, batch_size=10)
    assert a.file_paths == b.file_paths and a.file_paths != sorted(a.file_paths)
    np.testing.assert_array_equal(a[0][0], b[0][0])
    a.on_epoch_end()
    b.on_epoch_end()
    np.testing.assert_array_equal(a[0][1], b[0][1])
    assert sorted(a[0][1].tolist()) == [0] * 5 + [1] * 5


def test_validation_split_gives_disjoint_reproducible_subsets(tmp_path):
    _write_images(tmp_path, {"a": 6, "b": 4})
    kwargs = dict(image_size=(4, 4), validation_split=0.3, seed=7)
    train = image_dataset_from_directory(tmp_path, subset="training", **kwargs)
    val = image_dataset_from_directory(tmp_path, subset="validation", **kwargs)
    both = image_dataset_from_directory(tmp_path, subset="both", **kwargs)
    assert len(train.file_paths) == 7 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    assert set(train.file_paths) | set(val.file_paths) == {str(p) for p in tmp_path.glob("*/*.png")}
    assert isinstance(both, list) and len(both) == 2
    assert both[0].file_paths == train.file_paths and both[1].file_paths == val.file_paths


def test_split_argument_errors(tmp_path):
    _write_images(tmp_path, {"a": 2})
    with pytest.raises(ValueError, match="you must provide a `seed` argument"):
        image_dataset_from_directory(tmp_path, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="If `subset` is set, `validation_split` must be set"):
        image_dataset_from_directory(tmp_path, subset="training", seed=1)
    with pytest.raises(ValueError, match="`validation_split` must be between 0 and 1"):
        image_dataset_from_directory(tmp_path, validation_split=1.5, subset="training", seed=1)
    with pytest.raises(ValueError, match='`subset` must be either "training", "validation"'):
        image_dataset_from_directory(tmp_path, validation_split=0.5, subset="test", seed=1)


def test_bad_folders_and_files(tmp_path):
    with pytest.raises(ValueError, match="No images found in directory"):
        image_dataset_from_directory(tmp_path)
    with pytest.raises(ValueError, match="`directory` must be an existing folder"):
        image_dataset_from_directory(tmp_path / "missing")
    _write_images(tmp_path, {"a": 1})
    (tmp_path / "b").mkdir()
    with pytest.warns(UserWarning, match="holds no file of the allowed formats"):
        ds = image_dataset_from_directory(tmp_path, image_size=(4, 4))
    assert ds.class_names == ["a", "b"]
    (tmp_path / "b" / "broken.jpg").write_bytes(b"not a jpeg")
    ds = image_dataset_from_directory(tmp_path, image_size=(4, 4), shuffle=False)
    with pytest.raises(ValueError, match="could not decode the image file .*broken.jpg"):
        ds[0]
    with pytest.raises(ValueError, match="`color_mode` must be one of"):
        image_dataset_from_directory(tmp_path, color_mode="cmyk")
    with pytest.raises(ValueError, match="Invalid `image_size` value"):
        image_dataset_from_directory(tmp_path, image_size=(4, 4, 3))
    with pytest.raises(ValueError, match="needs TensorFlow's image resizing"):
        image_dataset_from_directory(tmp_path, interpolation="gaussian")


def test_follow_links(tmp_path):
    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    _write_images(root, {"a": 1})
    _write_images(elsewhere, {"more": 2})
    os.symlink(elsewhere / "more", root / "a" / "linked")
    assert len(image_dataset_from_directory(root, shuffle=False).file_paths) == 1
    assert len(image_dataset_from_directory(root, follow_links=True).file_paths) == 3


def test_gif_and_jpeg_files_are_read(tmp_path):
    (tmp_path / "a").mkdir()
    PIL.fromarray(np.full((5, 5, 3), 100, np.uint8)).save(tmp_path / "a" / "x.JPG")
    PIL.fromarray(np.full((5, 5), 50, np.uint8)).save(tmp_path / "a" / "y.gif")
    ds = image_dataset_from_directory(tmp_path, image_size=(5, 5), shuffle=False)
    x, _ = ds[0]
    assert x.shape == (2, 5, 5, 3)
    assert abs(float(x[0].mean()) - 100) < 3 and abs(float(x[1].mean()) - 50) < 3


def test_fit_evaluate_predict_from_a_folder(tmp_path):
    _write_images(tmp_path, {"cat": 6, "dog": 6}, size=(8, 8))
    train, val = image_dataset_from_directory(
        tmp_path, image_size=(8, 8), batch_size=4, validation_split=0.25, subset="both", seed=1
    )
    model = cornu.Sequential(
        [
            cornu.Input((8, 8, 3)),
            cornu.layers.Rescaling(1 / 255),
            cornu.layers.Flatten(),
            cornu.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train, validation_data=val, epochs=2, verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert len(model.evaluate(val, verbose=0)) == 2
    assert model.predict(val, verbose=0).shape == (3, 2)


def test_fit_decodes_in_the_worker_threads(tmp_path, monkeypatch):
    import threading

    from cornu.utils.image_dataset_utils import ImageFolderDataset

    _write_images(tmp_path, {"a": 4, "b": 4}, size=(6, 6))
    ds = image_dataset_from_directory(tmp_path, image_size=(6, 6), batch_size=2, seed=0)
    assert ds.workers == 2
    threads = set()
    original = ImageFolderDataset.load

    def load(self, path):
        threads.add(threading.current_thread().name)
        return original(self, path)

    monkeypatch.setattr(ImageFolderDataset, "load", load)
    model = cornu.Sequential(
        [cornu.Input((6, 6, 3)), cornu.layers.Flatten(), cornu.layers.Dense(2)]
    )
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.fit(ds, epochs=1, verbose=0)
    assert threads and threading.main_thread().name not in threads


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
@pytest.mark.parametrize(
    "option", [{}, {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True}]
)
def test_images_already_at_image_size_equal_ops_image_resize(tmp_path, interpolation, option):
    # Such images skip the resize: this shows the shortcut gives resize's exact result.
    arrays = _write_images(tmp_path, {"a": 3}, size=(7, 9))
    for data_format in ("channels_last", "channels_first"):
        ds = image_dataset_from_directory(
            tmp_path,
            image_size=(7, 9),
            shuffle=False,
            label_mode=None,
            interpolation=interpolation,
            data_format=data_format,
            **option,
        )
        source = np.stack([arrays[p] for p in ds.file_paths]).astype("float32")
        if data_format == "channels_first":
            source = source.transpose(0, 3, 1, 2)
        expected = ops.image.resize(
            source, (7, 9), interpolation=interpolation, data_format=data_format, **option
        )
        np.testing.assert_array_equal(ds[0], ops.convert_to_numpy(expected))
        assert ds[0].dtype == np.float32


def test_map_applies_a_function_to_each_batch_in_fit(tmp_path):
    _write_images(tmp_path, {"a": 3, "b": 3}, size=(6, 6))
    ds = image_dataset_from_directory(tmp_path, image_size=(6, 6), batch_size=4, seed=0)
    rescale = cornu.layers.Rescaling(1 / 255)
    mapped = ds.map(lambda x, y: (rescale(x), y))
    assert mapped.class_names == ["a", "b"] and mapped.file_paths == ds.file_paths
    assert len(mapped) == 2 and mapped.workers == ds.workers
    x, y = mapped[0]
    np.testing.assert_allclose(ops.convert_to_numpy(x), ds[0][0] / 255, rtol=1e-6)
    np.testing.assert_array_equal(y, ds[0][1])
    only_x = image_dataset_from_directory(tmp_path, image_size=(6, 6), label_mode=None)
    assert only_x.map(lambda x: x[:, :3])[0].shape == (6, 3, 6, 3)
    model = cornu.Sequential(
        [cornu.Input((6, 6, 3)), cornu.layers.Flatten(), cornu.layers.Dense(2)]
    )
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert len(model.fit(mapped, epochs=2, verbose=0).history["loss"]) == 2
