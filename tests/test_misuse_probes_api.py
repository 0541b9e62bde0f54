"""Issue 23: the held-out misuses of the API surface (tests/misuse_probes_api.py) end in a clear message or a
right result: no raw error, no silent result, nothing lost."""

import pytest
from misuse_probes_api import PROBES, judged


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")                                  # later tests count the open figures


@pytest.mark.parametrize("probe", PROBES, ids=[p[0] for p in PROBES])
def test_a_misuse_of_the_api_surface_ends_in_a_clear_message_or_a_right_result(probe):
    name, fn, expect, words, check = probe
    outcome, detail = judged(fn, expect, words, check)
    assert outcome in ("clear", "handled"), f"{outcome}: {detail}"
