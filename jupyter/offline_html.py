"""Render chapter notebooks as HTML pages that work offline: ``make html`` (or ``python jupyter/offline_html.py``).

Each widget is shown by its picture (the PNG output that follows it: the learner's last state, see
``dlstudy.demos.base.Picture``), maths is typeset by MathJax copied from the installed
``jupyter-server-mathjax`` package into ``<output>/mathjax``, and nothing is fetched from the network.
The template is ``jupyter/nbconvert/dlstudy_offline`` (JupyterLab's ``lab`` template without
require.js, the widget manager or a MathJax CDN).

    python jupyter/offline_html.py notebooks/03_perceptron_and_xor.ipynb --output build/html
"""

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

WIDGET = "application/vnd.jupyter.widget-view+json"
TEMPLATES = Path(__file__).resolve().parent / "nbconvert"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"


def mathjax_folder():
    """The MathJax 2 files of the installed jupyter-server-mathjax package (a clear error if it is missing)."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        sys.exit("MathJax for offline pages comes from the jupyter-server-mathjax package: "
                 "pip install jupyter-server-mathjax (or re-run 'make lab', which installs it).")
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def static_widgets(nb):
    """Drop what needs a kernel or a CDN: widget views (their picture follows them) and the saved widget state."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        kept = []
        for k, output in enumerate(outputs):
            data = output.get("data", {})
            if WIDGET in data:
                data.pop(WIDGET)
                picture_follows = any(key.startswith("image/") for key in data) or (
                    k + 1 < len(outputs) and "image/png" in outputs[k + 1].get("data", {}))
                if picture_follows:
                    data.pop("text/plain", None)       # the repr of the widget adds nothing to its picture
                if not data:
                    continue
            kept.append(output)
        if "outputs" in cell:
            cell.outputs = kept
    return nb


def render(path, output_dir):
    """Write ``output_dir / <name>.html`` for the notebook at ``path``; returns the HTML's path."""
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="dlstudy_offline", extra_template_basedirs=[str(TEMPLATES)],
                            mathjax_url=f"mathjax/MathJax.js?config={MATHJAX_CONFIG}")
    nb = static_widgets(nbformat.read(path, as_version=4))
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": Path(path).stem}})
    target = Path(output_dir) / f"{Path(path).stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--output", default="build/html", help="folder for the pages (default build/html)")
    args = parser.parse_args(argv)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    if not (output / "mathjax" / "MathJax.js").exists():
        shutil.copytree(mathjax_folder(), output / "mathjax", dirs_exist_ok=True)
    for path in args.notebooks:
        print(render(path, output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
