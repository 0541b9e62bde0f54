"""``no_data(why)``: the learner's code may not use ``tensor.data`` where the exercise asks for ``torch.no_grad()``.

``.data`` is the old way around autograd: a change made through it is invisible to autograd's checks (a
tensor changed in place that a backward pass still needs is not detected). The course teaches
``with torch.no_grad(): w -= lr * w.grad``; while a rule with ``no_data`` is in force, reading or assigning
``.data`` from the learner's code raises ``RuleBroken`` (torch's own use of it goes on).
"""

import contextlib
import sys

import torch

from dlstudy.exercises.rules import RuleBroken
from dlstudy.lang import tr

__all__ = ["no_data"]


def _learners(frame):
    """Whether ``frame`` runs the learner's code (not torch's own)."""
    return not frame.f_globals.get("__name__", "").startswith("torch.")


@contextlib.contextmanager
def no_data(why):
    """Inside the block the learner's code may not read or assign ``tensor.data`` (torch's own use goes on).

    >>> w = torch.zeros(2, requires_grad=True)
    >>> with no_data(why=("update w inside torch.no_grad()", "torch.no_grad() 안에서 w를 갱신하세요")):
    ...     w.data -= 0.1
    Traceback (most recent call last):
    ...
    dlstudy.exercises.rules.RuleBroken: this exercise changes tensors inside torch.no_grad() (update w inside torch.no_grad()); your code used tensor.data, the old way around autograd, which hides the change from autograd's checks. Write the update as `with torch.no_grad(): w -= ...`.
    >>> w.data.sum().item()
    0.0
    """
    descriptor = torch._C.TensorBase.__dict__["data"]

    def refuse():
        raise RuleBroken(tr("this exercise changes tensors inside torch.no_grad() ({why}); your code used tensor.data, "
                            "the old way around autograd, which hides the change from autograd's checks. Write the "
                            "update as `with torch.no_grad(): w -= ...`.", "이 연습은 torch.no_grad() 안에서 텐서를 "
                            "바꿔요 ({why}). 코드가 tensor.data를 썼는데, 이것은 자동 미분을 피해 가는 옛 방법이라 "
                            "자동 미분의 검사에서 변경을 숨겨요. 갱신은 `with torch.no_grad(): w -= ...`로 쓰세요.")
                         .format(why=tr(*why)))

    def get(self):
        if _learners(sys._getframe(1)):
            refuse()
        return descriptor.__get__(self)

    def put(self, value):
        if _learners(sys._getframe(1)):
            refuse()
        descriptor.__set__(self, value)

    torch.Tensor.data = property(get, put)
    try:
        yield
    finally:
        del torch.Tensor.data
