"""dlstudy.watch as a public function: its arguments, its hooks (added, then removed), what it leaves untouched,
its report, and the rules of dlstudy.watch_advice on hand-made numbers."""

import pytest
import torch
from torch import nn

from dlstudy.lang import set_language
from dlstudy.watch import KINDS, watch
from dlstudy.watch_advice import SEE, THRESHOLDS, judge


def loop(net, optimizer, loss_fn, steps=40, zero_grad=True, seed=0):
    g = torch.Generator().manual_seed(seed)
    X, y = torch.randn(64, 4, generator=g), torch.randint(0, 3, (64,), generator=g)
    for step in range(steps):
        i = (step * 16) % 64
        if zero_grad:
            optimizer.zero_grad()
        loss = loss_fn(net(X[i:i + 16]), y[i:i + 16])
        loss.backward()
        optimizer.step()


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 3))


def test_bad_arguments_get_a_message_that_names_them():
    net = mlp()
    sgd = torch.optim.SGD(net.parameters(), lr=0.1)
    cases = [((net, sgd, "not a loss"), "watch: loss_fn"), (("a model", sgd), "watch: model"),
             ((net, [1, 2]), "watch: optimizer"), ((net, torch.nn.functional.cross_entropy), "watch: optimizer"),
             ((None, None), "watch: give it the model")]
    for args, message in cases:
        with pytest.raises(TypeError, match=message):
            watch(*args)


def test_a_loss_function_instead_of_a_module_is_refused_with_the_fix():
    net = mlp()
    with pytest.raises(TypeError, match=r"loss_fn must be the loss module.*cross_entropy.*nn.CrossEntropyLoss\(\)"):
        watch(net, torch.optim.SGD(net.parameters(), lr=0.1), torch.nn.functional.cross_entropy)


def test_hooks_are_removed_and_the_model_is_left_as_it_was():
    net, loss_fn = mlp(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    net.eval()
    state = {k: v.clone() for k, v in net.state_dict().items()}
    with watch(net, optimizer, loss_fn, report=False):
        pass
    assert not net.training and all(torch.equal(state[k], v) for k, v in net.state_dict().items())
    hooks = [net._forward_hooks, net._forward_pre_hooks, loss_fn._forward_hooks, optimizer._optimizer_step_pre_hooks,
             optimizer._optimizer_step_post_hooks] + [p._backward_hooks or {} for p in net.parameters()]
    with watch(net, optimizer, loss_fn, report=False):
        net.train()
        loop(net, optimizer, loss_fn, steps=3)
    assert all(len(h) == 0 for h in hooks[:5])
    assert all(len(p._backward_hooks or {}) == 0 for p in net.parameters())
    assert all(len(m._forward_hooks) == 0 for m in net.modules())


@pytest.mark.parametrize("steps", [1, 4, 40])
def test_no_parameter_keeps_a_hook_table_and_the_learners_own_hooks_stay(steps):
    """An empty hook table still makes every backward pass call into Python: watch leaves none behind."""
    net, loss_fn = mlp(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    calls = []
    first = next(net.parameters())
    first.register_hook(lambda grad: calls.append(1))
    with watch(net, optimizer, loss_fn, report=False):
        loop(net, optimizer, loss_fn, steps=steps)
    assert [p._backward_hooks is None for p in list(net.parameters())[1:]] == [True] * (len(list(net.parameters())) - 1)
    assert len(first._backward_hooks) == 1
    before = len(calls)
    loop(net, optimizer, loss_fn, steps=1)
    assert len(calls) == before + 1


def test_the_same_losses_with_and_without_watch():
    results = []
    for watched in (False, True):
        net, loss_fn = mlp(), nn.CrossEntropyLoss()
        optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
        torch.manual_seed(1)
        if watched:
            with watch(net, optimizer, loss_fn, report=False):
                loop(net, optimizer, loss_fn)
        else:
            loop(net, optimizer, loss_fn)
        results.append(torch.cat([p.detach().flatten() for p in net.parameters()]))
    assert torch.equal(*results)


def test_report_prints_the_findings_at_exit_or_says_nothing_was_found(capsys):
    net, loss_fn = mlp(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    with watch(net, optimizer, loss_fn) as w:
        loop(net, optimizer, loss_fn)
    assert capsys.readouterr().out == ""            # a correct loop: silent
    w.report()
    assert capsys.readouterr().out == "dlstudy.watch: no silent mistakes found in 40 steps.\n"
    with watch(net, optimizer, loss_fn) as w:
        loop(net, optimizer, loss_fn, zero_grad=False)
    out = capsys.readouterr().out
    assert out.startswith("[zero_grad] ") and "Fix: call optimizer.zero_grad()" in out
    assert "See chapter 06, Common mistakes, 5" in out


def test_findings_wait_for_the_end_of_the_block_and_a_watch_is_used_once():
    net = mlp()
    w = watch(net, torch.optim.SGD(net.parameters(), lr=0.1))
    with w:
        with pytest.raises(RuntimeError, match="when the `with watch"):
            w.findings
    with pytest.raises(RuntimeError, match="already used"):
        with w:
            pass


def test_an_error_in_the_loop_propagates_and_removes_the_hooks(capsys):
    net = mlp()
    with pytest.raises(RuntimeError):
        with watch(net, torch.optim.SGD(net.parameters(), lr=0.1)):
            net(torch.zeros(2, 5))
    assert len(net._forward_hooks) == 0 and capsys.readouterr().out == ""


def test_the_korean_report():
    net, loss_fn = mlp(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    with watch(net, optimizer, loss_fn, report=False) as w:
        loop(net, optimizer, loss_fn, zero_grad=False)
    set_language("ko")
    try:
        text = str(w.findings[0])
    finally:
        set_language("en")
    assert "기울기를 지우지 않아요" in text and '06장 Common mistakes 5 "Forgetting optimizer.zero_grad() in your own loop"' in text


def test_every_rule_is_silent_on_nothing_and_every_see_is_used():
    assert judge({}) == []
    assert set(SEE) >= {"zero_grad", "softmax", "shuffle"} and len(KINDS) == len(set(KINDS))
    assert all(value > 0 for value in THRESHOLDS.values())


@pytest.mark.parametrize("first, end, kind", [(0.7, 1.2, "lr_high"), (0.7, 0.693, "chance_loss")])
def test_the_loss_rules_on_numbers(first, end, kind):
    seen = {"steps": 60, "backwards": 60, "losses": [first] * 5 + [end] * 16, "classes": 2, "weight_layers": 2,
            "update_ratio": 0.2, "update_ratio_start": 0.2}
    assert [found[0] for found in judge(seen)] == [kind]
    if kind == "lr_high":                            # a rising loss with tiny steps is batch noise, not the lr
        assert judge(dict(seen, update_ratio=1e-3, update_ratio_start=1e-3)) == []
    seen["weight_layers"] = 1                        # a perceptron on XOR really stays at ln 2
    assert kind != "chance_loss" or judge(seen) == []


def test_headings_cited_exist_in_the_chapters():
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "notebooks"
    for chapter, kind, text in SEE.values():
        path = next(root.glob(f"{chapter}_*.ipynb"))
        cells = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown")
        wanted = f"**{text}**" if kind == "mistake" and text.endswith(".") else text
        assert wanted in cells or f"### {text}" in cells or f"## {text}" in cells, (chapter, text)


def test_without_a_model_the_optimizer_is_enough():
    w_param, mse = torch.zeros(3, requires_grad=True), nn.MSELoss()
    optimizer = torch.optim.SGD([w_param], lr=0.1)
    with watch(None, optimizer, mse, report=False) as watcher:   # a loss module, so its graphs can be watched
        total = 0.0
        for _ in range(40):
            loss = mse(w_param, torch.full((3,), 3.0))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss                                   # keeps every graph
    assert [f.kind for f in watcher.findings] == ["graph_kept"]


def test_an_evaluation_only_watch_needs_no_optimizer():
    net = mlp()
    with watch(net, report=False) as watcher:
        net.train()
        with torch.no_grad():
            net(torch.zeros(8, 4))
    assert [f.kind for f in watcher.findings] == ["train_mode"]
    assert "1 of 1 forward passes without gradients" in watcher.findings[0].seen


# A GradScaler without zero_grad() is left out: unscale_ divides what was kept by the scale (1024) at every step,
# so almost nothing old is left and either answer is fair.
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("clip, zero_grad", [("norm", True), ("value", True), ("scaler", True), ("norm", False),
                                             ("value", False)])
def test_clipped_or_unscaled_gradients_are_not_old_ones_kept(clip, zero_grad, seed):
    """clip_grad_norm_, clip_grad_value_ and a GradScaler's unscale_ shrink .grad in place: not a missing zero_grad();
    a missing zero_grad() is still found through them."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(256, 5, generator=g)
    y = (X[:, 0] + 0.5 * torch.randn(256, generator=g) > 0).long()
    torch.manual_seed(seed)
    net, loss_fn = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2)), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0) if clip == "scaler" else None
    with watch(net, optimizer, loss_fn, report=False) as w:
        for _ in range(8):
            for i in range(0, 256, 32):
                if zero_grad:
                    optimizer.zero_grad()
                loss = loss_fn(net(X[i:i + 32]), y[i:i + 32])
                if scaler is not None:
                    scaler.scale(loss).backward()
                    scaler.unscale_(optimizer)
                    nn.utils.clip_grad_norm_(net.parameters(), 0.1)
                    scaler.step(optimizer)
                    scaler.update()
                    continue
                loss.backward()
                if clip == "norm":
                    nn.utils.clip_grad_norm_(net.parameters(), 0.05)
                else:
                    nn.utils.clip_grad_value_(net.parameters(), 0.01)
                optimizer.step()
    kinds = [f.kind for f in w.findings]
    assert ("zero_grad" in kinds) == (not zero_grad), kinds


def test_dlstudy_watch_is_callable_as_the_issue_writes_it():
    """`import dlstudy; with dlstudy.watch(model, optimizer, loss_fn)` works, and so does `from dlstudy.watch import`."""
    import dlstudy
    import dlstudy.watch as module
    net, loss_fn = mlp(), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    with dlstudy.watch(net, optimizer, loss_fn, report=False) as w:
        loop(net, optimizer, loss_fn, steps=8, zero_grad=False)
    assert [f.kind for f in w.findings] == ["zero_grad"] and module.watch is watch and dlstudy.watch is module
    with pytest.raises(TypeError, match="watch: model must be your network"):
        dlstudy.watch(3)
    with pytest.raises(AttributeError, match="no attribute 'wacth'"):
        dlstudy.wacth
