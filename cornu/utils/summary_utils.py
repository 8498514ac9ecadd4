"""print_summary: the table that ``model.summary()`` prints, as Keras 3 draws it."""

import math
import re
import shutil
import sys

from cornu.core.dtypes import standardize_dtype
from cornu.utils import io_utils
from cornu.utils.text_table import fit_widths, render_table

_DTYPE_BITS = {
    **{f"float{i}": i for i in (16, 32, 64)},
    **{f"int{i}": i for i in (8, 16, 32, 64)},
    **{f"uint{i}": i for i in (8, 16, 32, 64)},
    "bfloat16": 16,
    "bool": 1,
    "complex64": 64,
    "complex128": 128,
}


def count_params(weights):
    """The number of scalars in `weights` (a list of variables)."""
    return int(sum(math.prod(w.shape) for w in weights))


def weight_memory_size(weights):
    """The memory that `weights` take, in bytes (each variable counted once)."""
    unique = {id(w): w for w in weights}.values()
    bits = 0
    for w in unique:
        bits += math.prod(w.shape) * _DTYPE_BITS.get(standardize_dtype(w.dtype), 0)
    return bits / 8


def readable_memory_size(size):
    """A size in bytes as Keras prints it, e.g. ``"1.55 MB"``."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _is_instance_of(obj, class_name):
    return any(cls.__name__ == class_name for cls in type(obj).__mro__)


def _format_shape(shape):
    return f"({', '.join(str(d) for d in shape)})"


def format_layer_shape(layer):
    """The output shape column of a layer: from its last call on symbolic tensors, else from
    the shapes it was built with, else ``"?"``."""
    nodes = getattr(layer, "_inbound_nodes", None) or []
    if nodes:
        shapes = [_format_shape(t.shape) for t in nodes[-1].output_tensors]
    else:
        build_shapes = getattr(layer, "_build_shapes_dict", None)
        if not build_shapes:
            return "?"
        try:
            outputs = layer.compute_output_shape(**build_shapes)
        except Exception:
            return "?"
        if isinstance(outputs, tuple) and all(d is None or isinstance(d, int) for d in outputs):
            outputs = [outputs]
        shapes = [_format_shape(s) for s in outputs]
    if len(shapes) == 1:
        return shapes[0]
    return f"[{', '.join(shapes)}]"


def _model_nodes(model, layers):
    """The nodes of `model`'s graph: from ``_nodes_by_depth`` when the model has it, else the
    nodes of its layers whose inputs all come from its layers."""
    by_depth = getattr(model, "_nodes_by_depth", None)
    if by_depth:
        return [node for depth in by_depth.values() for node in depth], list(by_depth.values())
    ids = {id(layer) for layer in layers}
    nodes = []
    for layer in layers:
        for node in getattr(layer, "_inbound_nodes", None) or []:
            if all(id(t._keras_history[0]) in ids for t in node.input_tensors):
                nodes.append(node)
    return nodes, None


def _is_chain(layers, nodes, nodes_by_depth):
    """Whether a Functional graph is a single chain (then it prints like a Sequential)."""
    if nodes_by_depth is not None:
        for depth in nodes_by_depth:
            if len(depth) > 1 or (len(depth) == 1 and len(depth[0].input_tensors) > 1):
                return False
    else:
        if sum(1 for node in nodes if not node.input_tensors) > 1:
            return False
        consumers = {}
        for node in nodes:
            if len(node.input_tensors) > 1:
                return False
            for t in node.input_tensors:
                key = id(t._keras_history[0])
                consumers[key] = consumers.get(key, 0) + 1
                if consumers[key] > 1:
                    return False
    node_ids = {id(node) for node in nodes}
    for layer in layers:
        used = [n for n in getattr(layer, "_inbound_nodes", None) or [] if id(n) in node_ids]
        if len(used) > 1:
            return False
    return True


def _layer_range_bounds(layers, layer_range):
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(
            "`layer_range` must be a list or tuple of 2 layer names (or regexes). "
            f"Received: layer_range={layer_range!r}"
        )
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"`layer_range` must hold strings only. Received: {layer_range!r}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            "`layer_range` does not match the names of the model's layers. "
            f"Received: {layer_range!r}; layers: {[layer.name for layer in layers]}"
        )
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def _column_widths(positions, line_length):
    absolute = positions[-1] > 1
    widths = []
    current = 0
    for pos in positions:
        end = int(pos) if absolute else int(pos * line_length)
        width = end - current
        if width < 4:
            raise ValueError(
                "Insufficient console width to print summary: a column would be "
                f"{width} characters wide. Pass a larger `line_length` or other `positions`."
            )
        widths.append(width)
        current = end
    return widths


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Prints a summary of a model: one row per layer, then the parameter counts.

    Args:
        model: a `Model` instance.
        line_length: total length of the printed lines; by default 88 (108 for a Functional
            model that is not a chain), at most the terminal width minus 4.
        positions: relative (or absolute) right ends of the columns; by default
            ``[0.45, 0.80, 1.0]``, or ``[0.3, 0.56, 0.74, 1.0]`` with "Connected to".
        print_fn: function called once with the whole summary text; by default it is written
            to stdout.
        expand_nested: whether to list the layers of nested models under them.
        show_trainable: whether to add a column saying whether each layer is trainable.
        layer_range: two layer names (or regexes), the first and last layers to show.
    """
    layers = list(model.layers)
    sequential_like = True
    relevant_nodes = None
    if not _is_instance_of(model, "Sequential") and _is_instance_of(model, "Functional"):
        nodes, nodes_by_depth = _model_nodes(model, layers)
        sequential_like = _is_chain(layers, nodes, nodes_by_depth)
        relevant_nodes = {id(node) for node in nodes}

    if sequential_like:
        default_length = 88
        positions = list(positions or [0.45, 0.80, 1.0])
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_length = 108
        positions = list(positions or [0.3, 0.56, 0.74, 1.0])
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        if positions[-1] > 1:
            positions = [int(p * 0.9) for p in positions] + [positions[-1]]
        else:
            positions = [p * 0.9 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")

    default_length = min(default_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_length
    widths = fit_widths(_column_widths(positions, line_length), line_length)

    def connections(layer):
        text = ""
        for node in getattr(layer, "_inbound_nodes", None) or []:
            if relevant_nodes and id(node) not in relevant_nodes:
                continue
            for tensor in node.input_tensors:
                inbound, node_index, tensor_index = tuple(tensor._keras_history)[:3]
                text += ", " if text else ""
                text += f"{inbound.name}[{node_index}][{tensor_index}]"
        return text or "-"

    def layer_row(layer, prefix):
        if not hasattr(layer, "built"):
            params = "0"
        elif not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{layer.count_params():,}"
        row = [f"{prefix}{layer.name} ({type(layer).__name__})", format_layer_shape(layer), params]
        if not sequential_like:
            row.append(connections(layer))
        if show_trainable:
            if getattr(layer, "weights", None):
                row.append("Y" if layer.trainable else "N")
            else:
                row.append("-")
        return row

    def rows_of(layer, level=0):
        prefix = "   " * level + "└ " if level else ""
        rows = [layer_row(layer, prefix)]
        if expand_nested and getattr(layer, "layers", None):
            for inner in layer.layers:
                rows.extend(rows_of(inner, level + 1))
        return rows

    start, stop = _layer_range_bounds(layers, layer_range)
    rows = [row for layer in layers[start:stop] for row in rows_of(layer)]

    trainable = getattr(model, "_collected_trainable_weights", None)
    if trainable is None:
        trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    totals = [
        ("Trainable params", count_params(trainable), weight_memory_size(trainable)),
        ("Non-trainable params", count_params(non_trainable), weight_memory_size(non_trainable)),
    ]
    optimizer = getattr(model, "optimizer", None) if getattr(model, "compiled", False) else None
    if optimizer is not None and getattr(optimizer, "built", False):
        variables = list(optimizer.variables)
        totals.append(("Optimizer params", count_params(variables), weight_memory_size(variables)))
    total_count = sum(count for _, count, _ in totals)
    total_size = sum(size for _, _, size in totals)

    lines = [f'Model: "{model.name}"']
    lines += render_table(header, rows, widths, alignment)
    lines.append(f" Total params: {total_count:,} ({readable_memory_size(total_size)})")
    for label, count, size in totals:
        lines.append(f" {label}: {count:,} ({readable_memory_size(size)})")
    text = "\n".join(lines) + "\n"
    if print_fn is None and not io_utils.is_interactive_logging_enabled():
        print_fn = io_utils.print_msg
    if print_fn is not None:
        print_fn(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
