"""Chapter 10's backprop stepper: the backward pass of a small expression, one node at a time.

``backward_steps(root)`` runs the backward pass of a scalar expression node by node, in
reverse topological order, and returns what happened at each step as plain data (which
node, what it passed to its inputs, every node's ``grad`` after the step).
``backprop_stepper(root)`` wraps it in a widget: a slider moves through the steps, and the
graph is redrawn with the current node highlighted and the gradients filled in so far.

It works with any micrograd-style scalar: an object with ``data``, ``grad``, ``_prev`` (the
values it was computed from), ``_op`` (the operation's name, e.g. ``"*"`` or ``"tanh"``),
``_backward`` (adds its share of the gradient to its inputs' ``grad``) and, optionally, a
``label``. Chapter 10 builds such a ``Value`` class; ``Scalar`` below is a minimal one, so
the stepper has examples of its own.
"""

import html
import math

import ipywidgets as W

from dlstudy.contract import Choice, Number, Optional, Rule, Text, declare
from dlstudy.demos.base import Explorer, pad_png, png_width, slider
from dlstudy.graph import FILLS, render_graph

__all__ = ["Scalar", "EXAMPLES", "example", "graph_data", "backward_steps", "picture", "BackpropStepper",
           "backprop_stepper"]

RULES = {  # what each operation's _backward does, in words (out is the node's own value)
    "+": "each input gets the grad unchanged",
    "*": "each input gets grad × the other input",
    "tanh": "the input gets grad × (1 − out²)",
    "exp": "the input gets grad × out",
    "relu": "the input gets grad × (1 if out > 0 else 0)",
    "**": "the input gets grad × n·xⁿ⁻¹",
}
STEP_FILLS = {"waiting": "white", "changed": "gold", "partial": "#fde9c9", "final": "#caff70"}   # pale orange: may still grow


class Scalar:
    """A minimal micrograd-style scalar with ``+``, ``*`` and ``tanh``, enough for the stepper's examples.

    >>> a, b = Scalar(2.0, label="a"), Scalar(-3.0, label="b")
    >>> c = a * b + a; c.backward(); (c.data, a.grad, b.grad)
    (-4.0, -2.0, 2.0)
    """

    @declare(data=Number(example=2.0), label=Text("'a'"))
    def __init__(self, data, _prev=(), _op="", label=""):
        self.data, self.grad, self._prev, self._op, self.label = float(data), 0.0, tuple(_prev), _op, label
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        out = Scalar(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        """Fill ``grad`` of every node this one was computed from (reverse topological order)."""
        order = _topological(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    def __repr__(self):
        return f"Scalar({self.label + ', ' if self.label else ''}data={self.data:.4g}, grad={self.grad:.4g})"


def _named(value, label):
    value.label = label
    return value


def _neuron():
    """micrograd's neuron: o = tanh(x1·w1 + x2·w2 + b)."""
    x1, x2 = Scalar(2.0, label="x1"), Scalar(0.0, label="x2")
    w1, w2 = Scalar(-3.0, label="w1"), Scalar(1.0, label="w2")
    b = Scalar(6.881373587019543, label="b")
    n = _named(_named(x1 * w1, "x1w1") + _named(x2 * w2, "x2w2"), "s") + b
    return _named(_named(n, "n").tanh(), "o")


def _shared():
    """A value used twice: L = (a·b + a)·b, so a and b each collect two contributions."""
    a, b = Scalar(2.0, label="a"), Scalar(-3.0, label="b")
    c = _named(a * b, "c")
    d = _named(c + a, "d")
    return _named(d * b, "L")


EXAMPLES = {"neuron": _neuron, "shared": _shared}


class Node(Rule):
    """A micrograd-style value (with data, grad, _prev, _op and _backward), such as ``example("neuron")``."""

    def check(self, value, name):
        missing = [a for a in ("data", "grad", "_prev", "_op", "_backward") if not hasattr(value, a)]
        if missing or isinstance(value, type):
            self.fail(name, "a micrograd-style value with data, grad, _prev, _op and _backward, such as "
                            "example('neuron') or the chapter's Value", value,
                      f"It has no {', '.join(missing)}." if missing and not isinstance(value, type) else "")
        return value


class Graph(Rule):
    """What ``graph_data(root)`` returns (a dict of nodes, edges, names, ops, values, inputs and root)."""

    def check(self, value, name):
        keys = ("nodes", "edges", "names", "ops", "values", "inputs", "root")
        if not isinstance(value, dict) or not all(k in value for k in keys):
            self.fail(name, "what graph_data(root) returns", value,
                      "Make it with graph_data(root)." if hasattr(value, "_prev") else "")
        return value


class Step(Rule):
    """One step of ``backward_steps(root)`` (a dict with node, changed, reached, final, grads and text)."""

    def check(self, value, name):
        keys = ("node", "changed", "reached", "final", "grads", "text")
        if not isinstance(value, dict) or not all(k in value for k in keys):
            self.fail(name, "one step of backward_steps(root), such as steps[2]", value,
                      "Pick one from the list: steps = backward_steps(root); picture(graph, steps[2]).")
        return value


NODE = Node()


@declare(name=Choice(*EXAMPLES))
def example(name="neuron"):
    """A fresh example expression: ``"neuron"`` (tanh of a weighted sum) or ``"shared"`` (a node used twice).

    >>> example("shared").data
    12.0
    """
    return EXAMPLES[name]()


def _topological(root):
    """Every node ``root`` depends on, inputs before the results computed from them (depth first)."""
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for child in node._prev:
                visit(child)
            order.append(node)
    visit(root)
    return order


@declare(root=NODE)
def graph_data(root):
    """The graph behind ``root`` as plain data: node ids ``v0, v1, ...`` in topological order.

    Returns a dict with ``nodes``, ``edges`` (``(input, result)`` pairs), ``names``, ``ops``,
    ``values``, ``inputs`` (node -> its input ids, repeats kept) and ``root``.

    >>> g = graph_data(example("shared"))
    >>> g["nodes"], g["edges"], [g["names"][n] for n in g["nodes"]]
    (['v0', 'v1', 'v2', 'v3', 'v4'], [('v0', 'v2'), ('v1', 'v2'), ('v2', 'v3'), ('v0', 'v3'), ('v3', 'v4'), ('v1', 'v4')], ['a', 'b', 'c', 'd', 'L'])
    """
    order = _topological(root)
    ids = {id(node): f"v{i}" for i, node in enumerate(order)}
    graph = {"nodes": [ids[id(n)] for n in order], "edges": [], "names": {}, "ops": {}, "values": {},
             "inputs": {}, "root": ids[id(root)]}
    for node in order:
        key = ids[id(node)]
        graph["names"][key] = getattr(node, "label", "") or key
        graph["ops"][key] = node._op
        graph["values"][key] = float(node.data)
        graph["inputs"][key] = [ids[id(child)] for child in node._prev]
        for child in dict.fromkeys(graph["inputs"][key]):          # one arrow per distinct input
            graph["edges"].append((child, key))
    return graph


def _formula(graph, key):
    """``c = a * b``, ``y = x**2`` or ``o = tanh(n)``: how a node was computed, by the names of its inputs."""
    op, names = graph["ops"][key], [graph["names"][k] for k in graph["inputs"][key]]
    if len(names) == 2 and op in ("+", "*", "-", "/"):
        body = f"{names[0]} {op} {names[1]}"
    elif len(names) == 1 and op.startswith("**"):
        body = f"{names[0]}{op}"
    else:
        body = f"{op}({', '.join(names)})"
    return f"{graph['names'][key]} = {body}"


def _rule(op):
    return RULES.get("**" if op.startswith("**") else op, "each input gets grad × its local derivative")


@declare(root=NODE)
def backward_steps(root):
    """The backward pass of ``root``, one node at a time, as a list of plain dicts.

    Step 0 is the state after the forward pass (no gradients yet), step 1 seeds ``root.grad = 1``,
    then each node in reverse topological order runs its ``_backward``. Every step has
    ``node`` (its id, None for step 0), ``text``, ``changed`` (ids whose grad was added to),
    ``reached`` (ids that have a grad so far), ``final`` (ids whose grad can no longer change)
    and ``grads`` (id -> grad after the step). The nodes' own ``grad`` values are left as they were.

    >>> steps = backward_steps(example("shared"))
    >>> len(steps), steps[-1]["grads"]
    (7, {'v0': 6.0, 'v1': -10.0, 'v2': -3.0, 'v3': -3.0, 'v4': 1.0})
    >>> steps[2]["text"]
    'L = d * b with grad 1: each input gets grad × the other input. d.grad += -3, b.grad += -4.'
    """
    order = _topological(root)
    graph = graph_data(root)
    ids, names = graph["nodes"], graph["names"]
    saved = [node.grad for node in order]

    def grads():
        return {key: float(node.grad) for key, node in zip(ids, order)}

    try:
        for node in order:
            node.grad = 0.0
        steps = [dict(node=None, changed=[], reached=[], final=[], grads=grads(),
                      text="The forward pass is done: every value is known, no gradient yet.")]
        root.grad = 1.0
        top = graph["root"]
        reached, final = [top], []
        steps.append(dict(node=top, changed=[top], reached=list(reached), final=[], grads=grads(),
                          text=f"Seed: d{names[top]}/d{names[top]} = 1, so {names[top]}.grad = 1."))
        for key, node in reversed(list(zip(ids, order))):
            before = grads()
            node._backward()
            after = grads()
            inputs = list(dict.fromkeys(graph["inputs"][key]))
            reached += [k for k in inputs if k not in reached]
            final.append(key)
            if not inputs:
                text = f"{names[key]} is a leaf (an input): nothing to pass back; its grad {after[key]:.4g} is final."
            else:
                parts = ", ".join(f"{names[k]}.grad += {after[k] - before[k]:.4g}" for k in inputs)
                text = f"{_formula(graph, key)} with grad {after[key]:.4g}: {_rule(node._op)}. {parts}."
            steps.append(dict(node=key, changed=inputs, reached=list(reached), final=list(final), grads=after,
                              text=text))
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad
    return steps


def _fill(key, step):
    if key in step["changed"]:
        return STEP_FILLS["changed"]
    if key in step["final"]:
        return STEP_FILLS["final"]
    return STEP_FILLS["partial"] if key in step["reached"] else STEP_FILLS["waiting"]


@declare(graph=Graph(), step=Optional(Step()))
def picture(graph, step=None):
    """The graph as PNG bytes, in the course's graph look (``dlstudy.graph.render_graph``).

    Without ``step``: inputs blue, computed values gray, the result green. With a step of
    ``backward_steps``: each node's grad so far, the current node outlined in red, the inputs it
    just added to in gold, grads that may still grow pale orange, final grads green.
    """
    labels, fills = {}, {}
    for key in graph["nodes"]:
        inputs = graph["inputs"][key]
        title = _formula(graph, key) if inputs else graph["names"][key]
        labels[key] = f"{title}\ndata {graph['values'][key]:.4g}"
        if step is None:
            fills[key] = FILLS["output"] if key == graph["root"] else FILLS["op" if inputs else "leaf"]
        else:
            labels[key] += f"\ngrad {step['grads'][key]:.4g}" if key in step["reached"] else "\ngrad ?"
            fills[key] = _fill(key, step)
    current = None if step is None else step["node"]
    return render_graph(graph["nodes"], graph["edges"], labels=labels, fills=fills,
                        highlight=() if current is None else (current,))


class BackpropStepper(Explorer):
    """A slider over the steps of ``backward_steps(root)``; the graph and the step's text follow it.

    ``box.steps`` holds the steps (plain data), ``box.controls["step"]`` the slider.
    """

    @declare(root=NODE)
    def __init__(self, root):
        self.graph, self.steps = graph_data(root), backward_steps(root)
        self._pictures = {}
        last = picture(self.graph, self.steps[-1])                 # every grad filled in: the widest labels
        self._size = (png_width(last), int.from_bytes(last[20:24], "big"))
        step = slider(W.IntSlider, "backward step", 0, 0, len(self.steps) - 1, 1)
        super().__init__("BackpropStepper", {"step": step})
        step.observe(lambda change: self.show_step(change.new), names="value")
        self.show_step(0)

    def show_step(self, number):
        """Draw step ``number`` (cached) and say what happened in it."""
        if number not in self._pictures:                           # one size for every step: the picture stays put
            self._pictures[number] = pad_png(picture(self.graph, self.steps[number]), *self._size)
        self.result = self.steps[number]
        self.show_png(self._pictures[number],
                      f"<b>Step {number} of {len(self.steps) - 1}.</b> {html.escape(self.steps[number]['text'])}")


@declare(root=Optional(NODE))
def backprop_stepper(root=None):
    """A widget that steps through the backward pass of ``root`` (default: ``example("neuron")``) node by node.

    >>> box = backprop_stepper(example("shared"))
    >>> box
    BackpropStepper(step=0)
    >>> box.controls["step"].value = 2; box.result["text"].split(":")[0]
    'L = d * b with grad 1'
    """
    return BackpropStepper(example("neuron") if root is None else root)
