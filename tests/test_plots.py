"""dlstudy.plots (curves, classifiers, images, paths) under the Agg backend: check what is drawn, and that models are left as they were."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

import dlstudy.plots.classifiers as classifiers
import dlstudy.plots.curves as curves
import dlstudy.plots.images as images
from dlstudy.plots import (LivePlot, plot_confusion_matrix, plot_decision_boundary, plot_feature_maps, plot_filters,
                           plot_function, plot_history, plot_optimizer_paths, plot_roc, show_images)
from dlstudy.train import History, fit

matplotlib.use("Agg")   # draw off-screen, as the root conftest.py does


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labels_of(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def make_history(epochs=3):
    history = History()
    for epoch in range(1, epochs + 1):
        history.append({"epoch": epoch, "train_loss": 1 / epoch, "val_loss": 1.2 / epoch, "val_acc": epoch / 4})
    return history


# plot_history and LivePlot ------------------------------------------------------------------

def test_plot_history_draws_one_panel_per_quantity():
    fig = plot_history(make_history())
    loss, acc = fig.axes
    assert (loss.get_title(), acc.get_title(), loss.get_xlabel(), acc.get_ylabel()) == ("loss", "acc", "epoch", "acc")
    assert labels_of(loss) == ["train", "validation"] and labels_of(acc) == ["validation"]
    assert list(loss.lines[0].get_xdata()) == [1, 2, 3] and loss.lines[1].get_ydata()[-1] == pytest.approx(0.4)


def test_plot_history_keys_and_an_existing_axes():
    fig, ax = plt.subplots()
    assert plot_history(make_history(), keys=["train_loss", "val_acc"], ax=ax) is fig
    assert len(fig.axes) == 1 and labels_of(ax) == ["train_loss", "val_acc"] and ax.get_ylabel() == "value"


def test_plot_history_explains_bad_input():
    with pytest.raises(ValueError, match="empty"):
        plot_history(History())
    with pytest.raises(KeyError, match="val_f1"):
        plot_history(make_history(), keys=["val_f1"])


class FakeHandle:
    def __init__(self):
        self.updates = []

    def update(self, obj):
        self.updates.append(obj)


def test_live_plot_displays_once_then_updates_the_same_handle(monkeypatch):
    import IPython.display

    shown, handle = [], FakeHandle()

    def fake_display(obj, display_id=False):
        shown.append((obj, display_id))
        return handle

    monkeypatch.setattr(curves, "in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", fake_display)
    live = LivePlot(min_interval=0)
    for epochs in (1, 2, 3):
        live.update(make_history(epochs))
    assert len(shown) == 1 and shown[0][1] is True and len(handle.updates) == 2      # one redraw per update
    assert all(image.data.startswith(b"\x89PNG") for image in [shown[0][0], *handle.updates])
    assert [len(ax.lines) for ax in live.fig.axes] == [2, 1] and len(live.fig.axes[0].lines[0].get_xdata()) == 3
    assert "0x" not in repr(live) and plt.get_fignums() == []                        # never a pyplot figure
    live.close()
    assert plt.get_fignums() == []


def test_live_plot_skips_redraws_that_come_too_fast_but_draws_the_end(monkeypatch):
    handle = FakeHandle()
    monkeypatch.setattr(curves, "in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj, display_id=False: handle)
    live = LivePlot(min_interval=60)
    for epochs in (1, 2, 3):
        live.update(make_history(epochs))
    assert handle.updates == [] and len(live.fig.axes[0].lines[0].get_xdata()) == 1
    live.close()
    assert len(handle.updates) == 1 and len(live.fig.axes[0].lines[0].get_xdata()) == 3


def test_live_plot_outside_a_notebook_displays_nothing(capsys):
    live = LivePlot()
    live.update({"train_loss": [1.0, 0.5]})
    live.close()
    assert capsys.readouterr().out == "" and live.handle is None and live.fig.axes[0].get_title() == "loss"


def test_live_plot_as_a_fit_callback_draws_every_epoch_and_closes(monkeypatch):
    handle = FakeHandle()
    monkeypatch.setattr(curves, "in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj, display_id=False: handle)
    net = nn.Linear(1, 1)
    X = torch.randn(16, 1)
    live = LivePlot(min_interval=0)
    history = fit(net, (X, 2 * X), nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=0.1), 3,
                  progress=False, callbacks=[live])
    assert len(history) == 3 and len(handle.updates) == 2 and plt.get_fignums() == []
    assert len(live.fig.axes[0].lines[0].get_xdata()) == 3


# Decision boundaries -----------------------------------------------------------------------

class Recorder(nn.Module):
    """A linear model that records the mode and input device of every call."""

    def __init__(self, out_features=1):
        super().__init__()
        self.linear = nn.Linear(2, out_features)
        self.calls = []

    def forward(self, X):
        self.calls.append((self.training, X.device.type, X.dtype))
        return self.linear(X)


def moons():
    X = torch.tensor([[-1.0, -1.0], [-0.5, 0.2], [1.0, 0.5], [0.8, -0.4], [0.1, 1.0]])
    return X, torch.tensor([0, 0, 1, 1, 1])


def test_decision_boundary_draws_regions_and_points():
    X, y = moons()
    model = Recorder()
    fig = plot_decision_boundary(model, X, y, X_test=X[:2] + 0.1, y_test=y[:2], title="moons", resolution=50)
    ax = fig.axes[0]
    regions, train, test = ax.collections[0], ax.collections[-2], ax.collections[-1]
    assert list(regions.levels) == [-0.5, 0.5, 1.5]
    assert len(train.get_offsets()) == 5 and len(test.get_offsets()) == 2
    assert labels_of(ax) == ["train", "test"] and ax.get_title() == "moons" and ax.get_xlabel() == "x1"
    assert model.calls == [(False, "cpu", torch.float32)]                          # one batch, eval mode


def test_decision_boundary_restores_train_mode_and_never_moves_the_model():
    X, y = moons()
    model = Recorder(out_features=3)
    model.train()
    weight = model.linear.weight
    plot_decision_boundary(model, X, y, resolution=20)
    assert model.training and all(m.training for m in model.modules())
    assert model.calls[0][0] is False and model.linear.weight is weight
    model.eval()
    plot_decision_boundary(model, X, y, resolution=20)
    assert not model.training


class OnAnotherDevice(nn.Module):
    """A model whose weights live on the 'meta' device: stands in for a GPU in CPU-only tests."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(2, device="meta"))
        self.devices = []

    def forward(self, X):
        self.devices.append(X.device.type)
        return torch.zeros(len(X), 1)          # a stand-in output, on the CPU

    def _apply(self, fn, recurse=True):        # .to(), .cpu(), .cuda() all go through here
        raise AssertionError("the helper tried to move the model")


def test_decision_boundary_sends_the_grid_to_the_models_device():
    model = OnAnotherDevice().train()
    X, y = moons()
    plot_decision_boundary(model, X.requires_grad_(), y, resolution=10)
    assert model.devices == ["meta"] and model.weight.device.type == "meta" and model.training


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_decision_boundary_with_a_model_and_data_on_the_gpu():
    model = Recorder().cuda().train()
    X, y = moons()
    plot_decision_boundary(model, X.cuda(), y.cuda(), resolution=20)
    assert model.calls[0][1] == "cuda" and model.linear.weight.is_cuda and model.training


def test_binary_logits_and_probabilities_give_the_same_boundary():
    grid = torch.tensor([[-2.0, 0.0], [-0.1, 0.0], [0.1, 0.0], [2.0, 0.0]])
    logits = nn.Linear(2, 1)
    with torch.no_grad():
        logits.weight.copy_(torch.tensor([[3.0, 0.0]]))
        logits.bias.zero_()
    expected = [0, 0, 1, 1]
    assert classifiers._grid_classes(logits, grid).tolist() == expected
    assert classifiers._grid_classes(nn.Sequential(logits, nn.Sigmoid()), grid).tolist() == expected
    assert classifiers._grid_classes(nn.Sequential(logits, nn.Flatten(0)), grid).tolist() == expected   # (N,)
    assert classifiers._grid_classes(lambda g: (g[:, 0] > 0).long(), grid).tolist() == expected           # labels


def test_decision_boundary_explains_bad_input():
    with pytest.raises(ValueError, match=r"shape \(N, 2\); got \(5, 3\)"):
        plot_decision_boundary(nn.Linear(3, 1), torch.zeros(5, 3), torch.zeros(5))
    with pytest.raises(ValueError, match="5 points but y has 4"):
        plot_decision_boundary(nn.Linear(2, 1), torch.zeros(5, 2), torch.zeros(4))
    with pytest.raises(ValueError, match="X_test and y_test together"):
        plot_decision_boundary(nn.Linear(2, 1), torch.zeros(5, 2), torch.zeros(5), X_test=torch.zeros(2, 2))
    assert plt.get_fignums() == []                                                  # no half-drawn figure


# Confusion matrix and ROC --------------------------------------------------------------------

def test_confusion_matrix_cells_labels_and_normalization():
    preds, target = torch.tensor([0, 1, 1, 2, 2, 2]), torch.tensor([0, 1, 2, 2, 2, 0])
    ax = plot_confusion_matrix(preds, target, class_names=["cat", "dog", "bird"]).axes[0]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "1", "0", "1", "0", "0", "1", "2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "bird"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("predicted class", "true class", "confusion matrix")
    ax = plot_confusion_matrix(preds, target, normalize=True).axes[0]
    assert [t.get_text() for t in ax.texts][:3] == ["0.50", "0.00", "0.50"] and "sums to 1" in ax.get_title()
    ax = plot_confusion_matrix(torch.tensor([0, 1]), torch.tensor([0, 1]), class_names=["a", "b", "c"]).axes[0]
    assert len(ax.texts) == 9                                                       # unseen classes still shown
    with pytest.raises(ValueError, match="class_names has 2 names"):
        plot_confusion_matrix(preds, target, class_names=["cat", "dog"])


def test_roc_curve_auc_and_operating_point():
    scores = torch.tensor([0.1, 0.4, 0.35, 0.8, 0.7, 0.2], requires_grad=True)
    target = torch.tensor([0, 0, 1, 1, 1, 0])
    ax = plot_roc(scores, target, threshold=0.5).axes[0]
    assert [line.get_label() for line in ax.lines] == ["ROC (AUC = 0.889)", "chance (AUC = 0.5)"]
    assert ax.collections[0].get_offsets().tolist() == [[0.0, pytest.approx(2 / 3)]]    # FPR 0, TPR 2/3
    assert labels_of(ax)[-1] == "threshold 0.5: FPR 0.00, TPR 0.67" and ax.get_title() == "ROC curve"
    ax = plot_roc(scores, target, threshold=0.05).axes[0]
    assert ax.collections[0].get_offsets().tolist() == [[1.0, 1.0]]
    assert len(plot_roc(scores, target).axes[0].collections) == 0


# Functions, images and CNNs --------------------------------------------------------------------

def test_plot_function_draws_the_function_and_its_autograd_derivative():
    ax = plot_function(torch.sigmoid).axes[0]
    f, df = ax.lines
    assert (f.get_label(), df.get_label(), ax.get_title()) == ("sigmoid", "sigmoid' (autograd)",
                                                               "sigmoid and its derivative")
    assert max(df.get_ydata()) == pytest.approx(0.25) and f.get_xdata()[0] == -6
    assert plot_function(nn.ReLU(), derivative=False).axes[0].get_title() == "ReLU"
    assert plot_function(lambda x: x ** 2, x_range=(-1, 1)).axes[0].lines[1].get_ydata()[-1] == pytest.approx(2)
    assert plot_function(torch.tanh, label="tanh(x)").axes[0].lines[0].get_label() == "tanh(x)"


def test_plot_function_explains_bad_functions():
    with pytest.raises(ValueError, match="elementwise"):
        plot_function(torch.sum)
    with pytest.raises(ValueError, match="derivative=False"):
        plot_function(lambda x: x.detach() ** 2)
    assert plt.get_fignums() == []


def test_show_images_titles_and_highlights_wrong_predictions():
    fig = show_images(torch.rand(5, 1, 8, 8), labels=torch.tensor([1, 2, 3, 4, 5]),
                      preds=torch.tensor([1, 2, 0, 4, 5]), ncols=3)
    assert len(fig.axes) == 5 and fig.axes[2].get_title() == "P: 0 | T: 3"
    assert [ax.title.get_color() for ax in fig.axes] == ["black", "black", "red", "black", "black"]
    assert fig.axes[2].spines["top"].get_edgecolor()[:3] == (1.0, 0.0, 0.0)
    scores = torch.tensor([[0.9, 0.1], [0.2, 0.8]])
    fig = show_images(torch.rand(2, 3, 4, 4), labels=[0, 0], preds=scores, class_names=["cat", "dog"])
    assert [ax.get_title() for ax in fig.axes] == ["P: cat | T: cat", "P: dog | T: cat"]
    assert fig.axes[0].images[0].get_array().shape == (4, 4, 3)                      # colour images
    assert show_images(torch.rand(2, 8, 8), labels=torch.tensor([7, 8])).axes[1].get_title() == "8"


def test_show_images_limits_the_grid_and_explains_flat_rows(monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGES", 4)                                      # 64 in real use
    fig = show_images(torch.rand(7, 6, 6))
    assert len(fig.axes) == 4 and fig.get_suptitle() == "the first 4 of 7 images"
    with pytest.raises(ValueError, match=r"reshape\(-1, 8, 8\)"):
        show_images(torch.rand(10, 64))
    with pytest.raises(ValueError, match="labels has 2 entries for 3 images"):
        show_images(torch.rand(3, 8, 8), labels=[1, 2])


def test_feature_maps_of_a_conv_layer_and_of_a_model():
    conv = nn.Sequential(nn.Conv2d(1, 20, 3, padding=1), nn.ReLU()).train()
    fig = plot_feature_maps(conv, torch.rand(8, 8))
    assert len(fig.axes) == 16 and fig.axes[15].get_title() == "map 15"
    assert fig.get_suptitle() == "16 of 20 feature maps, each 8x8" and conv.training
    assert len(plot_feature_maps(conv, torch.rand(1, 1, 8, 8), max_maps=4).axes) == 4
    with pytest.raises(ValueError, match="convolutional part"):
        plot_feature_maps(nn.Sequential(nn.Flatten(), nn.Linear(64, 10)), torch.rand(1, 8, 8))


def test_filters_grey_colour_and_many_input_channels():
    fig = plot_filters(nn.Conv2d(3, 4, 5))
    assert len(fig.axes) == 4 and fig.axes[0].images[0].get_array().shape == (5, 5, 3)
    fig = plot_filters(nn.Conv2d(6, 16, 3).weight)
    assert len(fig.axes) == 16 and "input channel 0 of 6" in fig.get_suptitle()
    with pytest.raises(TypeError, match="conv_layer must be an nn.Conv2d .*got a Linear"):
        plot_filters(nn.Linear(2, 2))


# Optimizer paths ---------------------------------------------------------------------------

def test_optimizer_paths_over_the_contours():
    paths = {"sgd": torch.tensor([[-1.5, 1.0], [-1.0, 0.5], [-0.5, 0.2]]),
             "adam": [torch.tensor([-1.5, 1.0]), torch.tensor([-1.4, 0.9])]}
    ax = plot_optimizer_paths(lambda x, y: x ** 2 + 3 * y ** 2, paths).axes[0]
    assert [line.get_label() for line in ax.lines] == ["sgd", "adam"] and len(ax.lines[0].get_xdata()) == 3
    assert labels_of(ax) == ["sgd", "adam"] and len(ax.collections) >= 1 and ax.get_xlim() == (-2, 2)
    ax = plot_optimizer_paths(lambda p: (p ** 2).sum(-1), {"gd": torch.zeros(4, 2)}, x_range=(-1, 1)).axes[0]
    assert ax.get_xlim() == (-1, 1) and len(ax.lines) == 1                           # f(p), p of shape (..., 2)
    with pytest.raises(ValueError, match=r"shape \(steps, 2\)"):
        plot_optimizer_paths(lambda x, y: x + y, {"bad": torch.zeros(5)})
    with pytest.raises(ValueError, match="elementwise"):
        plot_optimizer_paths(lambda x, y: (x + y).sum(), {})
    assert len(plt.get_fignums()) == 2                                               # none for the errors


def test_every_panel_function_draws_into_a_given_axes():
    fig, axes = plt.subplots(1, 5)
    X, y = moons()
    assert plot_decision_boundary(nn.Linear(2, 2), X, y, ax=axes[0], resolution=10) is fig
    assert plot_confusion_matrix(y, y, ax=axes[1]) is fig
    assert plot_roc(X[:, 0], y, ax=axes[2]) is fig
    assert plot_function(torch.tanh, ax=axes[3]) is fig
    assert plot_optimizer_paths(lambda x, y: x * y, {}, ax=axes[4]) is fig
    assert len(fig.axes) == 5 and plt.get_fignums() == [fig.number]
    assert np.all([len(ax.get_children()) > 0 for ax in axes])
