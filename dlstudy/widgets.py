"""Widgets to play with: change a knob, press a button, watch the network respond.

Each builder returns an ``Explorer`` (an ``ipywidgets.VBox``) and displays nothing; put it
last in a cell to show it. Its parts are attributes, so code and tests can drive it:
``box.controls`` (name -> slider, dropdown, ...), ``box.button`` (Train / Race, or None when
the picture follows the sliders), ``box.result_label`` (the numbers, as HTML), ``box.image``
(the figure, as PNG) and ``box.result`` (what the experiment function last returned). The
experiments themselves are plain functions in ``dlstudy.experiments``.
"""

import html
import io

import ipywidgets as W
import torch
from matplotlib.figure import Figure

from dlstudy.experiments import (
    OPTIMIZERS, SURFACES, activation_data, playground_data, race, regularization_data, run_gradient_descent,
    threshold_report, train_playground, train_regularized,
)
from dlstudy.plots import (
    plot_confusion_matrix, plot_decision_boundary, plot_function, plot_history, plot_optimizer_paths, plot_roc,
)
from dlstudy.train import TrainingDiverged

__all__ = ["Explorer", "activation_explorer", "playground", "lr_explorer", "optimizer_race",
           "threshold_explorer", "regularization_explorer"]

STYLE = {"description_width": "initial"}
COLORS = ("#1f77b4", "#ff7f0e")          # class 0 and class 1, as in dlstudy.plots


class Explorer(W.VBox):
    """A box of controls, a result line and a picture; its repr lists the knobs (stable in notebooks).

    >>> Explorer("Demo", {"lr": W.FloatLogSlider(value=0.1, min=-3, max=0), "epochs": W.IntSlider(value=30)})
    Demo(lr=0.1, epochs=30)
    """

    def __init__(self, name, controls, button=None, rows=None):
        self.name, self.controls, self.button = name, controls, button
        self.result_label = W.HTML()
        self.image = W.Image(format="png")
        self.result = None
        rows = rows if rows is not None else [W.HBox(list(controls.values()))]
        super().__init__(rows + ([button] if button else []) + [self.result_label, self.image])

    def show(self, fig, text=None, color=None):
        """Put the figure (as PNG) and, if given, a line of text in place of the old ones."""
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        self.image.value = buffer.getvalue()
        if text is not None:
            self.say(text, color)

    def say(self, text, color=None):
        """Replace the result line with ``text`` (HTML), optionally in a colour."""
        style = f' style="color:{color}"' if color else ""
        self.result_label.value = f"<span{style}>{text}</span>"

    def __repr__(self):
        knobs = ", ".join(f"{key}={control.value!r}" for key, control in self.controls.items())
        return f"{self.name}({knobs})"


def _figure(ncols=2, width=10.0, height=3.8, left=0.7, bottom=0.5):
    """A Figure outside pyplot (so the notebook never shows it a second time) with fixed margins in inches."""
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left / width, right=1 - 0.2 / width, bottom=bottom / height, top=1 - 0.35 / height,
                        wspace=0.25)
    return fig, fig.subplots(1, ncols, squeeze=False)[0]


def _slider(kind, description, value, low, high, step, fmt=None):
    extra = {"readout_format": fmt} if fmt else {}
    return kind(value=value, min=low, max=high, step=step, description=description, style=STYLE,
                continuous_update=False, **extra)


def _log_slider(description, value, low_exp, high_exp):
    return W.FloatLogSlider(value=value, base=10, min=low_exp, max=high_exp, step=0.1, description=description,
                            style=STYLE, continuous_update=False, readout_format=".3g")


def _button(description):
    return W.Button(description=description, button_style="primary", icon="play")


def _busy(box, run, busy_text):
    """Run ``run()`` with the button disabled (and enabled again whatever happens)."""
    label = box.button.description
    box.button.disabled, box.button.description = True, busy_text
    try:
        run()
    except (TrainingDiverged, ValueError) as error:
        box.say(html.escape(str(error)), "#c0392b")
    except Exception as error:              # a button's errors go to a log the learner never sees: show it
        box.say(html.escape(f"Something went wrong: {type(error).__name__}: {error}"), "#c0392b")
        raise
    finally:
        box.button.disabled, box.button.description = False, label


# 1. Activations ---------------------------------------------------------------------------

def activation_explorer():
    """Sigmoid, tanh, ReLU or Leaky ReLU with its derivative; the derivative's maximum is marked."""
    controls = {
        "activation": W.Dropdown(options=[("Sigmoid", "sigmoid"), ("Tanh", "tanh"), ("ReLU", "relu"),
                                          ("Leaky ReLU", "leaky_relu")], value="sigmoid",
                                 description="Activation", style=STYLE),
        "slope": _slider(W.FloatSlider, "Leaky ReLU slope", 0.1, 0.0, 0.5, 0.01, ".2f"),
    }
    box = Explorer("ActivationExplorer", controls)

    def update(_=None):
        name, slope = controls["activation"].value, controls["slope"].value
        controls["slope"].disabled = name != "leaky_relu"
        data = box.result = activation_data(name, slope)
        fig, (ax,) = _figure(1, 6.5, 3.6)
        plot_function(data["fn"], ax=ax, label=controls["activation"].label)
        ax.plot([data["argmax"]], [data["max_derivative"]], "o", color="red",
                label=f"largest slope {data['max_derivative']:.3g}")
        ax.legend(loc="upper left")
        box.show(fig, f"The derivative is at most <b>{data['max_derivative']:.3g}</b> (at x = "
                      f"{data['argmax']:.2g}). Backpropagation multiplies one such factor per layer.")

    for control in controls.values():
        control.observe(update, "value")
    update()
    return box


# 2. Playground ----------------------------------------------------------------------------

def _draw_data(ax, data):
    for part, marker, size in (("train", "o", 25), ("test", "^", 40)):
        X, y = data[f"X_{part}"], data[f"y_{part}"]
        colors = [COLORS[int(c) % 2] for c in y]
        ax.scatter(X[:, 0], X[:, 1], c=colors, marker=marker, s=size, edgecolors="k", linewidths=0.5, label=part)
    ax.legend(loc="best")
    ax.set_title("the data (press Train)")


def playground():
    """A PyTorch playground: pick data and a network, press Train, watch the boundary and the losses."""
    controls = {
        "dataset": W.Dropdown(options=[("XOR", "xor"), ("Moons", "moons"), ("Circles", "circles"),
                                       ("Spiral", "spiral")], value="xor", description="Data set", style=STYLE),
        "noise": _slider(W.FloatSlider, "Noise", 0.1, 0.0, 0.5, 0.05, ".2f"),
        "train_ratio": _slider(W.FloatSlider, "Training share", 0.7, 0.1, 0.9, 0.1, ".0%"),
        "hidden_layers": _slider(W.IntSlider, "Hidden layers", 1, 0, 4, 1),
        "units": _slider(W.IntSlider, "Hidden units", 4, 1, 16, 1),
        "activation": W.Dropdown(options=[("tanh", "tanh"), ("ReLU", "relu"), ("sigmoid", "sigmoid"),
                                          ("Leaky ReLU", "leaky_relu")], value="tanh", description="Activation",
                                 style=STYLE),
        "lr": _log_slider("Learning rate", 0.1, -3, 0),
        "l2": W.SelectionSlider(options=[("0", 0.0), ("0.0001", 1e-4), ("0.001", 1e-3), ("0.01", 1e-2),
                                         ("0.1", 0.1)], value=0.0, description="L2 penalty", style=STYLE,
                                continuous_update=False),
        "epochs": _slider(W.IntSlider, "Epochs", 300, 50, 1000, 50),
    }
    c = list(controls.values())
    box = Explorer("Playground", controls, _button("Train"), rows=[W.HBox(c[:3]), W.HBox(c[3:6]), W.HBox(c[6:])])

    def knobs():
        return {key: control.value for key, control in controls.items()}

    def draw(model, history, data, text):
        fig, (left, right) = _figure()
        plot_decision_boundary(model, data["X_train"], data["y_train"], X_test=data["X_test"],
                               y_test=data["y_test"], ax=left, resolution=120,
                               title=f"decision boundary after {len(history)} epochs")
        plot_history(history, keys=["train_loss", "val_loss"], ax=right)
        right.set_title("loss (validation = the test points)")
        box.show(fig, text)

    def preview(_=None):
        k = knobs()
        fig, (left, right) = _figure()
        _draw_data(left, playground_data(k["dataset"], k["noise"], k["train_ratio"]))
        right.set_axis_off()
        box.show(fig, "Choose the knobs, then press <b>Train</b>.")

    def train():
        k = knobs()
        data = playground_data(k["dataset"], k["noise"], k["train_ratio"])

        def on_update(model, history):
            if len(history) < k["epochs"]:
                draw(model, history, data, f"Training... epoch {len(history)} of {k['epochs']}, "
                                           f"test accuracy {history['val_acc'][-1]:.1%}")

        result = box.result = train_playground(**k, on_update=on_update, num_updates=3)
        draw(result["model"], result["history"], data,
             f"<b>Test accuracy: {result['test_acc']:.1%}</b> (train {result['train_acc']:.1%}) after "
             f"{k['epochs']} epochs, final train loss {result['history']['train_loss'][-1]:.4f}")

    for key in ("dataset", "noise", "train_ratio"):
        controls[key].observe(preview, "value")
    for key in ("hidden_layers", "units", "activation", "lr", "l2", "epochs"):
        controls[key].observe(lambda _: box.say("Settings changed: press <b>Train</b> to train with them."),
                              "value")
    box.button.on_click(lambda _: _busy(box, train, "Training..."))
    preview()
    return box


# 3. Learning rate -------------------------------------------------------------------------

def lr_explorer():
    """Gradient descent on a line fit with a log-scale learning-rate slider; divergence is explained."""
    controls = {"lr": _log_slider("Learning rate", 0.05, -4, 0),
                "num_steps": _slider(W.IntSlider, "Steps", 50, 10, 200, 10)}
    box = Explorer("LRExplorer", controls)

    def update(_=None):
        result = box.result = run_gradient_descent(controls["lr"].value, controls["num_steps"].value)
        fig, (left, right) = _figure()
        plot_history({"train_loss": result["losses"]}, ax=left)
        left.axhline(result["min_loss"], color="gray", linestyle="--", label="best possible (least squares)")
        left.set_yscale("log")
        left.set_xlabel("step")
        left.legend(loc="best")
        left.set_title("loss per step")
        X, y = result["data"]
        right.scatter(X[:, 0], y[:, 0], s=12, color="gray", label="data")
        if not result["diverged"]:
            line = torch.linspace(-3, 3, 2)
            right.plot(line, result["w"] * line + result["b"], color="red",
                       label=f"y = {result['w']:.2f} x + {result['b']:.2f}")
        right.set_title("the fitted line" if not result["diverged"] else "no line: the weights blew up")
        right.legend(loc="upper left")
        colors = {"diverged": "#c0392b", "slow": "#d35400", "converged": "#1e8449"}
        box.show(fig, html.escape(result["message"]), colors[result["status"]])

    for control in controls.values():
        control.observe(update, "value")
    update()
    return box


# 4. Optimizer race ------------------------------------------------------------------------

NAMES = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "Adagrad",
         "rmsprop": "RMSProp", "adam": "Adam"}


def optimizer_race():
    """Race optimizers from the same start on a 2-D loss surface; paths and loss per step."""
    surface = W.Dropdown(options=[("Ill-conditioned bowl", "bowl"), ("Rosenbrock valley", "rosenbrock"),
                                  ("Saddle point", "saddle")], value="bowl", description="Loss surface", style=STYLE)
    controls, rows = {"surface": surface}, []
    for name in OPTIMIZERS:
        controls[name] = W.Checkbox(value=name in ("sgd", "momentum", "adam"), description=NAMES[name],
                                    indent=False, layout=W.Layout(width="110px"))
        controls[f"{name}_lr"] = _log_slider("learning rate", SURFACES["bowl"].lrs[name], -4, 0)
        rows.append(W.HBox([controls[name], controls[f"{name}_lr"]]))
    controls["num_steps"] = _slider(W.IntSlider, "Steps", 100, 10, 300, 10)
    box = Explorer("OptimizerRace", controls, _button("Race"),
                   rows=[W.HBox([surface, controls["num_steps"]]), W.VBox(rows)])

    def draw(paths, losses, surf):
        fig, (left, right) = _figure()
        plot_optimizer_paths(surf.fn, {NAMES[n]: path for n, path in paths.items()}, surf.x_range,
                             surf.y_range, ax=left)
        left.plot(*surf.start, "k*", markersize=12)
        left.set_title(surf.description, fontsize=9)
        for name, loss in losses.items():
            right.plot(loss, label=NAMES[name])
        if losses:
            right.set_yscale("log" if surface.value != "saddle" else "linear")
            right.legend(loc="best")
        right.set(xlabel="step", ylabel="loss", title="loss per step")
        return fig

    def new_surface(_=None):
        surf = SURFACES[surface.value]
        for name in OPTIMIZERS:
            controls[f"{name}_lr"].value = surf.lrs[name]
        box.show(draw({}, {}, surf), "Tick optimizers, set their learning rates, then press <b>Race</b>.")

    def run():
        names = [name for name in OPTIMIZERS if controls[name].value]
        if not names:
            raise ValueError("Tick at least one optimizer.")
        result = box.result = race(surface.value, names, {n: controls[f"{n}_lr"].value for n in names},
                                   controls["num_steps"].value)
        ranking = sorted(names, key=lambda n: result["final_loss"][n])
        text = ", ".join(f"{NAMES[n]} {'diverged' if result['diverged'][n] else format(result['final_loss'][n], '.3g')}"
                         for n in ranking)
        box.show(draw(result["paths"], result["losses"], SURFACES[surface.value]),
                 f"Final loss after {controls['num_steps'].value} steps, best first: <b>{text}</b>")

    surface.observe(new_surface, "value")
    box.button.on_click(lambda _: _busy(box, run, "Racing..."))
    new_surface()
    return box


# 5. Threshold -----------------------------------------------------------------------------

def threshold_explorer(scores, target, threshold=0.5):
    """A threshold slider for a binary classifier's scores: confusion matrix, metrics and the ROC point."""
    scores, target = torch.as_tensor(scores).detach().cpu().float(), torch.as_tensor(target).detach().cpu()
    threshold_report(scores, target, threshold)                      # checks the shapes up front
    low, high = round(float(scores.min()), 2), round(float(scores.max()), 2)
    if 0 <= low and high <= 1:
        low, high = 0.0, 1.0
    value = min(max(threshold, low), high)
    controls = {"threshold": _slider(W.FloatSlider, "Threshold", value, low, high, round((high - low) / 100, 4),
                                     ".2f")}
    box = Explorer("ThresholdExplorer", controls)

    def update(_=None):
        t = controls["threshold"].value
        r = box.result = threshold_report(scores, target, t)
        fig, (left, right) = _figure(2, 9.5, 4.2, left=1.0, bottom=0.9)
        plot_confusion_matrix((scores >= t).long(), target, class_names=["0 (neg)", "1 (pos)"], ax=left)
        plot_roc(scores, target, threshold=t, ax=right)
        box.show(fig, f"Threshold {t:.2f}: <b>precision {r['precision']:.3f}, recall {r['recall']:.3f}, "
                      f"F1 {r['f1']:.3f}</b>, accuracy {r['accuracy']:.3f}; TP {r['tp']}, FP {r['fp']}, "
                      f"TN {r['tn']}, FN {r['fn']}; FPR {r['fpr']:.3f}, TPR {r['tpr']:.3f}")

    controls["threshold"].observe(update, "value")
    update()
    return box


# 6. Regularization ------------------------------------------------------------------------

def regularization_explorer():
    """Dropout and weight decay on a network that over-fits 20 points: train vs validation curves."""
    controls = {"dropout": _slider(W.FloatSlider, "Dropout", 0.0, 0.0, 0.8, 0.05, ".2f"),
                "weight_decay": _slider(W.FloatSlider, "Weight decay", 0.0, 0.0, 3.0, 0.1, ".1f"),
                "epochs": _slider(W.IntSlider, "Epochs", 200, 50, 500, 50)}
    box = Explorer("RegularizationExplorer", controls, _button("Train"))
    previous = []

    def draw_data(ax, data):
        ax.scatter(data["X_val"][:, 0], data["y_val"][:, 0], s=8, color="lightgray", label="validation")
        ax.scatter(data["X_train"][:, 0], data["y_train"][:, 0], s=25, color=COLORS[0], label="train")

    def run():
        result = box.result = train_regularized(**{k: c.value for k, c in controls.items()})
        fig, (left, right) = _figure()
        plot_history(result["history"], keys=["train_loss", "val_loss"], ax=left)
        left.set_yscale("log")
        draw_data(right, result["data"])
        x, model = torch.linspace(-1, 1, 200).reshape(-1, 1), result["model"].eval()
        with torch.no_grad():
            right.plot(x[:, 0], model(x)[:, 0], color="red", label="network")
        model.train()
        right.legend(loc="best")
        right.set_title("what the network learned")
        before = f" (last run: {previous[-1]:.3f})" if previous else ""
        previous.append(result["gap"])
        box.show(fig, f"Train loss {result['train_loss']:.3f}, validation loss {result['val_loss']:.3f}: "
                      f"<b>gap {result['gap']:.3f}</b>{before}. Both measured with dropout off.")

    box.button.on_click(lambda _: _busy(box, run, "Training..."))
    fig, (left, right) = _figure()
    draw_data(right, regularization_data())
    right.legend(loc="best")
    right.set_title("20 training points: easy to memorize")
    left.set_axis_off()
    box.show(fig, "Set dropout and weight decay, then press <b>Train</b>.")
    return box
