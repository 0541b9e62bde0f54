"""dlstudy.explain: advice for real PyTorch errors, silence for unknown ones, the IPython hook."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlstudy import explain as ex
from dlstudy.explain import explain

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _raised(call):
    """The exception that ``call()`` raises (real PyTorch code on the CPU)."""
    with pytest.raises(Exception) as info:
        call()
    return info.value


def _twice():
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.sin(x) * x
    y.backward()
    y.backward()


def _leaf_in_place():
    w = torch.tensor(1.0, requires_grad=True)
    w -= 0.1


def _saved_in_place():
    x = torch.ones(3, requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)
    y.sum().backward()


class NoForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)


class NoSuperLayer(nn.Module):
    def __init__(self):
        self.linear = nn.Linear(2, 1)


class NoSuperParameter(nn.Module):
    def __init__(self):
        self.w = nn.Parameter(torch.ones(1))


class NoSuperAtAll(nn.Module):
    def __init__(self):
        self.size = 3


class LayersInForward(nn.Module):
    def forward(self, x):
        return nn.Linear(2, 1)(x)


# (call that raises a real error, family name, words the advice must contain, chapter it points to)
REAL_ERRORS = [
    (lambda: nn.Linear(16, 10)(torch.zeros(64, 256)), "shape mismatch in a matrix product",
     r"256 values per sample, but it expects 16.*nn.Linear\(256, 10\).*x.flatten\(1\)", "07"),
    (lambda: torch.zeros(2, 3) @ torch.zeros(4, 5), "shape mismatch in a matrix product", r"3 values per sample", "07"),
    (lambda: torch.zeros(2, 3) @ torch.zeros(4), "(other forms)", r"inner sizes differ.*reshape", "00"),
    (lambda: torch.zeros(2, 2, 3) @ torch.zeros(2, 4, 5), "(other forms)", r"inner sizes differ", "00"),
    (lambda: torch.zeros(3) + torch.zeros(4), "shapes that do not broadcast", r"axis 0 are 3 and 4.*reshape", "00"),
    (lambda: F.cross_entropy(torch.zeros(2, 3), torch.tensor([0.0, 1.0])), "float class labels",
     r"integers \(int64, 'Long'\), but these are Float.*class labels must be integer: y.long\(\)", "00"),
    (lambda: F.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1], dtype=torch.int32)), "float class labels",
     r"these are Int.*y.long\(\)", "00"),
    (lambda: F.cross_entropy(torch.zeros(2, 3), torch.tensor([[0], [1]])), "labels of shape (N, 1)",
     r"y.squeeze\(1\).*y.argmax\(1\)", "05"),
    (lambda: nn.BCEWithLogitsLoss()(torch.zeros(2, 1), torch.tensor([[0], [1]])), "integer targets for BCE",
     r"targets are integers \(Long\).*y.float\(\)", "03"),
    (lambda: nn.BCELoss()(torch.full((2, 1), 0.5), torch.tensor([[0], [1]])), "integer targets for BCE",
     r"y.float\(\)", "03"),
    (lambda: nn.CrossEntropyLoss()(torch.zeros(3, 3), torch.tensor([1, 2, 3])), "class label out of range",
     r"a class label is 3.*subtract 1", "05"),
    (lambda: nn.BCEWithLogitsLoss()(torch.zeros(4, 1), torch.zeros(4)), "target shape for BCE",
     r"targets of shape \(4,\) for outputs of shape \(4, 1\)\..*y.reshape\(-1, 1\)", "03"),
    (lambda: nn.BCELoss()(torch.tensor([3.0, -1.0]), torch.tensor([1.0, 0.0])), "BCELoss on logits",
     r"BCEWithLogitsLoss", "05"),
    (lambda: (torch.ones(3, requires_grad=True) * 2).backward(), "backward() on a non-scalar",
     r"out.sum\(\).backward\(\)", "01"),
    (_twice, "backward through the graph a second time", r"recompute the forward pass.*retain_graph=True", "01"),
    (_leaf_in_place, "in-place change of a leaf", r"torch.no_grad\(\)", "01"),
    (_saved_in_place, "in-place change of a saved tensor", r"out-of-place.*clone\(\)", "01"),
    (lambda: (torch.tensor(2.0) ** 2).backward(), "nothing requires grad", r"requires_grad=True", "01"),
    (lambda: torch.tensor([1, 2], requires_grad=True), "gradients of an integer tensor", r"dtype=torch.float32", "01"),
    (lambda: torch.ones(2, requires_grad=True).numpy(), ".numpy() on a tensor that requires grad",
     r"t.detach\(\).cpu\(\).numpy\(\)", "01"),
    (lambda: np.array(torch.ones(2, requires_grad=True)), ".numpy() on a tensor that requires grad",
     r"detach\(\)", "01"),
    (lambda: torch.ones(2, device="meta").numpy(), ".numpy() on a GPU tensor",
     r"lives on meta.*t.detach\(\).cpu\(\).numpy\(\)", "00"),
    (lambda: nn.Linear(3, 2)(torch.zeros(2, 3, device="meta")), "tensors on different devices",
     r"\(cpu and meta\).*model.to\(device\).*X.to\(device\)", "00"),
    (lambda: NoForward()(torch.zeros(1, 2)), "missing forward", r"def forward\(self, x\)", "03"),
    (NoSuperLayer, "missing super().__init__()", r"super\(\).__init__\(\)", "03"),
    (NoSuperParameter, "missing super().__init__()", r"super\(\).__init__\(\)", "03"),
    (lambda: list(NoSuperAtAll().parameters()), "missing super().__init__()", r"super\(\).__init__\(\)", "03"),
    (lambda: NoSuperAtAll()(1), "missing super().__init__()", r"super\(\).__init__\(\)", "03"),
    (lambda: nn.Linear(3, 2)(torch.zeros(2, 3, dtype=torch.float64)), "float64 (or integer) data",
     r"data is Double but the model's weights are Float.*X.float\(\)", "00"),
    (lambda: nn.Conv2d(3, 2, 3)(torch.zeros(1, 3, 5, 5, dtype=torch.float64)), "float64 (or integer) data",
     r"X.float\(\)", "00"),
    (lambda: nn.Linear(3, 2)(torch.zeros(2, 3, dtype=torch.long)), "float64 (or integer) data", r"X.float\(\)", "00"),
    (lambda: nn.Conv2d(3, 2, 3)(torch.zeros(1, 3, 5, 5, dtype=torch.uint8)), "uint8 images",
     r"X.float\(\) / 255", "07"),
    (lambda: nn.Conv2d(1, 16, 3)(torch.zeros(1797, 8, 8)), "missing channel axis",
     r"\[1, 1797, 8, 8\].*x.unsqueeze\(1\).*permute\(0, 3, 1, 2\)", "07"),
    (lambda: torch.zeros(3, 4).T.view(12), "view on a non-contiguous tensor", r"\.reshape\(", "00"),
    (lambda: torch.optim.SGD(LayersInForward().parameters(), lr=0.1), "optimizer without parameters",
     r"in __init__.*nn.ModuleList", "03"),
    (lambda: torch.optim.SGD(nn.Linear(2, 1), lr=0.1), "the model given to an optimizer",
     r"model.parameters\(\)", "08"),
]


@pytest.mark.parametrize("call, family, words, chapter", REAL_ERRORS,
                         ids=[f"{i}-{row[1]}" for i, row in enumerate(REAL_ERRORS)])
def test_real_pytorch_errors_get_advice(call, family, words, chapter, capsys):
    advice = explain(_raised(call))
    assert advice is not None, "no advice"
    first, fix, see = advice.splitlines()
    assert family in first and fix.startswith("Fix: ")
    assert re.search(words, advice, re.S | re.I), advice
    assert see.startswith(f"See chapter {chapter}, ")
    assert capsys.readouterr().out == ""                 # explain prints nothing itself


# Messages of device errors as torch formats them on machines with a GPU (none here), across versions.
DEVICE_MESSAGES = [
    ("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu! "
     "(when checking argument for argument mat1 in method wrapper_CUDA_addmm)", "(cuda:0 and cpu)"),
    ("Expected all tensors to be on the same device, but got mat1 is on cpu, different from other tensors on "
     "cuda:0 (when checking argument in method wrapper_CUDA_addmm)", "(cpu and cuda:0)"),
    ("Expected all tensors to be on the same device, but found at least two devices, mps:0 and cpu!",
     "(mps:0 and cpu)"),
    ("Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same or input "
     "should be a MKLDNN tensor and weight is a dense tensor", "(torch.FloatTensor and torch.cuda.FloatTensor)"),
    ("Input type (torch.cuda.FloatTensor) and weight type (torch.FloatTensor) should be the same", "torch.cuda"),
    ("Tensor for argument #2 'mat1' is on CPU, but expected it to be on GPU (while checking arguments for addmm)",
     "two different devices"),
    ("Placeholder storage has not been allocated on MPS device!", "two different devices"),
    ("indices should be either on cpu or on the same device as the indexed tensor (cpu)", "two different devices"),
]


@pytest.mark.parametrize("message, words", DEVICE_MESSAGES)
def test_device_errors_in_every_wording(message, words):
    advice = explain(RuntimeError(message))
    assert advice.startswith("dlstudy.explain (tensors on different devices)") and words in advice
    assert "X.to(device)" in advice and advice.endswith('See chapter 00, Common mistakes, 3 '
                                                        '"Model and data on different devices".')


@pytest.mark.parametrize("error, family, words", [
    (TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host "
               "memory first."), ".numpy() on a GPU tensor", "lives on cuda:0"),
    (TypeError("can't convert CUDA tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first."),
     ".numpy() on a GPU tensor", "lives on CUDA"),
    (TypeError("can't convert mps:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host "
               "memory first."), ".numpy() on a GPU tensor", "lives on mps:0"),
    (RuntimeError("expected scalar type Long but found Float"), "float class labels", "y.long()"),
    (RuntimeError("expected scalar type Float but found Double"), "float64 (or integer) data", "X.float()"),
    (RuntimeError("expected m1 and m2 to have the same dtype, but got: double != float"), "float64", "X.float()"),
    (RuntimeError("CUDA error: device-side assert triggered"), "CUDA device-side assert", "on the CPU"),
    (RuntimeError("size mismatch, m1: [64 x 256], m2: [16 x 10]"), "shape mismatch", "nn.Linear(256, 10)"),
    (NotImplementedError('Module [Net] is missing the required "forward" function'), "missing forward", "forward"),
])
def test_wordings_of_other_torch_versions_and_devices(error, family, words):
    advice = explain(error)
    assert advice is not None and f"({family}" in advice.splitlines()[0] and words in advice


def test_older_torch_missing_forward_has_no_message_but_is_recognised():
    def _forward_unimplemented(self, *input):       # torch < 2.0 raised a bare NotImplementedError from here
        raise NotImplementedError

    error = _raised(lambda: _forward_unimplemented(None))
    assert "missing forward" in explain(error)


@pytest.mark.parametrize("error", [
    ValueError("something else entirely"), KeyError("train_loss"), RuntimeError(""), ZeroDivisionError(),
    TypeError("'int' object is not iterable"),         # the optimizer rule needs torch.optim in the traceback
    _raised(lambda: [][0]), _raised(lambda: torch.zeros(2)[5]),
])
def test_unknown_errors_give_none_and_print_nothing(error, capsys):
    assert explain(error) is None
    assert capsys.readouterr() == ("", "")


def test_explain_without_argument_reads_the_last_error(monkeypatch):
    monkeypatch.setattr(sys, "last_exc", RuntimeError("grad can be implicitly created only for scalar outputs"),
                        raising=False)
    assert "backward() on a non-scalar" in explain()
    monkeypatch.setattr(sys, "last_exc", None, raising=False)
    monkeypatch.setattr(sys, "last_value", None, raising=False)
    assert explain() is None
    with pytest.raises(TypeError, match=r"error must be an exception such as error, from except Exception as error"):
        explain("mat1 and mat2 shapes cannot be multiplied")


def test_advice_shows_as_plain_lines():
    advice = explain(RuntimeError("grad can be implicitly created only for scalar outputs"))
    assert repr(advice) == str(advice) and "\n" in repr(advice)


def _notebook_text(chapter):
    [path] = NOTEBOOKS.glob(f"{chapter}_*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("key", sorted(ex.SEE))
def test_every_chapter_reference_names_a_real_section(key):
    chapter, kind, text = ex.SEE[key]
    markdown = _notebook_text(chapter)
    if kind == "section":
        assert re.search(r"^#{2,3} " + re.escape(text) + r"\s*$", markdown, re.M), f"no heading {text!r}"
    else:
        mistakes = markdown[markdown.index("## Common mistakes"):]
        assert re.search(r"^(?:\*\*|### )" + re.escape(text), mistakes, re.M), f"no common mistake {text!r}"


def test_every_reference_is_used_and_every_rule_has_one():
    used = {rule.see for rule in ex.RULES}
    assert used == set(ex.SEE)


def test_explain_is_core_it_imports_no_ipython_or_drawing():
    code = ("import sys, dlstudy.explain; "
            "print(sorted(m for m in ('IPython', 'matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture
def shell():
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    shell = interactiveshell.InteractiveShell.instance(config=config)
    yield shell
    ex.disable()
    interactiveshell.InteractiveShell.clear_instance()


def test_enable_shows_the_traceback_then_the_advice_and_disable_removes_it(shell, capsys):
    shell.run_cell("import torch")
    assert ex.enable() is True
    shell.run_cell("torch.nn.Linear(16, 10)(torch.zeros(64, 256))")
    out = capsys.readouterr().out
    assert "RuntimeError" in out and "mat1 and mat2 shapes cannot be multiplied" in out
    assert out.index("mat1 and mat2 shapes") < out.index("dlstudy.explain (shape mismatch in a matrix product)")
    assert 'See chapter 07, Common mistakes, 4 "The wrong in_features after Flatten".' in out
    shell.run_cell("raise ValueError('not a torch error')")
    out = capsys.readouterr().out
    assert "not a torch error" in out and "dlstudy.explain" not in out   # unknown: the usual traceback only
    ex.disable()
    shell.run_cell("torch.nn.Linear(16, 10)(torch.zeros(64, 256))")
    out = capsys.readouterr().out
    assert "mat1 and mat2 shapes cannot be multiplied" in out and "dlstudy.explain" not in out


def test_enable_outside_ipython_says_so():
    assert ex.enable() is False        # no IPython shell is running in this test


def test_advice_starts_with_a_sentence_and_keeps_code_as_written():
    assert "): Backward() was called" not in explain(RuntimeError("grad can be implicitly created only for scalar "
                                                                  "outputs"))
    assert "): backward() was called" in explain(RuntimeError("grad can be implicitly created only for scalar outputs"))
    assert "): A class label is 3" in explain(IndexError("Target 3 is out of bounds."))


@pytest.mark.parametrize("call, family, words, chapter", REAL_ERRORS,
                         ids=[f"{i}-{row[1]}" for i, row in enumerate(REAL_ERRORS)])
def test_real_errors_get_korean_advice_when_the_learner_reads_korean(call, family, words, chapter):
    from dlstudy.lang import set_language
    error = _raised(call)
    english = ex.explain(error)
    set_language("ko")
    try:
        korean = ex.explain(error)
    finally:
        set_language("en")
    lines = korean.splitlines()
    assert len(lines) == 3 and all(re.search(r"[\uac00-\ud7a3]", line) for line in lines), korean
    assert f"{chapter}장" in lines[2] and lines[1].startswith("고치는 법:")
    assert korean != english and family in lines[0]
