"""The live playground as a PNG, drawn with Pillow from the arrays the browser draws (a few milliseconds).

The notebook keeps this picture after the widget (``Picture``), so a notebook opened without a kernel
(GitHub, nbviewer, nbconvert's HTML) shows the learner's last state: the features, every hidden
neuron, the weights, the output over the plane with its data, a colour legend and the loss curves.
"""

import io
import math
from functools import lru_cache
from pathlib import Path

import torch

from dlstudy.demos.common import single_threaded
from dlstudy.demos.live.frames import frame_tensors
from dlstudy.demos.live.network import FEATURES, plane

__all__ = ["NEG", "MID", "POS", "WIDTH", "HEIGHT", "SCALE", "colors", "frame_picture"]

NEG, MID, POS = (245, 147, 34), (232, 234, 235), (8, 119, 189)   # -1 orange, 0 grey, +1 blue (as the widget)
WIDTH, HEIGHT, SCALE = 768, 336, 2                               # shown size in pixels; drawn at twice that
_RGB = torch.tensor([NEG, MID, POS], dtype=torch.float32)


def colors(values):
    """Colours (N, 3) uint8 of values on the diverging scale -1 (orange) .. 0 (grey) .. +1 (blue).

    >>> colors(torch.tensor([-1.0, 0.0, 1.0, 7.0])).tolist()
    [[245, 147, 34], [232, 234, 235], [8, 119, 189], [8, 119, 189]]
    """
    t = values.float().clamp(-1, 1)[:, None]
    end = torch.where(t < 0, _RGB[0], _RGB[2])
    return (_RGB[1] + (end - _RGB[1]) * t.abs()).round().to(torch.uint8)


@lru_cache(maxsize=4)
def _font(size):
    from matplotlib import get_data_path
    from PIL import ImageFont
    return ImageFont.truetype(str(Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), size * SCALE)


def _heatmap(values, size, smooth=True):
    """A size x size image of the n x n values (n² of them, row 0 the top)."""
    from PIL import Image
    n = math.isqrt(values.numel())
    image = Image.fromarray(colors(values.reshape(-1)).reshape(n, n, 3).numpy(), "RGB")
    return image.resize((size, size), Image.Resampling.BILINEAR if smooth else Image.Resampling.NEAREST)


class _Canvas:
    """Drawing in shown pixels on an image of SCALE times as many."""

    def __init__(self):
        from PIL import Image, ImageDraw
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), "white")
        self.draw = ImageDraw.Draw(self.image)

    def text(self, xy, text, size=11, fill="#555", anchor="la"):
        self.draw.text((xy[0] * SCALE, xy[1] * SCALE), text, fill=fill, font=_font(size), anchor=anchor)

    def line(self, points, fill, width=1.0):
        self.draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=fill, width=max(1, round(width * SCALE)))

    def box(self, x, y, w, h, outline="#999"):
        self.draw.rectangle([x * SCALE, y * SCALE, (x + w) * SCALE, (y + h) * SCALE], outline=outline, width=1)

    def paste(self, values, x, y, size, smooth=True):
        self.image.paste(_heatmap(values, round(size * SCALE), smooth), (round(x * SCALE), round(y * SCALE)))

    def dot(self, x, y, fill, outline, r=3.0):
        self.draw.ellipse([(x - r) * SCALE, (y - r) * SCALE, (x + r) * SCALE, (y + r) * SCALE], fill=fill,
                          outline=outline, width=SCALE // 2 or 1)


def _network(c, t, bounds):
    """Features, hidden neurons (their heatmaps) and the weights between them, in the left 500 pixels."""
    columns = [t["features"], *[[None] * u for u in t["hidden"]]]
    left, right, top, bottom = 70, 470, 40, HEIGHT - 12
    size = min(36.0, (bottom - top) / max(len(col) for col in columns) * 0.8)
    xs = [left + (right - left) * k / max(1, len(columns) - 1) for k in range(len(columns))]
    centres = [[(xs[k], top + (bottom - top) * (r + 0.5) / len(col)) for r in range(len(col))]
               for k, col in enumerate(columns)]
    out = (right + 22, top + (bottom - top) / 2)
    c.draw.rectangle([(out[0] - 3) * SCALE, (out[1] - 3) * SCALE, (out[0] + 3) * SCALE, (out[1] + 3) * SCALE],
                     fill="#333")                                    # the output neuron: the plot on the right
    for k, weights in enumerate(t["weights"]):                       # edges first: the squares cover their ends
        ends = centres[k + 1] if k + 1 < len(centres) else [out]
        for i, (ax, ay) in enumerate(centres[k]):
            for j, (bx, by) in enumerate(ends):
                w = float(weights[i, j])
                c.line([(ax + size / 2, ay), (bx - size / 2 if k + 1 < len(centres) else bx, by)],
                       POS if w > 0 else NEG, min(4.0, 0.4 + 1.5 * abs(w)))
    grid = plane(bounds, t["neuron_grid"])
    for k, col in enumerate(columns):
        title = "FEATURES" if k == 0 else f"{len(col)} neuron{'s' if len(col) > 1 else ''}"
        c.text((xs[k], 14), title, 10, anchor="ma")
        for r, (x, y) in enumerate(centres[k]):
            if k == 0:
                values = FEATURES[col[r]].fn(grid)
                values = values / values.abs().max().clamp(min=1e-6)
                c.text((x - size / 2 - 5, y), FEATURES[col[r]].label, 11, "#333", anchor="rm")
            else:
                values = t["neurons"][k - 1][r]
            c.paste(values, x - size / 2, y - size / 2, size)
            c.box(x - size / 2, y - size / 2, size, size)
            if k > 0:
                bias = t["biases"][k - 1][r]
                c.draw.rectangle([(x - size / 2 - 4) * SCALE, (y + size / 2 - 4) * SCALE, (x - size / 2 + 3) * SCALE,
                                  (y + size / 2 + 3) * SCALE], fill=tuple(colors(bias.reshape(1))[0].tolist()),
                                 outline="#666")


def _output(c, run, t, points, error):
    """The output over the plane with the data (test points ringed black), ticks, legend and loss curves."""
    x0, y0, size = 548, 24, 190
    lo, hi = points["bounds"]
    c.text((WIDTH - 6, 4), f"epoch {run.epoch}: test loss {run.history['test_loss'][-1]:.3f}, "
                    f"training loss {run.history['train_loss'][-1]:.3f}", 10, "#333", anchor="ra")
    c.paste(t["boundary"], x0, y0, size)
    regression = run.problem == "regression"
    for part, ring in (("train", "white"), ("test", "black")):
        labels = torch.tensor([label for _, _, label in points[part]], dtype=torch.float32)
        fills = colors(labels if regression else labels * 2 - 1).tolist()
        for (a, b, _), fill in zip(points[part], fills):
            c.dot(x0 + (a - lo) / (hi - lo) * size, y0 + (hi - b) / (hi - lo) * size, tuple(fill), ring)
    c.box(x0, y0, size, size, "#666")
    for tick in (lo, (lo + hi) / 2, hi):
        at = (tick - lo) / (hi - lo) * size
        c.text((x0 + at, y0 + size + 3), f"{tick:.1f}", 9, anchor="ma")
        c.text((x0 - 4, y0 + size - at), f"{tick:.1f}", 9, anchor="rm")
    bar = torch.linspace(-1, 1, 160).repeat(8, 1)                         # the colour legend
    from PIL import Image
    strip = Image.fromarray(colors(bar.reshape(-1)).reshape(8, 160, 3).numpy(), "RGB")
    c.image.paste(strip.resize((120 * SCALE, 8 * SCALE)), (round((x0 + 35) * SCALE), round((y0 + size + 18) * SCALE)))
    ends = ("−1", "+1") if regression else ("−1 class 0", "+1 class 1")
    c.text((x0 + 31, y0 + size + 22), ends[0], 9, anchor="rm")
    c.text((x0 + 159, y0 + size + 22), ends[1], 9, anchor="lm")
    c.text((x0 + 95, y0 + size + 29), "predicted value" if regression else "2·P(class 1) − 1", 9, anchor="ma")
    _losses(c, run.history, x0, y0 + size + 58, size, HEIGHT - (y0 + size + 58) - 4)
    if error:
        c.text((8, HEIGHT - 16), error, 10, "#c0392b")


def _losses(c, history, x, y, w, h):
    """Both loss curves on a log scale: test dark, training light."""
    c.text((x, y - 2), "loss (log): test dark, training light", 9, anchor="ld")
    values = [v for key in ("train_loss", "test_loss") for v in history[key] if math.isfinite(v) and v > 0]
    if not values:
        return
    top, bottom = math.log10(max(values)), math.log10(min(values))
    bottom = min(bottom, top - 1)
    for key, fill in (("train_loss", "#999"), ("test_loss", "#333")):
        curve = history[key][-400:]
        at = [(x + w * i / max(1, len(curve) - 1),
               y + h if not (math.isfinite(v) and v > 0) else y + h - (math.log10(v) - bottom) / (top - bottom) * h)
              for i, v in enumerate(curve)]
        c.line(at if len(at) > 1 else at * 2, fill, 1.2)


@single_threaded                                                     # small tensors: one thread is fastest
def frame_picture(run, error=""):
    """A PNG of what the widget shows, drawn at twice the pixels it is shown with (``WIDTH`` x ``HEIGHT``)."""
    from PIL import Image
    t, points, c = frame_tensors(run), run.points(), _Canvas()
    _network(c, t, points["bounds"])
    _output(c, run, t, points, error)
    buffer = io.BytesIO()                                            # 128 colours: a third of the bytes
    c.image.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(buffer, "PNG")
    return buffer.getvalue()
