"""How much time and memory each chapter needs: a table for teachers who size a JupyterHub.

Runs every chapter top to bottom in a fresh kernel (as `make execute` does, without
saving), then asks the kernel for its peak memory. Prints a Markdown table.

    .venv/bin/python tools/chapter_resources.py [notebooks/03_*.ipynb ...]
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

PEAK = "import resource, sys; r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; " \
       "print(r / 2**20 if sys.platform == 'darwin' else r / 2**10)"   # MiB: macOS counts bytes, Linux KiB


def measure(path):
    """(seconds, peak MiB of the kernel) for one notebook run top to bottom."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    return seconds, float(nb.cells[-1].outputs[0]["text"])


def main(paths):
    paths = paths or sorted(str(p) for p in Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"{sys.platform}; times include the kernel start\n")
    print("| Chapter | Time (s) | Peak kernel memory (MiB) |\n|---|---|---|")
    for path in paths:
        seconds, mib = measure(path)
        print(f"| {Path(path).stem} | {seconds:.1f} | {mib:.0f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
