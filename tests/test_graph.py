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
    monkeypatch.setattr(graph, "in_notebook", lambda: True)
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


def _image(shown):
    from IPython.display import Image

    assert len(shown) == 1 and isinstance(shown[0], Image) and shown[0].format == "png"
    assert shown[0].data.startswith(b"\x89PNG") and "0x" not in repr(shown[0])
    return shown[0]


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz 'dot' is not installed")
def test_in_a_notebook_with_dot_graphviz_draws_a_png(xyz, notebook, capsys, monkeypatch):
    x, y, z = xyz
    drawn_by = []
    monkeypatch.setattr(graph, "_matplotlib_png", lambda *args: drawn_by.append("matplotlib"))
    assert show_graph(z, {"x": x, "y": y}, show_values=True) is None     # nothing with an address
    _image(notebook)
    assert drawn_by == [] and capsys.readouterr() == ("", "")


def test_the_drawing_has_names_values_and_the_output_and_no_memory_addresses(xyz):
    x, y, z = xyz
    z.backward()
    nodes, edges, labels, fills = graph._drawing(z, graph._walk(z, {"x": x, "y": y}), {"x": x, "y": y}, True)
    assert nodes == ["MulBackward0", "x", "y", "output"]
    assert edges == [("x", "MulBackward0"), ("y", "MulBackward0"), ("MulBackward0", "output")]
    assert labels["x"] == "x\nshape ()\nvalue 2\ngrad 3" and labels["output"] == "output\nshape ()\nvalue 6"
    assert fills == {"x": "#add8e6", "y": "#add8e6", "output": "#caff70"}
    assert not any(str(id(t)) in text for t in (x, y, z) for text in labels.values())


HINTS = ("apt install graphviz", "brew install graphviz", "conda install -c conda-forge graphviz")


def test_without_dot_matplotlib_draws_the_same_png_and_the_hint_goes_to_stderr(xyz, notebook, capsys, monkeypatch):
    x, y, z = xyz
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    assert graph.graphviz_status() == "missing"
    assert show_graph(z, {"x": x, "y": y}) is None
    _image(notebook)
    out, err = capsys.readouterr()
    assert out == ""                                  # the stored text output is the same as with dot
    assert "missing" in err and all(hint in err for hint in HINTS)


def _broken_dot(tmp_path, monkeypatch):
    """A `dot` on the PATH that fails whatever it is asked."""
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'dot: cannot load plugins' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))


def test_a_broken_dot_is_reported_and_matplotlib_draws_instead(xyz, notebook, capsys, monkeypatch, tmp_path):
    x, y, z = xyz
    _broken_dot(tmp_path, monkeypatch)
    assert graph.graphviz_status().startswith("broken: ")
    assert show_graph(z, {"x": x, "y": y}) is None
    _image(notebook)
    out, err = capsys.readouterr()
    assert out == "" and "broken" in err and all(hint in err for hint in HINTS)


def test_render_graph_draws_any_graph_and_checks_its_edges(monkeypatch):
    import io

    from PIL import Image

    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)      # the matplotlib drawing
    chain = graph.render_graph(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "d")], highlight=["c"])
    wide = graph.render_graph(["a", "b", "c", "d"], [("a", "d"), ("b", "d"), ("c", "d")])
    chain_w, chain_h = Image.open(io.BytesIO(chain)).size
    wide_w, wide_h = Image.open(io.BytesIO(wide)).size
    assert chain_h > wide_h and wide_w > chain_w           # four layers are taller, three inputs wider
    with pytest.raises(ValueError, match="'e'.*not in nodes"):
        graph.render_graph(["a", "b"], [("a", "e")])


def test_not_in_a_notebook_under_pytest():
    from dlstudy.display import in_notebook

    assert in_notebook() is False
