"""model_to_dot and plot_model: a model's graph as Keras 3 draws it, through pydot and graphviz.

The graph is read from the models' recorded layer calls without importing ``cornu.models``
(which sits above ``cornu.utils``): a Functional model is one that holds its call plan
(``_plan``) and its inputs, a Sequential one holds its layer stack (``_stack``).
"""

import os
import warnings

from cornu.core import tree
from cornu.utils.svg_graph import write_svg

_warned = {"graphviz": False}

_PYDOT_MISSING = (
    'You must install pydot (`pip install pydot`, or `pip install "cornu[viz]"`) for `{}` to work.'
)


def _pydot():
    try:
        import pydot
    except ImportError:
        return None
    return pydot


def check_pydot():
    """Returns True if pydot is available."""
    return _pydot() is not None


def check_graphviz():
    """Returns True if both pydot and graphviz's `dot` program are available."""
    pydot = _pydot()
    if pydot is None:
        return False
    try:
        pydot.Dot.create(pydot.Dot())
        return True
    except (OSError, pydot.PydotException):
        return False


def _is_functional(model):
    return hasattr(model, "_plan") and hasattr(model, "_flat_inputs")


def _is_sequential(model):
    return hasattr(model, "_stack") and not _is_functional(model)


def _is_graph_model(layer):
    return _is_functional(layer) or _is_sequential(layer)


def _first_call(layer, attr):
    # As Keras's `layer.input` / `layer.output`: the tensors of the first call, one tensor
    # alone when there is one; a Functional model gives the structures it was built with.
    if _is_functional(layer):
        return layer.input if attr == "input" else layer.output
    nodes = getattr(layer, "_inbound_nodes", None)
    if not nodes:
        raise AttributeError(f"The layer {layer.name} has never been called.")
    values = nodes[0].input_tensors if attr == "input" else nodes[0].output_tensors
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return values


def _activation_name(layer):
    activation = layer.activation
    if hasattr(activation, "name"):
        return activation.name
    if hasattr(activation, "__name__"):
        return activation.__name__
    return str(activation)


def _format_shape(shape):
    if shape is None:
        return "?"
    if isinstance(shape, dict):
        text = ", ".join(f"{k}: {v}" for k, v in shape.items())
    else:
        text = f"{shape}"
    return text.replace("}", "").replace("{", "")


def _cell(text, bgcolor="white", color=None):
    font = f'<font point-size="14" color="{color}">' if color else '<font point-size="14">'
    return f'<td bgcolor="{bgcolor}">{font}{text}</font></td>'


def make_layer_label(
    layer, show_layer_names, show_layer_activations, show_dtype, show_shapes, show_trainable
):
    """The HTML-like table that labels a layer's box (Keras's layout and colours)."""
    class_name = layer.__class__.__name__
    colspan = max(1, int(show_dtype) + int(show_trainable) + (2 if show_shapes else 0))
    title = f"<b>{layer.name}</b> ({class_name})" if show_layer_names else f"<b>{class_name}</b>"
    label = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
    label += (
        f'<tr><td colspan="{colspan}" bgcolor="black">'
        f'<font point-size="16" color="white">{title}</font></td></tr>'
    )
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        label += (
            f'<tr><td bgcolor="white" colspan="{colspan}"><font point-size="14">'
            f"Activation: <b>{_activation_name(layer)}</b></font></td></tr>"
        )
    cols = []
    if show_shapes:
        input_shape = output_shape = None
        try:
            input_shape = tree.map_structure(lambda x: x.shape, _first_call(layer, "input"))
            output_shape = tree.map_structure(lambda x: x.shape, _first_call(layer, "output"))
        except (ValueError, AttributeError):
            pass
        if class_name != "InputLayer":
            cols.append(_cell(f"Input shape: <b>{_format_shape(input_shape)}</b>"))
        cols.append(_cell(f"Output shape: <b>{_format_shape(output_shape)}</b>"))
    if show_dtype:
        dtype = None
        try:
            dtype = tree.map_structure(lambda x: x.dtype, _first_call(layer, "output"))
        except (ValueError, AttributeError):
            pass
        cols.append(_cell(f"Output dtype: <b>{dtype or '?'}</b>"))
    if show_trainable and hasattr(layer, "trainable") and layer.weights:
        if layer.trainable:
            cols.append(_cell("<b>Trainable</b>", "forestgreen", "white"))
        else:
            cols.append(_cell("<b>Non-trainable</b>", "firebrick", "white"))
    if cols:
        label += f"<tr>{''.join(cols)}</tr>"
    return label + "</table>>"


def _make_node(pydot, layer, options):
    node = pydot.Node(str(id(layer)), label=make_layer_label(layer, **options))
    node.set("fontname", "Helvetica")
    node.set("border", "0")
    node.set("margin", "0")
    return node


def _add_edge(pydot, dot, source, destination):
    src, dst = str(id(source)), str(id(destination))
    if not dot.get_edge(src, dst):
        edge = pydot.Edge(src, dst)
        edge.set("penwidth", "2")
        dot.add_edge(edge)


def _check_kwargs(kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")


def _check_built(model):
    if not model.built:
        raise ValueError(
            "This model has not yet been built. Build the model first by calling `build()` "
            "or by calling the model on a batch of data."
        )


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    subgraph=False,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """Converts a model to a `pydot.Dot` graph: one box per layer, one edge per connection.

    Args:
        model: a built model (Sequential, Functional, or subclassed: drawn as one box).
        show_shapes: whether to show each layer's input and output shapes.
        show_dtype: whether to show each layer's output dtype.
        show_layer_names: whether to show layer names next to class names.
        rankdir: graphviz's `rankdir`: `"TB"` draws top to bottom, `"LR"` left to right.
        expand_nested: whether to draw nested Sequential/Functional models as clusters of
            their layers (otherwise one box each).
        dpi: image resolution in dots per inch.
        subgraph: whether to return a `pydot.Cluster` (used for nested models).
        show_layer_activations: whether to show the activation of layers that have one.
        show_trainable: whether to show if each layer with weights is trainable.
        splines: how graphviz draws edges (`"ortho"`, `"curved"`, `"polyline"`, `"spline"`,
            `"line"`).

    Returns:
        A `pydot.Dot` (or `pydot.Cluster` when `subgraph=True`).
    """
    _check_built(model)
    pydot = _pydot()
    if pydot is None:
        raise ImportError(_PYDOT_MISSING.format("model_to_dot"))
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    _check_kwargs(kwargs)
    options = {
        "show_layer_names": show_layer_names,
        "show_layer_activations": show_layer_activations,
        "show_dtype": show_dtype,
        "show_shapes": show_shapes,
        "show_trainable": show_trainable,
    }
    if _is_sequential(model):
        layers = model.layers
    elif not _is_functional(model):
        dot.add_node(_make_node(pydot, model, options))  # a subclassed model is one box
        return dot
    else:
        layers = model.layers

    for layer in layers:
        if expand_nested and _is_graph_model(layer):
            dot.add_subgraph(
                model_to_dot(
                    layer,
                    show_shapes,
                    show_dtype,
                    show_layer_names,
                    rankdir,
                    expand_nested,
                    subgraph=True,
                    show_layer_activations=show_layer_activations,
                    show_trainable=show_trainable,
                )
            )
        else:
            dot.add_node(_make_node(pydot, layer, options))

    if _is_sequential(model):
        if not expand_nested:
            for before, after in zip(layers[:-1], layers[1:]):
                _add_edge(pydot, dot, before, after)
            return dot
        # The first layer's edge comes from outside (the box or cluster feeding this model).
        layers = model.layers[1:]

    in_model = {id(step.node) for step in model._plan} if _is_functional(model) else None
    for layer in layers:
        for node in layer._inbound_nodes:
            if in_model is not None and not node.is_input and id(node) not in in_model:
                continue
            for input_index, tensor in enumerate(node.input_tensors):
                history = tensor._keras_history
                if history is None:
                    continue
                source, _, output_index = history
                destination = layer
                if not expand_nested:
                    _add_edge(pydot, dot, source, destination)
                    continue
                while _is_graph_model(source):
                    # Connect from the layer inside the nested model that makes this output.
                    source, _, output_index = source.outputs[output_index]._keras_history
                while _is_graph_model(destination):
                    if _is_functional(destination):
                        destination = destination.inputs[input_index]._keras_history[0]
                    else:
                        destination = destination.layers[0]
                _add_edge(pydot, dot, source, destination)
    return dot


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """Draws a model's graph (see `model_to_dot`) and writes it to `to_file`.

    The file's extension picks the format (`png` when there is none; `svg`, `pdf`, `dot`
    and every other graphviz format work). Without graphviz's `dot` program, the graph is
    still drawn, by cornu's own layout, as an SVG file (`to_file` with the extension
    `.svg`; a `.dot`/`.gv` file gets the DOT text), and a warning says so.

    Args:
        model: a built model.
        to_file: the path of the picture to write.
        show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi,
        show_layer_activations, show_trainable, splines: as in `model_to_dot`.

    Returns:
        An IPython `Image` of the picture when IPython is installed (and the file is not a
        PDF), else None.
    """
    _check_built(model)
    if not check_pydot():
        raise ImportError(_PYDOT_MISSING.format("plot_model"))
    _check_kwargs(kwargs)
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
        splines=splines,
    )
    to_file = str(to_file)
    base, extension = os.path.splitext(to_file)
    extension = extension[1:] if extension else "png"
    if check_graphviz():
        dot.write(to_file, format=extension)
    else:
        if extension in ("dot", "gv", "raw"):
            dot.write(to_file, format="raw")
            written = to_file
        else:
            written = to_file if extension == "svg" else base + ".svg"
            write_svg(dot, written, rankdir=rankdir)
        if not _warned["graphviz"]:  # said once per process
            _warned["graphviz"] = True
            warnings.warn(
                "plot_model: graphviz's `dot` program was not found, so the graph was drawn "
                f"without it and written to '{written}' (an SVG, or DOT text for .dot). "
                "Install graphviz (https://graphviz.org/download/) for PNG and PDF output.",
                stacklevel=2,
            )
        to_file, extension = written, os.path.splitext(written)[1][1:]
    if extension not in ("pdf", "svg", "dot", "gv", "raw"):
        try:
            from IPython import display
        except ImportError:
            return None
        return display.Image(filename=to_file)
    return None
