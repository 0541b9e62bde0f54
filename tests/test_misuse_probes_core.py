"""Issue 23: the training core's misuses (tests/misuse_probes_core.py) end clear: no raw error, no silent result, nothing lost."""

import pytest
from misuse_probes import classify
from misuse_probes_core import PROBES


@pytest.mark.parametrize("probe", PROBES, ids=[p[0] for p in PROBES])
def test_a_training_core_misuse_ends_in_a_clear_message_or_a_right_result(probe):
    name, fn, expect, words, check = probe
    outcome, detail = classify(fn, expect, words, check)
    assert outcome in ("clear", "handled"), f"{outcome}: {detail}"
