"""Draw the computation graph (계산 그래프) that autograd recorded for a tensor.

``show_graph(z, {"x": x, "y": y})`` draws the graph as a PNG picture with Graphviz,
labelling each leaf tensor with its name and shape (and, with ``show_values=True``,
its value and ``.grad``: micrograd's ``draw_dot`` idea applied to real tensors).
``trace(z)`` returns the same graph as plain lists, without Graphviz. When Graphviz's
``dot`` program is missing, matplotlib draws the same graph; outside a notebook it is printed as text.
"""

import shutil
import subprocess
import sys
from collections import Counter

import torch

from dlstudy.contract import Flag, Optional, Rule, declare, shown
from dlstudy.display import in_notebook, show_png

__all__ = ["show_graph", "trace", "render_graph", "graphviz_status", "GRAPHVIZ_HINT"]


class Output(Rule):
    """The output tensor of a computation with a graph behind it (``z = x * y`` with ``x.requires_grad``)."""

    def check(self, value, name):
        if not torch.is_tensor(value):
            self.fail(name, "the output tensor of a computation, such as z = x * y", value)
        if value.grad_fn is None and not value.requires_grad:
            raise ValueError(f"{name} has no computation graph: nothing it was computed from has "
                             "requires_grad=True. Create the inputs with requires_grad=True, e.g. "
                             "torch.tensor(2.0, requires_grad=True), and compute it outside torch.no_grad().")
        return value


class Params(Rule):
    """Names for the leaf tensors: a dict of name -> tensor (``{'x': x}``) or an nn.Module."""

    def check(self, value, name):
        if isinstance(value, torch.nn.Module):
            return value
        if isinstance(value, type) or not isinstance(value, dict):
            self.fail(name, "a dict of name -> tensor (e.g. {'x': x}) or an nn.Module", value)
        for key, tensor in value.items():
            if not torch.is_tensor(tensor):
                self.fail(f"{name}[{key!r}]", "a tensor", tensor)
        return value


OUTPUT, PARAMS = Output(), Optional(Params())


def _named_tensors(params):
    """Turn ``params`` (None, a dict of name -> tensor, or an nn.Module) into a dict of name -> tensor."""
    if params is None:
        return {}
    if isinstance(params, torch.nn.Module):
        return dict(params.named_parameters())
    return {str(name): tensor for name, tensor in params.items()}


def _walk(output, params=None):
    """Depth-first walk from ``output``: a list of (name, depth, child names, tensor or None) rows."""
    named = _named_tensors(params)
    names = {id(t): name for name, t in named.items()}                              # leaf tensors
    op_names = {t.grad_fn: name for name, t in named.items() if t.grad_fn is not None}  # named results
    if output.grad_fn is None:  # the output is itself a leaf
        name = names.get(id(output), "leaf")
        return [(name, 0, [], output)]

    given, counts = {}, Counter()

    def name_of(fn):
        if fn not in given:
            tensor = getattr(fn, "variable", None)   # AccumulateGrad stands for a leaf tensor
            if tensor is not None:
                base = names.get(id(tensor), "leaf")
            else:
                base = type(fn).__name__
                if fn in op_names:
                    base = f"{op_names[fn]} ({base})"
            counts[base] += 1
            given[fn] = base if counts[base] == 1 else f"{base} #{counts[base]}"
        return given[fn]

    rows, seen, stack = [], set(), [(output.grad_fn, 0)]
    while stack:
        fn, depth = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        children = [child for child, _ in getattr(fn, "next_functions", ()) if child is not None]
        rows.append((name_of(fn), depth, [name_of(c) for c in children], getattr(fn, "variable", None)))
        stack.extend((child, depth + 1) for child in reversed(children))
    return rows


@declare(output=OUTPUT, params=PARAMS)
def trace(output, params=None):
    """Return ``(nodes, edges)`` of the graph behind ``output``; edge ``(a, b)`` means a feeds b.

    Operations are named by their backward function (``MulBackward0``), leaf tensors by
    their name in ``params`` (a dict or an nn.Module), else as ``leaf``; repeated names get
    ``#2``, ``#3``, ...

    >>> x = torch.tensor(2.0, requires_grad=True); y = torch.tensor(3.0, requires_grad=True)
    >>> nodes, edges = trace(x * y + x, {"x": x, "y": y})
    >>> nodes
    ['AddBackward0', 'MulBackward0', 'x', 'y']
    >>> edges
    [('MulBackward0', 'AddBackward0'), ('x', 'AddBackward0'), ('x', 'MulBackward0'), ('y', 'MulBackward0')]
    """
    rows = _walk(output, params)
    nodes = [name for name, _, _, _ in rows]
    edges = [(child, name) for name, _, children, _ in rows for child in children]
    return nodes, edges


def _short(tensor):
    """A tensor's values in a few characters: ``2``, ``-0.125`` or ``[0.1, 0.2, 0.3, ...]``."""
    if tensor is None:
        return "None"
    flat = tensor.detach().reshape(-1)
    if flat.numel() == 1:
        return f"{flat.item():.4g}"
    shown = ", ".join(f"{v:.3g}" for v in flat[:3].cpu().tolist())
    return f"[{shown}{', ...' if flat.numel() > 3 else ''}]"


def _leaf_text(tensor, show_values, sep="  "):
    """``shape (3,)``, plus ``value ...`` and ``grad ...`` when asked for."""
    parts = ["shape " + str(tuple(tensor.shape))]
    if show_values:
        parts.append(f"value {_short(tensor)}")
        if tensor.is_leaf:
            parts.append(f"grad {_short(tensor.grad)}")
    return sep.join(parts)


def _as_text(rows, show_values):
    """One line per node, indented by its depth: ``MulBackward0 <- x, y`` or ``x  shape ()``."""
    lines = []
    for name, depth, children, tensor in rows:
        body = f"{name} <- {', '.join(children)}" if children else name
        if tensor is not None:
            body = f"{name}  {_leaf_text(tensor, show_values)}"
        lines.append("  " * depth + body)
    return "\n".join(lines)


GRAPHVIZ_HINT = ("install Graphviz: 'sudo apt install graphviz' (Debian/Ubuntu), 'brew install graphviz' "
                 "(macOS) or 'conda install -c conda-forge graphviz'")
FILLS = {"op": "#d3d3d3", "leaf": "#add8e6", "output": "#caff70"}   # gray, blue, green as torchviz


def graphviz_status():
    """``"ok"``, ``"missing"`` or ``"broken: <why>"`` for Graphviz's ``dot`` program on this machine."""
    dot = shutil.which("dot")
    if dot is None:
        return "missing"
    try:
        result = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as error:
        return f"broken: '{dot} -V' failed ({error})"
    if result.returncode != 0:
        return f"broken: '{dot} -V' exited with code {result.returncode}"
    return "ok"


def _graphviz_png(nodes, edges, labels, fills, highlight):
    """PNG bytes drawn by Graphviz's ``dot``, or None when it is missing or fails."""
    if shutil.which("dot") is None:
        return None
    try:
        import graphviz
    except ImportError:
        return None
    style = dict(style="filled", shape="box", fontname="monospace", fontsize="10", height="0.2")
    dot = graphviz.Digraph(node_attr=style, graph_attr=dict(size="12,12", dpi="192"))
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    for node in nodes:
        extra = dict(penwidth="3", color="orangered") if node in highlight else {}
        dot.node(ids[node], labels[node], fillcolor=fills[node], **extra)
    for a, b in edges:
        dot.edge(ids[a], ids[b])
    try:
        return dot.pipe(format="png")
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError, subprocess.SubprocessError):
        return None


def _layers(nodes, edges):
    """Each node's layer (0 for nodes nothing feeds, else one below its deepest input) and its inputs."""
    inputs = {node: [] for node in nodes}
    for a, b in edges:
        inputs[b].append(a)
    layer, pending = {}, list(nodes)
    while pending:
        ready = [n for n in pending if all(a in layer for a in inputs[n])] or pending  # (no cycles in autograd)
        for node in ready:
            layer[node] = 1 + max((layer.get(a, -1) for a in inputs[node]), default=-1)
        pending = [n for n in pending if n not in layer]
    return layer, inputs


def _matplotlib_png(nodes, edges, labels, fills, highlight):
    """The same drawing without Graphviz: boxes in layers, top to bottom, joined by arrows."""
    from matplotlib.figure import Figure

    from dlstudy.display import figure_to_png

    layer, inputs = _layers(nodes, edges)
    rows = [[n for n in nodes if layer[n] == k] for k in range(max(layer.values()) + 1)]
    x = {}
    for row in rows:                                  # place each node under its inputs
        row.sort(key=lambda n: sum(x[a] for a in inputs[n]) / len(inputs[n]) if inputs[n] else 0)
        for i, node in enumerate(row):
            x[node] = i - (len(row) - 1) / 2
    widest = max(len(line) for node in nodes for line in labels[node].split("\n"))
    gap = 0.1 * widest + 0.6                          # inches between box centres
    width = gap * max(map(len, rows))
    fig = Figure(figsize=(max(2.0, width), 0.95 * len(rows) + 0.2))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(-width / 2, width / 2)
    ax.set_ylim(-len(rows) + 0.45, 0.55)
    boxes = {}
    for node in nodes:
        edge = dict(edgecolor="orangered", linewidth=2.5) if node in highlight else dict(edgecolor="black")
        boxes[node] = ax.text(x[node] * gap, -layer[node], labels[node], ha="center", va="center",
                              family="monospace", fontsize=8,
                              bbox=dict(boxstyle="round,pad=0.3", facecolor=fills[node], **edge))
    for a, b in edges:
        ax.annotate("", xy=(x[b] * gap, -layer[b]), xytext=(x[a] * gap, -layer[a]),
                    arrowprops=dict(arrowstyle="-|>", color="0.3", shrinkA=0, shrinkB=0,
                                    patchA=boxes[a].get_bbox_patch(), patchB=boxes[b].get_bbox_patch()))
    return figure_to_png(fig, close=False)


class Nodes(Rule):
    """A list of node names (or pairs of names, for ``edges``); a bare text is refused."""

    def __init__(self, pairs=False):
        self.pairs = pairs

    def check(self, value, name):
        what = "a list of (a, b) pairs, such as [('x', 'x*y')]" if self.pairs else "a list of node names such as ['x', 'y']"
        if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple, set)):
            self.fail(name, what, value)
        items = list(value)
        if self.pairs and not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in items):
            bad = next(p for p in items if not (isinstance(p, (list, tuple)) and len(p) == 2))
            self.fail(name, what, value, f"One of them is {shown(bad)}.")
        return [tuple(p) for p in items] if self.pairs else items


class Table(Rule):
    """A dict that maps a node to its text or colour."""

    def check(self, value, name):
        if not isinstance(value, dict):
            self.fail(name, "a dict that maps a node to its text or colour, such as {'x': 'x = 2'}", value)
        return value


@declare(nodes=Nodes(), edges=Nodes(pairs=True), labels=Optional(Table()), fills=Optional(Table()), highlight=Nodes())
def render_graph(nodes, edges, labels=None, fills=None, highlight=()):
    """Draw a graph in the course's look and return PNG bytes: with Graphviz's ``dot``, else matplotlib.

    ``edges`` are ``(a, b)`` pairs meaning a feeds b; ``labels`` and ``fills`` map a node to
    its text and colour (default: its name, light gray); ``highlight`` nodes get a red border.

    >>> render_graph(["x", "y", "x*y"], [("x", "x*y"), ("y", "x*y")])[:4]
    b'\x89PNG'
    """
    nodes = list(nodes)
    for a, b in edges:
        if a not in nodes or b not in nodes:
            raise ValueError(f"Edge ({a!r}, {b!r}) names a node that is not in nodes {nodes}.")
    if not nodes:
        raise ValueError("Expected at least one node to draw; got an empty list of nodes.")
    labels = {node: str(node) for node in nodes} | dict(labels or {})
    fills = {node: FILLS["op"] for node in nodes} | dict(fills or {})
    highlight = set(highlight)
    return (_graphviz_png(nodes, edges, labels, fills, highlight)
            or _matplotlib_png(nodes, edges, labels, fills, highlight))


def _drawing(output, rows, params, show_values):
    """(nodes, edges, labels, fills) of the autograd graph, with the output tensor in green."""
    nodes = [name for name, _, _, _ in rows]
    edges = [(child, name) for name, _, children, _ in rows for child in children]
    labels, fills = {}, {}
    for name, _, _, tensor in rows:
        if tensor is not None:
            labels[name] = name + "\n" + _leaf_text(tensor, show_values, sep="\n")
            fills[name] = FILLS["leaf"]
    if output.grad_fn is not None:   # the output tensor itself, in green as torchviz draws it
        name = {id(t): n for n, t in _named_tensors(params).items()}.get(id(output), "output")
        key = name if name not in nodes else f"{name} (output)"
        nodes.append(key)
        edges.append((rows[0][0], key))
        labels[key] = name + "\n" + _leaf_text(output, show_values, sep="\n")
        fills[key] = FILLS["output"]
    return nodes, edges, labels, fills


@declare(output=OUTPUT, params=PARAMS, show_values=Flag())
def show_graph(output, params=None, show_values=False):
    """Draw the autograd graph behind ``output`` as a PNG in a notebook (as text elsewhere); returns None.

    ``params`` names the leaf tensors: a dict such as ``{"x": x, "w": w}``, or an
    nn.Module whose ``named_parameters()`` are used. ``show_values=True`` adds each
    leaf's value and ``.grad``. Without a working Graphviz ``dot``, matplotlib draws the
    same graph and one line on stderr says how to install Graphviz.

    >>> x = torch.tensor(2.0, requires_grad=True); y = torch.tensor(3.0, requires_grad=True)
    >>> z = x * y; z.backward()
    >>> show_graph(z, {"x": x, "y": y}, show_values=True)
    MulBackward0 <- x, y
      x  shape ()  value 2  grad 3
      y  shape ()  value 3  grad 2
    """
    rows = _walk(output, params)
    if not in_notebook():
        print(_as_text(rows, show_values))
        return None
    nodes, edges, labels, fills = _drawing(output, rows, params, show_values)
    show_png(render_graph(nodes, edges, labels, fills))
    status = graphviz_status()
    if status != "ok":   # on stderr, so the stored text output is the same with and without dot
        print(f"Graphviz 'dot' is {status}, so matplotlib drew this graph. For Graphviz's drawing, "
              f"{GRAPHVIZ_HINT}; then restart the kernel.", file=sys.stderr)
    return None
