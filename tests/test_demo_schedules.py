"""Chapter 11's schedule explorer: schedules, their curves, training with them, and the widget without a browser."""

import math

import pytest
import torch

from dlstudy.demos.schedules import (SCHEDULES, digits_data, epochs_to_reach, make_scheduler, schedule_curve,
                                     train_with_schedule)


def test_every_schedule_starts_ends_and_peaks_where_it_should():
    total, lr = 100, 0.1
    curves = {name: schedule_curve(name, lr, total, warmup=0.2, gamma=0.5) for name in SCHEDULES}
    assert all(len(c) == total for c in curves.values())
    assert curves["constant"] == [lr] * total
    assert curves["step"][0] == lr and curves["step"][40] == pytest.approx(lr / 2) and curves["step"][-1] == pytest.approx(lr / 4)
    assert curves["cosine"][0] == pytest.approx(lr) and curves["cosine"][-1] < lr * 1e-3
    one = curves["one-cycle"]
    assert one[0] == pytest.approx(lr / 25) and max(one) == pytest.approx(lr) and one.index(max(one)) in (19, 20)
    assert one[-1] < lr / 1e4
    warm = curves["linear warmup"]
    assert warm[0] == pytest.approx(lr / 100) and warm[20:] == pytest.approx([lr] * 80)
    wc = curves["warmup + cosine"]
    assert wc[0] == pytest.approx(lr / 100) and wc[20] == pytest.approx(lr) and wc[-1] < lr * 1e-2


def test_warmup_cosine_matches_its_formula():
    total, warm, lr = 50, 10, 0.3
    curve = schedule_curve("warmup + cosine", lr, total, warmup=warm / total)
    expected = [lr * (0.01 + 0.99 * s / warm) if s < warm else
                lr * 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))) for s in range(total)]
    assert curve == pytest.approx(expected, rel=1e-5, abs=1e-9)


def test_bad_settings_get_clear_errors():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="one-cycle"):
        make_scheduler(opt, "triangle", 10)
    with pytest.raises(ValueError, match="warmup"):
        make_scheduler(opt, "cosine", 10, warmup=1.5)
    with pytest.raises(ValueError, match="total_steps"):
        make_scheduler(opt, "cosine", 1)


def test_digits_split_is_fixed_and_standardized():
    X_train, y_train, X_val, y_val = digits_data()
    again = digits_data()
    assert all(torch.equal(a, b) for a, b in zip((X_train, y_train, X_val, y_val), again))
    assert abs(X_train.mean().item()) < 1e-4 and abs(X_train.std().item() - 1) < 1e-4
    assert 80 <= y_val.bincount().min() and y_val.bincount().max() <= 120


def test_training_with_a_schedule_records_the_lr_of_every_batch():
    rng = torch.random.get_rng_state()
    result = train_with_schedule("one-cycle", 0.1, 2, warmup=0.3)
    assert torch.equal(torch.random.get_rng_state(), rng)           # the caller's random stream is untouched
    assert len(result["lrs"]) == 2 * 63 and max(result["lrs"]) == pytest.approx(0.1, rel=1e-3)
    assert result["lrs"] == pytest.approx(schedule_curve("one-cycle", 0.1, 126, warmup=0.3))
    h = result["history"]
    assert len(h) == 2 and h["val_acc"][-1] > 0.85
    again = train_with_schedule("one-cycle", 0.1, 2, warmup=0.3)
    assert again["history"]["train_loss"] == h["train_loss"]          # same seed, same run


def test_epochs_to_reach():
    assert epochs_to_reach([0.1, 0.5], 0.9) is None
    assert epochs_to_reach([0.9], 0.9) == 1


def test_widget_draws_the_curve_and_trains_on_click():
    pytest.importorskip("ipywidgets")
    from dlstudy.demos.schedules import schedule_explorer
    box = schedule_explorer()
    assert repr(box).startswith("ScheduleExplorer(schedule='one-cycle'")
    first = box.image.value
    assert first[:4] == b"\x89PNG"
    box.controls["schedule"].value = "step"
    assert box.image.value != first and box.controls["warmup"].disabled and not box.controls["gamma"].disabled
    box.controls["num_epochs"].value = 1
    box.button.click()
    assert len(box.runs) == 1 and "validation accuracy" in box.result_label.value
    assert box.result["name"] == "step" and not box.button.disabled
    box.controls["gamma"].value = 0.5                                  # a knob moves after the run
    assert "Settings changed" in box.result_label.value and box.stale


@pytest.mark.parametrize("num_epochs", [1, 2, 3, 7, 10])
def test_the_epoch_axes_read_whole_epochs(num_epochs):
    from types import SimpleNamespace

    from dlstudy.demos.schedules import _draw
    figures = []
    steps = 7
    curve = schedule_curve("cosine", 0.1, num_epochs * steps)
    class History(dict):                                   # len() counts epochs, as dlstudy's History does
        def __len__(self):
            return len(self["val_acc"])

    runs = [{"history": History(val_acc=[0.5 + 0.01 * e for e in range(num_epochs)]), "label": "run"}]
    _draw(SimpleNamespace(show=figures.append), runs, curve, steps)
    for ax in figures[0].axes:
        ax.figure.canvas.draw()
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
