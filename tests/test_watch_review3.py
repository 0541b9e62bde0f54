"""The loops of a blind review of dlstudy.watch (tests/watch_review3_loops.py, written apart from the rules) and the
loops written afterwards to attack the fixes in other styles (tests/watch_attack_loops.py): each buggy loop must be
reported with its own kinds and nothing outside ``expected | also_ok``; each correct loop stays silent.
Also: the API misuses that review found (a report before the block, a loss given as the model, a loss class without
()), and the review's own hook / mode checks after every loop."""

import pytest
import torch
from torch import nn

from dlstudy.watch import watch
from tests.watch_attack_loops import ATTACK
from tests.watch_review3_loops import BUGGY, COMBOS, CORRECT, DEBATABLE, PRELUDE

# Design limits, kept visible: strict xfail, so a fix makes the test fail until the mark is removed.
LIMITS = {
    "softmax_but_loop_uses_functional_ce": "the loop calls F.cross_entropy, so the loss module given to watch never "
                                           "sees the outputs (the loss_fn error message asks for the module)",
    "evalgrad_once_at_end": "one evaluation forward after the last step is held as the next tick's forward; eval_grad "
                            "needs 2 unused forwards",
}
LOOPS = {loop["name"]: loop for loop in BUGGY + COMBOS + CORRECT + DEBATABLE + ATTACK}   # ATTACK: written after the fix


def run_loop(loop, seed_shift=0):
    namespace = {}
    code = loop["code"]
    if seed_shift:
        code = code.replace("torch.manual_seed(", f"torch.manual_seed({seed_shift} + ", 1)
    exec(PRELUDE + "\n" + code, namespace)
    model, optimizer, loss_fn = namespace["model"], namespace["optimizer"], namespace["loss_fn"]
    with watch(model, optimizer, loss_fn, report=False) as w:
        namespace["train"]()
        modes = [m.training for m in model.modules()]
    assert [m.training for m in model.modules()] == modes, "watch changed a mode"
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules()), "a hook was left"
    return {f.kind for f in w.findings}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=LIMITS[name]))
                                  if name in LIMITS else name for name in LOOPS])
def test_review_loop(name):
    loop = LOOPS[name]
    found = run_loop(loop)
    assert loop["expected"] <= found, f"{name}: expected {sorted(loop['expected'])}, found {sorted(found)}"
    assert found <= loop["expected"] | loop["also_ok"], f"{name}: also found {sorted(found - loop['expected'])}"


# Seeds that changed the outcome of a loop in the review's sweep (seeds.py): the classes A, B, F and K.
SEED_SENSITIVE = ["lr_high_sgd_5", "nan_in_regression_targets", "ok_regression_heavy_tailed_noise_small_batches",
                  "ok_digits_raw_0_16_scaled_std", "evalgrad_val_every_step", "combo_constant_feature_and_lr_high",
                  "combo_no_step_and_total_loss", "ok_regression_unshuffled_slices_adam", "lr_low_adam_1e-7"]


@pytest.mark.parametrize("shift", [1000, 2000, 3000])
@pytest.mark.parametrize("name", SEED_SENSITIVE)
def test_review_loop_other_seeds(name, shift):
    loop = LOOPS[name]
    found = run_loop(loop, shift)
    assert loop["expected"] <= found <= loop["expected"] | loop["also_ok"], (name, shift, sorted(found))


def test_report_before_the_block_says_so(capsys):
    net = nn.Linear(2, 1)
    watch(net, torch.optim.SGD(net.parameters(), lr=0.1), nn.MSELoss()).report()
    assert "with watch" in capsys.readouterr().out


def test_a_loss_given_as_the_model_or_a_loss_class_is_refused():
    net = nn.Linear(2, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="not the loss"):
        watch(nn.MSELoss(), optimizer, net)
    with pytest.raises(TypeError, match=r"the class MSELoss itself: add \(\)"):
        watch(net, optimizer, nn.MSELoss)
    with pytest.raises(TypeError, match="optimizer trains its parameters"):
        watch(None, optimizer, net)


def texts(seen, kind):
    """The (English, Korean) pairs of one finding of ``judge``."""
    from dlstudy.watch_advice import judge
    return next(found[1:] for found in judge(seen) if found[0] == kind)


def test_the_review_message_bugs_stay_fixed():
    sigmoid = texts({"output_probes": 10, "probability_outputs": 10, "loss_name": "BCEWithLogitsLoss",
                     "output_spread": 1, "steps": 100}, "softmax")
    assert sigmoid[0][0].startswith("a sigmoid before BCEWithLogitsLoss") and not any("('" in text for text in sigmoid[0])
    nll = texts({"output_probes": 4, "probability_outputs": 4, "loss_name": "NLLLoss"}, "softmax")
    assert "log-probabilities" in nll[0][0] and "applies its own" not in nll[2][0] and "log_softmax" in nll[0][1]
    order = texts({"steps": 9, "steps_without_backward": 1, "steps_after_clear": 8, "mode_checks": 9}, "order")
    assert order[1][0].startswith("at 9 of 9 checked steps") and "9번" in order[1][1]
    scale = texts({"input_rms": [120.0], "input_ranges": [255.0], "input_min": 0.0, "input_max": 255.0}, "input_scale")
    assert "from 0 to 255;" in scale[1][0]
