"""load_img, img_to_array, array_to_img, save_img and smart_resize against the real Keras."""

import io

import numpy as np
import pytest

PIL = pytest.importorskip("PIL.Image")

import cornu  # noqa: E402


@pytest.fixture
def image_file(tmp_path):
    rng = np.random.default_rng(1)
    array = rng.integers(0, 256, size=(10, 16, 3), dtype=np.uint8)
    path = tmp_path / "photo.png"
    PIL.fromarray(array).save(path)
    return path, array


@pytest.mark.parametrize("color_mode", ["rgb", "rgba", "grayscale"])
@pytest.mark.parametrize(
    "target_size, interpolation, keep",
    [(None, "nearest", False), ((6, 7), "bilinear", False), ((6, 7), "bicubic", True)],
)
def test_load_img_matches_keras(keras, image_file, color_mode, target_size, interpolation, keep):
    path, _ = image_file
    kwargs = dict(
        color_mode=color_mode,
        target_size=target_size,
        interpolation=interpolation,
        keep_aspect_ratio=keep,
    )
    ours = cornu.utils.load_img(str(path), **kwargs)
    theirs = keras.utils.load_img(str(path), **kwargs)
    assert ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(cornu.utils.img_to_array(ours), keras.utils.img_to_array(theirs))


def test_load_img_reads_paths_and_bytes(image_file):
    path, array = image_file
    np.testing.assert_array_equal(np.asarray(cornu.utils.load_img(path)), array)
    np.testing.assert_array_equal(
        np.asarray(cornu.utils.load_img(io.BytesIO(path.read_bytes()))), array
    )
    with pytest.raises(TypeError, match="path should be path-like or io.BytesIO"):
        cornu.utils.load_img(3)
    with pytest.raises(ValueError, match='color_mode must be "grayscale", "rgb", or "rgba"'):
        cornu.utils.load_img(path, color_mode="hsv")
    with pytest.raises(ValueError, match="Invalid interpolation method cubic"):
        cornu.utils.load_img(path, target_size=(3, 3), interpolation="cubic")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("scale", [True, False])
def test_array_to_img_and_back_match_keras(keras, data_format, channels, scale):
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 255, size=(5, 6, channels)).astype("float32")
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    ours = cornu.utils.array_to_img(x, data_format=data_format, scale=scale)
    theirs = keras.utils.array_to_img(x, data_format=data_format, scale=scale)
    assert ours.mode == theirs.mode
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    back = cornu.utils.img_to_array(ours, data_format=data_format)
    np.testing.assert_array_equal(back, keras.utils.img_to_array(theirs, data_format=data_format))
    assert back.dtype == np.float32


def test_array_to_img_errors():
    with pytest.raises(ValueError, match="Expected image array to have rank 3"):
        cornu.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        cornu.utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="Unsupported image shape"):
        cornu.utils.img_to_array(np.zeros((2, 2, 2, 2)))


def test_save_img_round_trip_and_jpeg_rgba(tmp_path):
    x = np.random.default_rng(3).integers(0, 256, size=(4, 5, 3)).astype("float32")
    cornu.utils.save_img(tmp_path / "a.png", x, scale=False)
    np.testing.assert_array_equal(
        cornu.utils.img_to_array(cornu.utils.load_img(tmp_path / "a.png")), x
    )
    rgba = np.concatenate([x, np.full((4, 5, 1), 255.0)], axis=-1)
    with pytest.warns(UserWarning, match="JPEG format does not support RGBA"):
        cornu.utils.save_img(tmp_path / "b.jpg", rgba)
    assert cornu.utils.load_img(tmp_path / "b.jpg").size == (5, 4)


@pytest.mark.parametrize("shape", [(10, 16, 3), (2, 10, 16, 3), (7, 5, 1)])
@pytest.mark.parametrize("size", [(6, 6), (4, 9)])
def test_smart_resize_matches_keras(keras, shape, size):
    x = np.random.default_rng(4).uniform(0, 255, size=shape).astype("float32")
    ours = cornu.preprocessing.image.smart_resize(x, size)
    theirs = keras.preprocessing.image.smart_resize(x, size)
    assert isinstance(ours, np.ndarray)
    np.testing.assert_allclose(ours, theirs, atol=1e-3)
    with pytest.raises(ValueError, match="Expected `size` to be a tuple of 2 integers"):
        cornu.preprocessing.image.smart_resize(x, (3,))
    with pytest.raises(ValueError, match="incorrect rank"):
        cornu.preprocessing.image.smart_resize(np.zeros((3, 3)), (2, 2))


def test_preprocessing_names_match_keras(keras):
    def public(module):
        return sorted(n for n in dir(module) if not n.startswith("_"))

    assert public(cornu.preprocessing) == public(keras.preprocessing)
    assert public(cornu.preprocessing.image) == public(keras.preprocessing.image)
    assert public(cornu.preprocessing.sequence) == public(keras.preprocessing.sequence)


def test_missing_pillow_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    with pytest.raises(ImportError, match=r'pip install "cornu\[image\]"'):
        cornu.utils.load_img("x.png")
