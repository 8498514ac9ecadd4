"""text_dataset_from_directory on small folders of text files the tests write."""

import numpy as np
import pytest

import cornu
from cornu.utils import text_dataset_from_directory


def _write_texts(root, texts):
    for name, items in texts.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(items):
            (root / name / f"{i}.txt").write_text(text, encoding="utf-8")


def test_texts_labels_and_class_names(tmp_path):
    _write_texts(tmp_path, {"pos": ["good film", "très bien"], "neg": ["bad"]})
    (tmp_path / "pos" / "skip.md").write_text("not a .txt file")
    ds = text_dataset_from_directory(tmp_path, shuffle=False, batch_size=2)
    assert ds.class_names == ["neg", "pos"] and len(ds) == 2
    x, y = ds[0]
    assert x.dtype == object and x.tolist() == ["bad", "good film"]
    assert y.dtype == np.int32 and y.tolist() == [0, 1]
    assert ds[1][0].tolist() == ["très bien"]
    single = text_dataset_from_directory(tmp_path, shuffle=False, batch_size=None)
    assert single[0] == ("bad", 0) or (single[0][0] == "bad" and single[0][1] == 0)


def test_max_length_and_label_modes(tmp_path):
    _write_texts(tmp_path, {"a": ["abcdefgh"], "b": ["xyz"]})
    ds = text_dataset_from_directory(tmp_path, max_length=4, shuffle=False, label_mode="binary")
    x, y = ds[0]
    assert x.tolist() == ["abcd", "xyz"] and y.tolist() == [[0.0], [1.0]]
    x = text_dataset_from_directory(tmp_path, label_mode=None, shuffle=False)[0]
    assert x.tolist() == ["abcdefgh", "xyz"]


def test_validation_split_is_disjoint_and_reproducible(tmp_path):
    _write_texts(tmp_path, {"a": [f"a{i}" for i in range(5)], "b": [f"b{i}" for i in range(5)]})
    kwargs = dict(validation_split=0.2, seed=11)
    train, val = text_dataset_from_directory(tmp_path, subset="both", **kwargs)
    again = text_dataset_from_directory(tmp_path, subset="training", **kwargs)
    assert len(train.file_paths) == 8 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    assert again.file_paths == train.file_paths


def test_bad_input(tmp_path):
    with pytest.raises(ValueError, match="No text files found in directory"):
        text_dataset_from_directory(tmp_path)
    _write_texts(tmp_path, {"a": ["x"], "b": ["y"]})
    with pytest.raises(ValueError, match="you must provide a `seed` argument"):
        text_dataset_from_directory(tmp_path, validation_split=0.5, subset="training")
    with pytest.raises(ValueError, match=r"len\(labels\) is 1 while we found 2 files"):
        text_dataset_from_directory(tmp_path, labels=[1])
    with pytest.raises(ValueError, match="number of text files in the target directory"):
        text_dataset_from_directory(tmp_path, labels=7)


def test_texts_feed_text_vectorization_and_fit(tmp_path):
    _write_texts(tmp_path, {"neg": ["bad awful", "awful bad bad"], "pos": ["good", "good fun"]})
    ds = text_dataset_from_directory(tmp_path, batch_size=2, seed=0)
    vectorize = cornu.layers.TextVectorization(
        max_tokens=10, output_mode="multi_hot", pad_to_max_tokens=True
    )
    texts = np.concatenate([ds[i][0] for i in range(len(ds))])
    vectorize.adapt(texts)
    x = cornu.ops.convert_to_numpy(vectorize(texts)).astype("float32")
    y = np.concatenate([ds[i][1] for i in range(len(ds))])
    model = cornu.Sequential([cornu.Input((10,)), cornu.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (4, 2)
