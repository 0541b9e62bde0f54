"""dlstudy.graph: the autograd graph as lists, as text, and as a PNG (with and without Graphviz)."""

import shutil

import pytest
import torch

import dlstudy.graph as graph
from dlstudy.graph import show_graph, trace

HAS_DOT = shutil.which("dot") is not None


@pytest.fixture
def xyz():
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    z = x * y
    return x, y, z


@pytest.fixture
def notebook(monkeypatch):
    """Pretend to be inside a Jupyter kernel and record what would be displayed."""
    import IPython.display

    shown = []
    monkeypatch.setattr(graph, "_in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kwargs: shown.extend(objs))
    return shown


def test_trace_names_leaves_and_operations(xyz):
    x, y, z = xyz
    nodes, edges = trace(z, {"x": x, "y": y})
    assert nodes == ["MulBackward0", "x", "y"]
    assert edges == [("x", "MulBackward0"), ("y", "MulBackward0")]


def test_trace_of_a_module_uses_parameter_names():
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    nodes, edges = trace(net(torch.randn(4, 2)).sum(), net)
    assert {"0.weight", "0.bias", "2.weight", "2.bias", "ReluBackward0"} <= set(nodes)
    assert nodes[0] == "SumBackward0" and "AccumulateGrad" not in " ".join(nodes)
    assert ("0.bias", "AddmmBackward0 #2") in edges            # repeated operations are numbered
    assert all(a in nodes and b in nodes for a, b in edges)


def test_trace_unnamed_repeated_and_intermediate_tensors():
    x, w = torch.ones(3, requires_grad=True), torch.ones(3, requires_grad=True)
    a = x * w
    nodes, edges = trace(a * x, {"a": a})
    assert nodes == ["MulBackward0", "a (MulBackward0)", "leaf", "leaf #2"]
    assert edges.count(("leaf", "a (MulBackward0)")) == 1 and ("leaf", "MulBackward0") in edges
    assert trace(x) == (["leaf"], [])                         # a leaf is a graph of one node


def test_bad_input_gets_a_clear_error():
    with pytest.raises(ValueError, match="requires_grad=True"):
        trace(torch.ones(2) * 3)
    with pytest.raises(TypeError, match="tensor"):
        trace([1.0, 2.0])
    with pytest.raises(TypeError, match="params must be a dict"):
        trace(torch.ones(1, requires_grad=True) * 2, params=[1, 2])


def test_outside_a_notebook_the_graph_is_printed_as_text(xyz, capsys):
    x, y, z = xyz
    w = torch.tensor(1.0, requires_grad=True)
    out = z + w
    out.backward()
    assert show_graph(out, {"x": x, "y": y, "w": w}, show_values=True) is None
    assert capsys.readouterr().out.splitlines() == [
        "AddBackward0 <- MulBackward0, w",
        "  MulBackward0 <- x, y",
        "    x  shape ()  value 2  grad 3",
        "    y  shape ()  value 3  grad 2",
        "  w  shape ()  value 1  grad 1",
    ]


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed")
def test_in_a_notebook_with_dot_a_png_is_displayed(xyz, notebook, capsys):
    from IPython.display import Image

    x, y, z = xyz
    assert show_graph(z, {"x": x, "y": y}, show_values=True) is None     # nothing with an address
    assert len(notebook) == 1 and isinstance(notebook[0], Image)
    assert notebook[0].data.startswith(b"\x89PNG") and notebook[0].format == "png"
    assert "0x" not in repr(notebook[0]) and capsys.readouterr().out == ""


def test_graphviz_source_has_names_values_and_no_memory_addresses(xyz):
    x, y, z = xyz
    z.backward()
    rows = graph._walk(z, {"x": x, "y": y})
    source = graph._digraph(z, rows, {"x": x, "y": y}, show_values=True).source
    assert "x\nshape ()\nvalue 2\ngrad 3" in source and "output\nshape ()\nvalue 6" in source
    assert str(id(x)) not in source and "n0" in source
    assert source == graph._digraph(z, graph._walk(z, {"x": x, "y": y}), {"x": x, "y": y}, True).source


HINTS = ("apt install graphviz", "brew install graphviz", "conda install -c conda-forge graphviz")


def test_without_dot_on_the_path_the_text_and_an_install_hint_are_printed(xyz, notebook, capsys, monkeypatch):
    x, y, z = xyz
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    assert show_graph(z, {"x": x, "y": y}) is None
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["MulBackward0 <- x, y", "  x  shape ()", "  y  shape ()"]
    assert len(lines) == 4 and all(hint in lines[3] for hint in HINTS)
    assert notebook == []


def test_when_graphviz_cannot_run_dot_the_text_is_printed(xyz, notebook, capsys, monkeypatch, tmp_path):
    x, y, z = xyz
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: "/usr/bin/dot")   # it claims dot exists
    monkeypatch.setenv("PATH", str(tmp_path))                                          # but it cannot be run
    assert show_graph(z, {"x": x, "y": y}) is None
    out = capsys.readouterr().out
    assert out.startswith("MulBackward0 <- x, y\n") and all(hint in out for hint in HINTS)
    assert notebook == []


def test_not_in_a_notebook_under_pytest():
    assert graph._in_notebook() is False
