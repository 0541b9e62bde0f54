"""The pictures that follow a widget: a PNG output of its own, replaced in place whenever the widget changes.

A notebook saved after playing keeps each widget's last picture, so it shows where no kernel runs (GitHub,
nbviewer, nbconvert's HTML); while the widget lives, CSS hides the picture right after it. ``interact`` is
``ipywidgets.interact`` with such a picture.
"""

import base64
import functools
import sys
import uuid

import ipywidgets as W

from dlstudy.display import RETINA

__all__ = ["PICTURE_CSS", "PICTURE_STYLE", "pad_png", "png_width", "Picture", "interact"]


# A live widget (class dlstudy-live) hides the picture output right after it: the picture is for views
# without a kernel (GitHub, nbviewer, nbconvert's HTML, a notebook reopened where the widget cannot render).
PICTURE_CSS = (".jp-OutputArea-child:has(.dlstudy-live) + .jp-OutputArea-child:has(.jp-RenderedImage),"
               ".output_area:has(.dlstudy-live) + .output_area:has(img) {display: none}")
PICTURE_STYLE = f"<style>{PICTURE_CSS}</style>"


def pad_png(png, width, height):
    """The PNG on a white canvas of at least ``width`` x ``height`` pixels (so a picture keeps its size).

    >>> import io; from PIL import Image; buffer = io.BytesIO(); Image.new("RGB", (3, 2)).save(buffer, "PNG")
    >>> png_width(pad_png(buffer.getvalue(), 10, 4))
    10
    """
    import io

    from PIL import Image
    image = Image.open(io.BytesIO(png))
    if image.width >= width and image.height >= height:
        return png
    canvas = Image.new(image.mode if image.mode in ("RGB", "RGBA") else "RGBA",
                       (max(width, image.width), max(height, image.height)), "white")
    canvas.paste(image, ((canvas.width - image.width) // 2, 0))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return buffer.getvalue()


def png_width(png):
    """The width in pixels of PNG bytes (from the header).

    >>> png_width(bytes(16) + (640).to_bytes(4, "big"))
    640
    """
    return int.from_bytes(png[16:20], "big")


class Picture:
    """A widget's picture as a notebook output of its own, replaced in place (display_id) whenever it changes.

    So a saved notebook shows the learner's last picture where no kernel runs (GitHub, nbviewer, HTML),
    at the size the widget shows it (half the PNG's pixels: it is drawn for high-density screens).
    """

    def __init__(self):
        self.png, self.width, self.shown, self.display_id = None, None, False, f"dlstudy-{uuid.uuid4().hex}"

    def _bundle(self):
        data = {"image/png": base64.b64encode(self.png).decode("ascii")}
        return data, {"image/png": {"width": self.width or png_width(self.png) // RETINA}}

    def display(self):
        """Show the picture (after its widget); later ``update`` calls replace it."""
        from IPython.display import display
        if self.png is not None:
            data, metadata = self._bundle()
            display(data, raw=True, metadata=metadata, display_id=self.display_id)
            self.shown = True

    def update(self, png, width=None):
        """Use ``png`` from now on (shown ``width`` pixels wide, half its pixels by default), and show it."""
        self.png, self.width = png, width
        if self.shown:
            from IPython.display import update_display
            data, metadata = self._bundle()
            update_display(data, raw=True, metadata=metadata, display_id=self.display_id)


def interact(function, **controls):
    """``ipywidgets.interact`` whose figure also follows as a ``Picture`` (seen where no kernel runs).

    Shows the controls and ``function(**values)``'s output now, and again whenever a control moves;
    returns the ``ipywidgets.interactive`` box.
    """
    from IPython.display import display
    from IPython.utils.capture import capture_output
    picture = Picture()

    @functools.wraps(function)
    def run(*args, **kwargs):
        with capture_output() as captured:
            result = function(*args, **kwargs)
        print(captured.stdout, end="")
        print(captured.stderr, end="", file=sys.stderr)
        for output in captured.outputs:
            display(output.data, raw=True, metadata=output.metadata)
            if "image/png" in output.data:
                png = base64.b64decode(output.data["image/png"])
                metadata = (output.metadata or {}).get("image/png", output.metadata or {})
                picture.update(png, metadata.get("width", png_width(png)))   # shown as the figure was
        return result

    box = W.interactive(run, **controls)
    box.add_class("dlstudy-live")
    box.children += (W.HTML(PICTURE_STYLE, layout=W.Layout(display="none")),)
    display(box)
    picture.display()
    return box
