"""forbid and spy also reach a function the learner imported under a name of its own.

A notebook's names live in ``__main__``: ``from torch.nn.functional import dropout`` there keeps
the original function, which patching ``torch.nn.functional.dropout`` alone would not reach.
"""

import sys

import pytest
import torch
import torch.nn.functional as F

from dlstudy.exercises import RuleBroken, forbid, spy


@pytest.fixture
def notebook_names():
    """Names defined in __main__, as a notebook cell defines them; removed afterwards."""
    main, added = vars(sys.modules["__main__"]), []

    def define(**names):
        main.update(names)
        added.extend(names)
        return main

    yield define
    for name in added:
        vars(sys.modules["__main__"]).pop(name, None)


def test_forbid_reaches_a_function_imported_under_its_own_name(notebook_names):
    main = notebook_names(my_alias_dropout=F.dropout, my_alias_softshrink=F.softshrink)
    x = torch.ones(10)
    with forbid("torch.nn.functional.dropout", "torch.nn.functional.softshrink"):
        with pytest.raises(RuleBroken, match="torch.nn.functional.dropout"):
            main["my_alias_dropout"](x, 0.5, True)
        with pytest.raises(RuleBroken, match="torch.nn.functional.softshrink"):
            main["my_alias_softshrink"](x, 0.5)
    assert main["my_alias_dropout"] is F.dropout and main["my_alias_softshrink"] is F.softshrink  # restored


def test_spy_counts_calls_through_an_alias(notebook_names):
    main = notebook_names(my_alias_tanh=torch.tanh)
    with spy("torch.tanh") as calls:
        main["my_alias_tanh"](torch.zeros(3))
    assert calls["torch.tanh"] == 1 and main["my_alias_tanh"] is torch.tanh
