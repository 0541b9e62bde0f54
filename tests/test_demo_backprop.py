"""Chapter 10's backprop stepper: the steps as plain data, the pictures, and the widget driven like a learner would."""

import math

import matplotlib.pyplot as plt
import pytest
import torch

from dlstudy import graph
from dlstudy.demos import backprop
from dlstudy.demos.backprop import Scalar, backprop_stepper, backward_steps, example, graph_data, picture

PNG = b"\x89PNG"


class Tiny:
    """A learner's own micrograd-style value, with an operation the stepper has no rule for."""

    def __init__(self, data, _prev=(), _op=""):
        self.data, self.grad, self._prev, self._op = data, 0.0, tuple(_prev), _op
        self._backward = lambda: None

    def __sub__(self, other):
        out = Tiny(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = _backward
        return out

    def cube(self):
        out = Tiny(self.data**3, (self,), "cube")

        def _backward():
            self.grad += 3 * self.data**2 * out.grad
        out._backward = _backward
        return out


def test_graph_data_lists_nodes_in_topological_order_with_names_and_repeated_inputs():
    a, b = Scalar(2.0, label="a"), Scalar(3.0, label="b")
    c = a * a + b                                        # a feeds the product twice
    g = graph_data(c)
    position = {node: i for i, node in enumerate(g["nodes"])}
    assert all(position[x] < position[y] for x, y in g["edges"])        # inputs come first
    assert g["root"] == g["nodes"][-1] and g["values"][g["root"]] == 7.0
    product = g["edges"][0][1]
    assert g["inputs"][product] == [g["nodes"][0], g["nodes"][0]]        # a twice, in order
    assert g["edges"].count((g["nodes"][0], product)) == 1               # but drawn as one arrow
    assert [g["names"][n] for n in g["nodes"]] == ["a", "v1", "b", "v3"]  # unnamed nodes get their id


def test_the_steps_end_with_the_gradients_of_backward_and_leave_the_values_alone():
    for name in backprop.EXAMPLES:
        root = example(name)
        nodes = backprop._topological(root)
        for node in nodes:
            node.grad = 123.0                            # whatever the learner had: left as it was
        steps = backward_steps(root)
        assert [node.grad for node in nodes] == [123.0] * len(nodes)
        root.backward()
        assert list(steps[-1]["grads"].values()) == [node.grad for node in nodes]
        assert len(steps) == len(nodes) + 2              # the forward pass, the seed, one step per node


def test_the_steps_run_in_reverse_topological_order_and_every_grad_is_final_only_when_complete():
    root = example("shared")
    g, steps = graph_data(root), backward_steps(root)
    assert steps[0]["node"] is None and steps[0]["reached"] == [] and set(steps[0]["grads"].values()) == {0.0}
    assert steps[1]["node"] == g["root"] and steps[1]["grads"][g["root"]] == 1.0
    assert [s["node"] for s in steps[2:]] == g["nodes"][::-1]
    for i, step in enumerate(steps[2:], start=2):
        users = [b for a, b in g["edges"] if a == step["node"]]
        assert all(u in steps[i - 1]["final"] for u in users)           # everyone who uses it has passed back
        assert set(step["changed"]) == set(g["inputs"][step["node"]])
        assert step["final"] == steps[i - 1]["final"] + [step["node"]]
    a = g["nodes"][0]
    assert sum(a in s["changed"] for s in steps) == 2                   # a is used twice: two contributions
    assert steps[-1]["grads"][a] == 6.0                                 # (b + 1) * b at a = 2, b = -3


def test_the_text_names_the_rule_and_the_contributions():
    steps = backward_steps(example("neuron"))
    texts = [s["text"] for s in steps]
    assert texts[1] == "Seed: do/do = 1, so o.grad = 1."
    assert texts[2] == "o = tanh(n) with grad 1: the input gets grad × (1 − out²). n.grad += 0.5."
    assert texts[-1] == "x1 is a leaf (an input): nothing to pass back; its grad -1.5 is final."


def test_a_learners_own_value_class_works_with_unknown_operations():
    x, y = Tiny(2.0), Tiny(5.0)
    out = (x - y).cube()                                 # (x - y)^3 = -27
    steps = backward_steps(out)
    grads = list(steps[-1]["grads"].values())
    assert grads == [27.0, -27.0, 27.0, 1.0]             # x, y, x - y, out
    assert "local derivative" in steps[2]["text"] and "v2 = v0 - v1" in steps[3]["text"]
    assert bytes(picture(graph_data(out), steps[3])).startswith(PNG)


def test_bad_input_gets_a_clear_error():
    with pytest.raises(TypeError, match="root must be a micrograd-style value.*got a Tensor"):
        backward_steps(torch.tensor(2.0, requires_grad=True))
    with pytest.raises(TypeError, match="root must be a micrograd-style value.*got 3.0"):
        graph_data(3.0)
    with pytest.raises(ValueError, match="name must be one of 'neuron', 'shared'; got 'xor'"):
        example("xor")


def test_scalar_matches_pytorch():
    a, b = Scalar(0.7), Scalar(-1.3)
    out = (a * b + a).tanh() * b
    out.backward()
    ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.7, -1.3))
    ((ta * tb + ta).tanh() * tb).backward()
    assert math.isclose(a.grad, ta.grad.item(), rel_tol=1e-12) and math.isclose(b.grad, tb.grad.item(), rel_tol=1e-12)


@pytest.mark.parametrize("with_dot", [True, False])
def test_pictures_are_pngs_with_and_without_graphviz(monkeypatch, with_dot):
    if not with_dot:
        monkeypatch.setattr(graph, "_graphviz_png", lambda *args: None)   # as on a machine without dot
    root = example("neuron")
    g, steps = graph_data(root), backward_steps(root)
    before, during = picture(g), picture(g, steps[5])
    assert bytes(before).startswith(PNG) and bytes(during).startswith(PNG) and before != during
    assert plt.get_fignums() == []


def test_the_stepper_follows_its_slider_and_shows_nothing_by_itself(capsys):
    box = backprop_stepper()
    assert repr(box) == "BackpropStepper(step=0)"
    step = box.controls["step"]
    assert (step.min, step.max) == (0, len(box.steps) - 1) == (0, 11)
    first, text = bytes(box.image.value), box.result_label.value
    assert first.startswith(PNG) and "Step 0 of 11" in text
    assert box.image.layout.width == f"{int.from_bytes(first[16:20], 'big') // 2}px"   # natural size, sharp
    step.value = 5
    assert bytes(box.image.value) != first and "Step 5 of 11" in box.result_label.value
    assert box.result is box.steps[5] and "s = x1w1 + x2w2" in box.result_label.value
    step.value = 0
    assert bytes(box.image.value) == first                # the same step draws the same picture
    assert capsys.readouterr().out == "" and plt.get_fignums() == []


def test_the_stepper_takes_any_expression():
    x = Scalar(3.0, label="x")
    box = backprop_stepper(x * x + x)
    box.controls["step"].value = box.controls["step"].max
    assert box.result["grads"][box.graph["nodes"][0]] == 7.0
