"""write_svg: draws a pydot graph as an SVG file without graphviz (a plain layered layout).

Used by `plot_model` when graphviz's `dot` program is missing. Each node is a box holding its
label's text rows; nodes are placed in ranks by their longest path from a source; clusters
(nested models) get a dashed frame around their nodes.
"""

import html
import re

from cornu.utils.durable_files import atomic_write

_ROW = 18
_CHAR = 7.2
_PAD = 10
_GAP_RANK = 50
_GAP_NODE = 30


def _label_rows(label):
    """The text rows of an HTML-like table label (one row per ``<tr>``)."""
    label = (label or "").strip()
    if label.startswith("<") and label.endswith(">"):
        label = label[1:-1]
    rows = re.split(r"</tr>", label)
    texts = []
    for row in rows:
        cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.split(r"</td>", row)]
        text = "  |  ".join(html.unescape(c).strip() for c in cells if c.strip())
        if text:
            texts.append(text)
    return texts or [label.strip('"')]


def _walk(graph, cluster=None, nodes=None, clusters=None, edges=None):
    nodes = {} if nodes is None else nodes
    clusters = [] if clusters is None else clusters
    edges = [] if edges is None else edges
    for node in graph.get_nodes():
        name = node.get_name().strip('"')
        if name in ("node", "edge", "graph"):
            continue
        nodes[name] = (_label_rows(node.get("label")), cluster)
    for edge in graph.get_edges():
        edges.append((str(edge.get_source()).strip('"'), str(edge.get_destination()).strip('"')))
    for sub in graph.get_subgraphs():
        label = (sub.get("label") or sub.get_name()).strip('"')
        clusters.append(label)
        _walk(sub, len(clusters) - 1, nodes, clusters, edges)
    return nodes, clusters, edges


def _ranks(names, edges):
    rank = dict.fromkeys(names, 0)
    for _ in range(len(names)):  # longest path from a source (the graph is acyclic)
        changed = False
        for src, dst in edges:
            if src in rank and dst in rank and rank[dst] < rank[src] + 1:
                rank[dst] = rank[src] + 1
                changed = True
        if not changed:
            break
    return rank


def layout(dot, rankdir="TB"):
    """Places the nodes of a pydot graph; returns boxes, cluster frames and edge segments."""
    nodes, clusters, edges = _walk(dot)
    names = list(nodes)
    rank = _ranks(names, edges)
    sizes = {
        n: (max(len(r) for r in nodes[n][0]) * _CHAR + 2 * _PAD, len(nodes[n][0]) * _ROW + _PAD)
        for n in names
    }
    by_rank = {}
    for n in names:
        by_rank.setdefault(rank[n], []).append(n)
    horizontal = rankdir.upper() in ("LR", "RL")

    def across_size(n):
        return sizes[n][1] if horizontal else sizes[n][0]

    def group(n):
        return -1 if nodes[n][1] is None else nodes[n][1]

    # Each group (the top level, then each cluster) gets its own column across the ranks,
    # as wide as its widest rank, so that the clusters' frames stay apart.
    groups = sorted({group(n) for n in names})
    widths = {
        g: max(
            sum(across_size(n) + _GAP_NODE for n in members if group(n) == g)
            for members in by_rank.values()
        )
        for g in groups
    }
    column, offset = {}, 40.0
    for g in groups:
        column[g] = offset
        offset += widths[g] + (_GAP_NODE if g == -1 else 2 * _GAP_NODE)
    boxes, along = {}, 40.0
    for r in sorted(by_rank):
        members = by_rank[r]
        depth = max(sizes[n][0] if horizontal else sizes[n][1] for n in members)
        cursor = dict(column)
        for n in members:
            w, h = sizes[n]
            across = cursor[group(n)]
            boxes[n] = (along, across, w, h) if horizontal else (across, along, w, h)
            cursor[group(n)] += across_size(n) + _GAP_NODE
        along += depth + _GAP_RANK
    frames = []
    for index, label in enumerate(clusters):
        inside = [boxes[n] for n in names if nodes[n][1] == index]
        if inside:
            x0 = min(b[0] for b in inside) - 12
            y0 = min(b[1] for b in inside) - 24
            x1 = max(b[0] + b[2] for b in inside) + 12
            y1 = max(b[1] + b[3] for b in inside) + 12
            frames.append((label, x0, y0, x1 - x0, y1 - y0))
    lines = []
    for src, dst in edges:
        if src in boxes and dst in boxes:
            sx, sy, sw, sh = boxes[src]
            dx, dy, dw, dh = boxes[dst]
            if horizontal:
                lines.append((sx + sw, sy + sh / 2, dx, dy + dh / 2))
            else:
                lines.append((sx + sw / 2, sy + sh, dx + dw / 2, dy))
    return {n: (boxes[n], nodes[n][0]) for n in names}, frames, lines


def render_svg(dot, rankdir="TB"):
    """The SVG text of a pydot graph, laid out by `layout`."""
    boxes, frames, lines = layout(dot, rankdir)
    extent = [(x + w, y + h) for (x, y, w, h), _ in boxes.values()]
    extent += [(x + w, y + h) for _, x, y, w, h in frames]
    width = max((e[0] for e in extent), default=100) + 40
    height = max((e[1] for e in extent), default=100) + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif">',
        '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" '
        'orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="black"/></marker></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for label, x, y, w, h in frames:
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="none" '
            'stroke="black" stroke-dasharray="6,4"/>'
        )
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + 16:.1f}" font-size="13">{html.escape(label)}</text>'
        )
    for x0, y0, x1, y1 in lines:
        out.append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="black" '
            'stroke-width="2" marker-end="url(#arrow)"/>'
        )
    for (x, y, w, h), rows in boxes.values():
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="white" '
            'stroke="black"/>'
        )
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_ROW + 4}" fill="black"/>'
        )
        for i, row in enumerate(rows):
            color = "white" if i == 0 else "black"
            weight = ' font-weight="bold"' if i == 0 else ""
            out.append(
                f'<text x="{x + _PAD:.1f}" y="{y + 15 + i * _ROW:.1f}" font-size="12" '
                f'fill="{color}"{weight}>{html.escape(row)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_svg(dot, path, rankdir="TB"):
    """Writes `render_svg(dot)` to `path` (atomically)."""
    text = render_svg(dot, rankdir)
    with atomic_write(path, "w", encoding="utf-8") as f:
        f.write(text)
