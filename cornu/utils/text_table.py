"""A plain-text table drawn like `rich`'s heavy-headed tables (as ``model.summary()`` prints)."""

import math
import re

_WORD = re.compile(r"\s*\S+\s*")


def _ratio_reduce(total, widths):
    # Takes `total` cells off the columns, evenly, as rich does.
    remaining_ratio = sum(1 for w in widths if w)
    result = []
    for width in widths:
        if width and remaining_ratio > 0:
            taken = min(width, round(total / remaining_ratio))
            result.append(width - taken)
            total -= taken
            remaining_ratio -= 1
        else:
            result.append(width)
    return result


def _ratio_distribute(total, ratios):
    # Shares `total` extra cells out in proportion to `ratios`, as rich does.
    remaining_ratio = sum(ratios)
    result = []
    for ratio in ratios:
        share = math.ceil(ratio * total / remaining_ratio) if remaining_ratio > 0 else total
        result.append(share)
        total -= share
        remaining_ratio -= ratio
    return result


def fit_widths(widths, line_length):
    """The widths (with one cell of padding either side) that columns asking for `widths`
    content cells get in a table `line_length` characters wide."""
    padded = [w + 2 for w in widths]
    available = line_length - (len(widths) + 1)
    total = sum(padded)
    if total > available:
        padded = _ratio_reduce(total - available, padded)
    elif total < available:
        extra = _ratio_distribute(available - total, padded)
        padded = [w + e for w, e in zip(padded, extra)]
    return padded


def _break_positions(text, width):
    breaks = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if start:
                breaks.append(start)
            offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def wrap_cell(text, width, justify="left"):
    """`text` split into lines of exactly `width` characters: word-wrapped, a word too long
    truncated with "…", then justified ``"left"``, ``"right"`` or ``"center"``."""
    lines = []
    for paragraph in str(text).split("\n"):
        cuts = [0, *_break_positions(paragraph, width), len(paragraph)]
        for a, b in zip(cuts, cuts[1:]):
            line = paragraph[a:b].rstrip()
            if len(line) > width:
                line = line[: max(width - 1, 0)] + "…"
            if justify == "right":
                line = line.rjust(width)
            elif justify == "center":
                left = (width - len(line)) // 2
                line = (" " * left + line).ljust(width)
            else:
                line = line.ljust(width)
            lines.append(line)
    return lines


def render_table(header, rows, widths, alignment):
    """The lines of a table with a heavy header, a rule between rows and the given column
    `widths` (padding included)."""

    def row_lines(cells, bottom_align, bar):
        wrapped = [
            wrap_cell(cell, width - 2, align)
            for cell, width, align in zip(cells, widths, alignment)
        ]
        height = max(len(lines) for lines in wrapped)
        for i, lines in enumerate(wrapped):
            blank = [" " * (widths[i] - 2)] * (height - len(lines))
            wrapped[i] = blank + lines if bottom_align else lines + blank
        return [
            bar + bar.join(f" {wrapped[c][r]} " for c in range(len(cells))) + bar
            for r in range(height)
        ]

    def rule(left, fill, middle, right):
        return left + middle.join(fill * w for w in widths) + right

    lines = [rule("┏", "━", "┳", "┓")]
    lines += row_lines(header, True, "┃")
    lines.append(rule("┡", "━", "╇", "┩"))
    for i, row in enumerate(rows):
        if i:
            lines.append(rule("├", "─", "┼", "┤"))
        lines += row_lines(row, False, "│")
    lines.append(rule("└", "─", "┴", "┘"))
    return lines
