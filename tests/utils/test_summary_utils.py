"""print_summary: Keras 3's model.summary() table, from small fake models and against Keras."""

import re

import pytest

from cornu.utils import print_summary


class Var:
    def __init__(self, shape, dtype="float32"):
        self.shape = shape
        self.dtype = dtype


class Tensor:
    def __init__(self, shape):
        self.shape = shape
        self._keras_history = None


class Node:
    def __init__(self, layer, inputs, output_shapes):
        self.input_tensors = list(inputs)
        self.output_tensors = [Tensor(s) for s in output_shapes]
        index = len(layer._inbound_nodes)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, index, i)
        layer._inbound_nodes.append(self)


class Layer:
    def __init__(self, name, trainable=(), non_trainable=(), built=True):
        self.name = name
        self.built = built
        self.trainable = True
        self.trainable_weights = [Var(s) for s in trainable]
        self.non_trainable_weights = [Var(s) for s in non_trainable]
        self._inbound_nodes = []

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    def count_params(self):
        return sum(_size(w.shape) for w in self.weights)

    def __call__(self, inputs, *output_shapes):
        inputs = inputs if isinstance(inputs, list) else [inputs]
        node = Node(self, inputs, output_shapes)
        return node.output_tensors[0] if len(output_shapes) == 1 else node.output_tensors


def _size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


class Dense(Layer):
    pass


class Dropout(Layer):
    pass


class InputLayer(Layer):
    pass


class Concatenate(Layer):
    pass


class BatchNormalization(Layer):
    pass


class Model:
    def __init__(self, name, layers):
        self.name = name
        self.layers = layers

    @property
    def trainable_weights(self):
        return [w for layer in self.layers for w in layer.trainable_weights]

    @property
    def non_trainable_weights(self):
        return [w for layer in self.layers for w in layer.non_trainable_weights]


class Sequential(Model):
    pass


class Functional(Model):
    pass


def _summary(model, **kwargs):
    out = []
    print_summary(model, print_fn=out.append, **kwargs)
    assert len(out) == 1
    return out[0]


def _mlp():
    dense = Dense("dense", trainable=[(784, 512), (512,)])
    dropout = Dropout("dropout")
    dense_1 = Dense("dense_1", trainable=[(512, 10), (10,)])
    inp = Tensor((None, 784))
    inp._keras_history = (InputLayer("input_layer"), 0, 0)
    h = dense(inp, (None, 512))
    h = dropout(h, (None, 512))
    dense_1(h, (None, 10))
    return Sequential("sequential", [dense, dropout, dense_1])


SEQUENTIAL_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 512)            │       401,920 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 512)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         5,130 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 407,050 (1.55 MB)
 Trainable params: 407,050 (1.55 MB)
 Non-trainable params: 0 (0.00 B)
"""


def test_sequential_table(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert _summary(_mlp()) == SEQUENTIAL_SUMMARY


def test_default_prints_to_stdout(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    print_summary(_mlp())
    assert capsys.readouterr().out == SEQUENTIAL_SUMMARY


def test_unbuilt_layers_show_question_mark_and_unbuilt(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    model = Sequential("seq", [Dense("dense", built=False), BatchNormalization("bn", built=False)])
    text = _summary(model)
    assert re.search(r"│ dense \(Dense\) +│ \? +│ +0 \(unbuilt\) │", text)
    assert "0 (unbuilt) │" in text
    assert " Total params: 0 (0.00 B)\n" in text


def test_non_trainable_weights_and_show_trainable(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    dense = Dense("dense", trainable=[(7, 3), (3,)])
    bn = BatchNormalization("batch_normalization", trainable=[(3,), (3,)], non_trainable=[(3,)] * 2)
    bn.trainable = False
    inp = Tensor((None, 7))
    bn(dense(inp, (None, 3)), (None, 3))
    text = _summary(Sequential("s", [dense, bn]), show_trainable=True, line_length=150)
    assert "│ batch_normalization (BatchNormalization)" in text
    assert re.search(r"┃ +Trainable +┃", text)
    assert re.search(r"│ +Y +│", text) and re.search(r"│ +N +│", text)
    assert text.endswith(
        " Total params: 36 (144.00 B)\n"
        " Trainable params: 30 (120.00 B)\n"
        " Non-trainable params: 6 (24.00 B)\n"
    )


def _branching():
    inp_layer = InputLayer("in")
    x = inp_layer([], (None, 32))
    a = Dense("a_very_long_layer_name_that_goes_on_and_on_forever_and_more", [(32, 4), (4,)])
    b = Dense("dense_2", [(32, 4), (4,)])
    c = Concatenate("concatenate")
    c([a(x, (None, 4)), b(x, (None, 4))], (None, 8))
    return Functional("functional_1", [inp_layer, a, b, c])


FUNCTIONAL_SUMMARY = """\
Model: "functional_1"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ in (InputLayer)     │ (None, 32)        │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ a_very_long_layer_… │ (None, 4)         │        132 │ in[0][0]          │
│ (Dense)             │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_2 (Dense)     │ (None, 4)         │        132 │ in[0][0]          │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ concatenate         │ (None, 8)         │          0 │ a_very_long_laye… │
│ (Concatenate)       │                   │            │ dense_2[0][0]     │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 264 (1.03 KB)
 Trainable params: 264 (1.03 KB)
 Non-trainable params: 0 (0.00 B)
"""


def test_functional_with_branches_has_connected_to(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert _summary(_branching()) == FUNCTIONAL_SUMMARY


def test_functional_chain_prints_like_sequential(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    inp_layer, d1, d2 = InputLayer("in"), Dense("d1", [(32, 5)]), Dense("d2", [(5, 3)])
    d2(d1(inp_layer([], (None, 32)), (None, 5)), (None, 3))
    text = _summary(Functional("f", [inp_layer, d1, d2]))
    assert "Connected to" not in text
    assert "│ in (InputLayer)                 │ (None, 32)             │             0 │" in text


def test_multiple_outputs_and_layer_range(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    inp_layer, split = InputLayer("in"), Layer("split")
    split(inp_layer([], (None, 6)), (None, 2), (None, 4))
    model = Functional("f", [inp_layer, split])
    assert "│ split (Layer)" in _summary(model)
    assert "[(None, 2), (None, 4)]" in _summary(model)
    text = _summary(model, layer_range=["split", "split"])
    assert "in (InputLayer)" not in text and "split (Layer)" in text
    with pytest.raises(ValueError, match="layer_range"):
        _summary(model, layer_range=["nope", "split"])


def test_too_narrow_raises(monkeypatch):
    with pytest.raises(ValueError, match="Insufficient console width"):
        _summary(_mlp(), line_length=8)


def test_matches_keras(keras, monkeypatch):
    """Real Keras models follow the same contract: the text must be Keras's own."""
    monkeypatch.setenv("COLUMNS", "200")
    layers = keras.layers
    models = []
    m = keras.Sequential([keras.Input((784,)), layers.Dense(512), layers.Dense(10)])
    models += [(m, {}), (m, {"line_length": 40}), (m, {"show_trainable": True})]
    inp = keras.Input((32,), name="in")
    a = layers.Dense(4, name="a_very_long_layer_name_that_goes_on_and_on")(inp)
    b = layers.Dense(4)(inp)
    f = keras.Model(inp, layers.Concatenate()([a, b]))
    models += [(f, {}), (f, {"show_trainable": True, "line_length": 120})]
    x1, x2 = keras.Input((3,)), keras.Input((4,))
    shared = layers.Dense(2)
    o = layers.Add()([shared(layers.Dense(3)(x1)), shared(layers.Dense(3)(x2))])
    models.append((keras.Model([x1, x2], [o, layers.Dense(1)(o)]), {}))
    inner = keras.Sequential([layers.Dense(3), layers.BatchNormalization()])
    inner.build((None, 7))
    outer = keras.Sequential([keras.Input((7,)), inner, layers.Dense(2)])
    models.append((outer, {"expand_nested": True}))

    class Hidden:
        """The same Functional model without `_nodes_by_depth` (a core may not have it)."""

        def __init__(self, model):
            self._model = model

        def __getattr__(self, name):
            if name == "_nodes_by_depth":
                raise AttributeError(name)
            return getattr(self._model, name)

    Hidden.__name__ = "Functional"
    for model, kwargs in models:
        expected = []
        model.summary(print_fn=lambda text, _out=expected, **k: _out.append(text), **kwargs)
        assert _summary(model, **kwargs) == expected[0]
        if type(model).__name__ == "Functional":
            assert _summary(Hidden(model), **kwargs) == expected[0]
