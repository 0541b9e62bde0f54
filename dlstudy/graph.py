"""Draw the computation graph (계산 그래프) that autograd recorded for a tensor.

``show_graph(z, {"x": x, "y": y})`` draws the graph as a PNG picture with Graphviz,
labelling each leaf tensor with its name and shape (and, with ``show_values=True``,
its value and ``.grad``: micrograd's ``draw_dot`` idea applied to real tensors).
``trace(z)`` returns the same graph as plain lists, without Graphviz. When Graphviz's
``dot`` program is missing, or outside a notebook, the graph is printed as text.
"""

import shutil
import sys
from collections import Counter

import torch

from dlstudy.doctor import GRAPHVIZ_HINT

__all__ = ["show_graph", "trace"]


def _named_tensors(params):
    """Turn ``params`` (None, a dict of name -> tensor, or an nn.Module) into a dict of name -> tensor."""
    if params is None:
        return {}
    if isinstance(params, torch.nn.Module):
        return dict(params.named_parameters())
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of name -> tensor (e.g. {{'x': x}}) or an nn.Module; "
                        f"got {type(params).__name__}.")
    for name, tensor in params.items():
        if not torch.is_tensor(tensor):
            raise TypeError(f"params[{name!r}] must be a tensor; got {type(tensor).__name__}.")
    return {str(name): tensor for name, tensor in params.items()}


def _check_output(output):
    if not torch.is_tensor(output):
        raise TypeError(f"Expected the output tensor of a computation (e.g. z = x * y); "
                        f"got {type(output).__name__}.")
    if output.grad_fn is None and not output.requires_grad:
        raise ValueError("This tensor has no computation graph: nothing it was computed from has "
                         "requires_grad=True. Create the inputs with requires_grad=True, e.g. "
                         "torch.tensor(2.0, requires_grad=True), and compute it outside torch.no_grad().")


def _walk(output, params=None):
    """Depth-first walk from ``output``: a list of (name, depth, child names, tensor or None) rows."""
    _check_output(output)
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


def _digraph(output, rows, params, show_values):
    """A graphviz.Digraph of the rows, with node ids n0, n1, ... (no memory addresses)."""
    import graphviz

    style = dict(style="filled", shape="box", fontname="monospace", fontsize="10",
                 height="0.2", fillcolor="lightgray")
    dot = graphviz.Digraph(node_attr=style, graph_attr=dict(size="12,12"))
    ids = {name: f"n{i}" for i, (name, _, _, _) in enumerate(rows)}
    for name, _, children, tensor in rows:
        if tensor is not None:
            dot.node(ids[name], name + "\n" + _leaf_text(tensor, show_values, sep="\n"), fillcolor="lightblue")
        else:
            dot.node(ids[name], name)
        for child in children:
            dot.edge(ids[child], ids[name])
    if output.grad_fn is not None:   # the output tensor itself, in green as torchviz draws it
        name = {id(t): n for n, t in _named_tensors(params).items()}.get(id(output), "output")
        dot.node("out", name + "\n" + _leaf_text(output, show_values, sep="\n"), fillcolor="darkolivegreen1")
        dot.edge(ids[rows[0][0]], "out")
    return dot


def _render_png(output, rows, params, show_values):
    """PNG bytes from Graphviz's ``dot``, or None when Graphviz cannot be run here."""
    try:
        import graphviz
    except ImportError:
        return None
    try:
        return _digraph(output, rows, params, show_values).pipe(format="png")
    except graphviz.ExecutableNotFound:
        return None


def _in_notebook():
    """True inside a Jupyter kernel (where a PNG can be displayed), without importing IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and hasattr(shell, "kernel")


def show_graph(output, params=None, show_values=False):
    """Draw the autograd graph behind ``output`` as a PNG in a notebook (as text elsewhere); returns None.

    ``params`` names the leaf tensors: a dict such as ``{"x": x, "w": w}``, or an
    nn.Module whose ``named_parameters()`` are used. ``show_values=True`` adds each
    leaf's value and ``.grad``. Without Graphviz's ``dot`` you get the text version
    and one line on how to install Graphviz.

    >>> x = torch.tensor(2.0, requires_grad=True); y = torch.tensor(3.0, requires_grad=True)
    >>> z = x * y; z.backward()
    >>> show_graph(z, {"x": x, "y": y}, show_values=True)
    MulBackward0 <- x, y
      x  shape ()  value 2  grad 3
      y  shape ()  value 3  grad 2
    """
    rows = _walk(output, params)
    if not _in_notebook():
        print(_as_text(rows, show_values))
        return None
    png = _render_png(output, rows, params, show_values) if shutil.which("dot") is not None else None
    if png is None:
        print(_as_text(rows, show_values))
        print(f"Graphviz 'dot' was not found, so the graph is shown as text. To draw it, {GRAPHVIZ_HINT}; "
              "then restart the kernel.")
        return None
    from IPython.display import Image, display
    display(Image(data=png, format="png"))
    return None
