"""model_to_dot and plot_model: the same boxes, labels and edges as Keras, and real files."""

import warnings

import pytest

import cornu
from cornu.utils import model_visualization

pydot = pytest.importorskip("pydot")

ALL_OPTIONS = dict(
    show_shapes=True, show_dtype=True, show_layer_activations=True, show_trainable=True
)


def sequential(lib):
    L = lib.layers
    return lib.Sequential(
        [lib.Input((6,)), L.Dense(4, activation="relu", name="d1"), L.Dense(2, name="d2")],
        name="seq",
    )


def branches(lib):
    L = lib.layers
    x = lib.Input((6,), name="x")
    left = L.Dense(4, name="left")(x)
    right = L.Dropout(0.5, name="right")(L.Dense(4, name="right_dense")(x))
    y = L.Add(name="add")([left, right])
    return lib.Model(x, L.Dense(1, name="out")(y), name="branches")


def multi_io_shared_nested(lib):
    L = lib.layers
    a, b = lib.Input((8,), name="a"), lib.Input((4,), name="b")
    shared = L.Dense(4, activation="relu", name="shared")
    x, y = shared(L.Dense(4, name="pa")(a)), shared(b)
    inner_in = lib.Input((4,), name="inner_in")
    inner = lib.Model(inner_in, L.Dense(2, name="inner_d")(inner_in), name="inner")
    seq = lib.Sequential([lib.Input((4,)), L.Dense(3, name="s1"), L.Dense(2, name="s2")], name="s")
    z = L.Concatenate(name="cat")([inner(x), seq(y)])
    return lib.Model([a, b], [L.Dense(1, name="o1")(z), L.Dense(2, name="o2")(z)], name="outer")


def sequential_in_sequential(lib):
    L = lib.layers
    model = lib.Sequential(name="outer")
    model.add(lib.Input((5,)))
    model.add(L.Dense(4, name="d1"))
    model.add(lib.Sequential([L.Dense(3, name="i1"), L.Dense(3, name="i2")], name="inner"))
    model.add(L.Dense(2, name="d2"))
    return model


def nested_model_called_twice(lib):
    L = lib.layers
    x = lib.Input((3,), name="x")
    inner = lib.Sequential([L.Dense(3, name="i1"), L.Dense(3, name="i2")], name="inner")
    return lib.Model(x, L.Dense(1, name="o")(inner(inner(x))), name="shared_nested")


def described(dot):
    """The graph as (items, edges) with node ids replaced by their labels."""
    labels = {}

    def walk(graph):
        items = []
        for node in graph.get_nodes():
            if node.get_name() not in ("node", "edge", "graph"):
                labels[node.get_name()] = node.get("label")
                items.append(("node", node.get("label"), node.get("fontname")))
        for sub in graph.get_subgraphs():
            items.append(("cluster", sub.get_name(), sub.get("label"), tuple(walk(sub))))
        return items

    def edges(graph):
        found = [(labels[e.get_source()], labels[e.get_destination()]) for e in graph.get_edges()]
        for sub in graph.get_subgraphs():
            found += edges(sub)
        return found

    items = walk(dot)
    return items, edges(dot), dot.get_attributes()


@pytest.mark.parametrize(
    "architecture",
    [
        sequential,
        branches,
        multi_io_shared_nested,
        sequential_in_sequential,
        nested_model_called_twice,
    ],
)
@pytest.mark.parametrize("expand_nested", [False, True])
@pytest.mark.parametrize("options", [{}, ALL_OPTIONS, {"show_layer_names": False}])
def test_model_to_dot_equals_keras(keras, architecture, expand_nested, options):
    theirs = keras.utils.model_to_dot(architecture(keras), expand_nested=expand_nested, **options)
    ours = cornu.utils.model_to_dot(architecture(cornu), expand_nested=expand_nested, **options)
    assert described(ours) == described(theirs)


def test_model_to_dot_graph_arguments(keras):
    kwargs = dict(rankdir="LR", dpi=96, splines="line")
    theirs = keras.utils.model_to_dot(branches(keras), **kwargs)
    ours = cornu.utils.model_to_dot(branches(cornu), **kwargs)
    assert described(ours) == described(theirs)
    assert ours.get("rankdir") == "LR" and ours.get("dpi") == 96


def test_subclassed_model_is_one_box(keras):
    class Net(cornu.Model):
        def __init__(self):
            super().__init__(name="net")
            self.dense = cornu.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Net()
    model(cornu.ops.ones((1, 3)))
    dot = cornu.utils.model_to_dot(model)
    assert [n.get("label") for n in dot.get_nodes()][-1].count("(Net)") == 1
    assert dot.get_edges() == []


def test_bad_arguments():
    model = branches(cornu)
    with pytest.raises(ValueError, match="`layer_range` is no longer supported"):
        cornu.utils.model_to_dot(model, layer_range=["left", "out"])
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        cornu.utils.plot_model(model, show_sizes=True)
    with pytest.raises(ValueError, match="has not yet been built"):
        cornu.utils.plot_model(cornu.Sequential([cornu.layers.Dense(2)]))


def _is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(not model_visualization.check_graphviz(), reason="graphviz not installed")
@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<")])
def test_plot_model_writes_images_with_graphviz(tmp_path, suffix, magic):
    path = tmp_path / f"model{suffix}"
    cornu.utils.plot_model(multi_io_shared_nested(cornu), to_file=path, expand_nested=True)
    assert path.read_bytes().lstrip()[: len(magic)] == magic


def test_plot_model_without_graphviz_writes_svg(tmp_path, monkeypatch):
    import xml.etree.ElementTree as ET

    monkeypatch.setattr(model_visualization, "check_graphviz", lambda: False)
    monkeypatch.setitem(model_visualization._warned, "graphviz", False)
    model = multi_io_shared_nested(cornu)
    with pytest.warns(UserWarning, match="graphviz's `dot` program was not found"):
        cornu.utils.plot_model(model, to_file=tmp_path / "m.png", show_shapes=True)
    assert not (tmp_path / "m.png").exists()
    root = ET.parse(tmp_path / "m.svg").getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("Dense" in t for t in texts) and any("(None, 4)" in t for t in texts)
    lines = list(root.iter("{http://www.w3.org/2000/svg}line"))
    assert len(lines) == len(cornu.utils.model_to_dot(model).get_edges())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once: no second warning
        cornu.utils.plot_model(model, to_file=tmp_path / "m.dot", expand_nested=True)
    assert "digraph" in (tmp_path / "m.dot").read_text()


def test_missing_pydot_names_the_extra(monkeypatch):
    monkeypatch.setattr(model_visualization, "_pydot", lambda: None)
    with pytest.raises(ImportError, match=r"cornu\[viz\]"):
        cornu.utils.plot_model(branches(cornu))


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_svg_layout_keeps_nested_models_apart(rankdir):
    from cornu.utils.svg_graph import layout

    dot = cornu.utils.model_to_dot(multi_io_shared_nested(cornu), expand_nested=True)
    boxes, frames, lines = layout(dot, rankdir)
    assert sorted(f[0] for f in frames) == ["inner", "s"]
    (_, ax, ay, aw, ah), (_, bx, by, bw, bh) = frames
    apart_x = ax + aw <= bx or bx + bw <= ax
    apart_y = ay + ah <= by or by + bh <= ay
    assert apart_x or apart_y
    for (x, y, w, h), _ in boxes.values():  # no two boxes overlap
        others = [b for b, _ in boxes.values() if b != (x, y, w, h)]
        assert all(x + w <= u or u + s <= x or y + h <= v or v + t <= y for u, v, s, t in others)
    assert len(lines) == len(dot.get_edges()) + sum(len(s.get_edges()) for s in dot.get_subgraphs())
