"""``python -m dlstudy bench``: how much does ``fit`` cost over a bare PyTorch loop?

Every variant trains the same model on the same data in the same order; the
benchmark first checks that they all reach the same final loss, then times them
interleaved (A B C A B C ...), drops the warm-up round and reports medians.
"""

import contextlib
import importlib.util
import io
import json
import logging
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlstudy.data import TensorLoader, load_digits, load_iris
from dlstudy.device import set_seed
from dlstudy.plots.curves import LivePlot
from dlstudy.tools.bench_watch import print_watch
from dlstudy.train import fit
from dlstudy.watch import watch

__all__ = ["WORKLOADS", "VARIANTS", "run_variant", "check_same_losses", "time_variants", "time_loaders",
           "cuda_comparisons", "main"]

TIMES_FILE = Path(__file__).resolve().parents[2] / ".notebook-times.json"   # written by the repository's conftest.py


def _iris_mlp():
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))


def _digits_mlp():
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


def _digits_cnn():
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(16 * 2 * 2, 10))


# name: (data loader, model builder, batch size, epochs per timed run)
WORKLOADS = {
    "iris MLP 4-16-3, batch 16": (load_iris, _iris_mlp, 16, 30),
    "digits MLP 64-64-10, batch 64": (load_digits, _digits_mlp, 64, 10),
    "digits CNN 1x8x8, batch 64": (lambda: load_digits(as_images=True), _digits_cnn, 64, 4),
}


def _epoch_order(n):
    """The order DataLoader(shuffle=True) draws from the global RNG, so every variant sees the same batches."""
    torch.empty((), dtype=torch.int64).random_()                          # DataLoader's worker base seed
    seed = int(torch.empty((), dtype=torch.int64).random_().item())
    return torch.randperm(n, generator=torch.Generator().manual_seed(seed))


def _floor(model, X, y, batch_size, num_epochs, item_per_step=False, loader=None, watched=False):
    """The bare loop: pre-stacked tensors, randperm slicing, loss summed on the device (``watched``: in a watch)."""
    loss_fn, optimizer = nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with watch(model, optimizer, loss_fn, report=False) if watched else contextlib.nullcontext():
        return _floor_epochs(model, X, y, batch_size, num_epochs, item_per_step, loader, loss_fn, optimizer)


def _floor_epochs(model, X, y, batch_size, num_epochs, item_per_step, loader, loss_fn, optimizer):
    for _ in range(num_epochs):
        model.train()
        total = torch.zeros(())
        if loader is not None:
            batches = loader
        else:
            order = _epoch_order(len(X))
            batches = ((X[i], y[i]) for i in order.split(batch_size))
        for Xb, yb in batches:
            loss = loss_fn(model(Xb), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if item_per_step:
                total += loss.item() * len(yb)
            else:
                total += loss.detach() * len(yb)
        epoch_loss = total.item() / len(X)
    return epoch_loss


def _fit(model, X, y, batch_size, num_epochs, **kwargs):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with contextlib.redirect_stderr(io.StringIO()):       # the progress bar is drawn, off-screen
        history = fit(model, TensorLoader(X, y, batch_size), nn.CrossEntropyLoss(), optimizer, num_epochs, **kwargs)
    return history["train_loss"][-1]


def _lightning(model, X, y, batch_size, num_epochs):
    """The same model as a LightningModule fed by a DataLoader; logging, checkpoints and progress bar off."""
    import lightning  # optional: pip install lightning

    class Module(lightning.LightningModule):
        def __init__(self):
            super().__init__()
            self.model, self.loss_fn, self.total = model, nn.CrossEntropyLoss(), torch.zeros(())

        def on_train_epoch_start(self):
            self.total = torch.zeros(())

        def training_step(self, batch, batch_idx):
            Xb, yb = batch
            loss = self.loss_fn(self.model(Xb), yb)
            self.total += loss.detach() * len(yb)
            return loss

        def configure_optimizers(self):
            return torch.optim.SGD(self.model.parameters(), lr=0.05, momentum=0.9)

    module = Module()
    logging.getLogger("lightning.pytorch").setLevel(logging.WARNING)   # no "GPU available: ..." banner
    trainer = lightning.Trainer(max_epochs=num_epochs, accelerator="cpu", devices=1, logger=False,
                                enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                                 # e.g. "consider more num_workers"
        trainer.fit(module, DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True))
    return module.total.item() / len(X)


VARIANTS = {
    "floor": lambda m, X, y, b, e: _floor(m, X, y, b, e),
    "floor + DataLoader": lambda m, X, y, b, e: _floor(
        m, X, y, b, e, loader=DataLoader(TensorDataset(X, y), batch_size=b, shuffle=True, num_workers=0)),
    "floor + .item() per step": lambda m, X, y, b, e: _floor(m, X, y, b, e, item_per_step=True),
    "floor + dlstudy.watch": lambda m, X, y, b, e: _floor(m, X, y, b, e, watched=True),
    "fit, quiet": lambda m, X, y, b, e: _fit(m, X, y, b, e, progress=False),
    "fit, default (progress bar)": lambda m, X, y, b, e: _fit(m, X, y, b, e, progress=True),
    "fit + LivePlot callback": lambda m, X, y, b, e: _fit(m, X, y, b, e, progress=True, callbacks=[LivePlot()]),
}
if importlib.util.find_spec("lightning") is not None:
    VARIANTS["Lightning"] = _lightning


def run_variant(variant, workload, num_epochs=None, seed=0):
    """Train one variant on one workload from the same seed; return (final loss, seconds).

    >>> loss, seconds = run_variant("fit, quiet", "iris MLP 4-16-3, batch 16", num_epochs=1)
    >>> loss > 0 and seconds > 0
    True
    """
    load, build, batch_size, default_epochs = WORKLOADS[workload]
    X, y = load()
    set_seed(seed)
    model = build()
    start = time.perf_counter()
    loss = VARIANTS[variant](model, X, y, batch_size, num_epochs or default_epochs)
    return loss, time.perf_counter() - start


def check_same_losses(workload, tolerance=1e-5):
    """Every variant must end with the floor's loss: same model, same data, same order."""
    floor, _ = run_variant("floor", workload, num_epochs=2)
    losses = {name: run_variant(name, workload, num_epochs=2)[0] for name in VARIANTS}
    bad = {name: loss for name, loss in losses.items() if abs(loss - floor) > tolerance * max(1.0, abs(floor))}
    if bad:
        raise AssertionError(f"{workload}: variants disagree with the floor's loss {floor:.6f}: {bad}")
    return losses


def time_variants(workload, repeats=5):
    """Seconds per epoch of each variant: interleaved runs, warm-up dropped, median of ``repeats``."""
    _, _, _, num_epochs = WORKLOADS[workload]
    times = {name: [] for name in VARIANTS}
    for round_ in range(repeats + 1):
        for name in VARIANTS:
            seconds = run_variant(name, workload)[1] / num_epochs
            if round_ > 0:                        # round 0 is the warm-up
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def time_loaders(workload, repeats=5):
    """Seconds to draw one epoch of batches, no training: TensorLoader vs DataLoader(TensorDataset)."""
    load, _, batch_size, _ = WORKLOADS[workload]
    X, y = load()
    loaders = {"TensorLoader": TensorLoader(X, y, batch_size),
               "DataLoader(TensorDataset)": DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True)}
    times = {name: [] for name in loaders}
    for round_ in range(repeats + 1):
        for name, loader in loaders.items():
            start = time.perf_counter()
            for _ in range(5):
                for _batch in loader:
                    pass
            if round_ > 0:
                times[name].append((time.perf_counter() - start) / 5)
    return {name: statistics.median(values) for name, values in times.items()}


def _gpu_loop(workload, device, resident=True, item_per_step=False, bf16=False):
    """The floor loop on an accelerator, with the data kept there or copied to it each step."""
    load, build, batch_size, num_epochs = WORKLOADS[workload]
    X, y = load()
    set_seed(0)
    model, loss_fn = build().to(device), nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    if resident:
        X, y = X.to(device), y.to(device)
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(num_epochs):
        total = torch.zeros((), device=device)
        for index in _epoch_order(len(X)).to(X.device).split(batch_size):
            Xb, yb = X[index].to(device), y[index].to(device)    # no-op when resident
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
                loss = loss_fn(model(Xb), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb) if item_per_step else loss.detach() * len(yb)
        total.item()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / num_epochs


def cuda_comparisons(repeats=5):
    """On a CUDA machine: resident vs copied data, .item() per step, bf16 autocast, and CPU vs GPU."""
    if not torch.cuda.is_available():
        print("\nCUDA: not available on this machine, GPU comparisons skipped.")
        return None
    device = torch.device("cuda")
    cases = {"GPU, data resident": {}, "GPU, data copied each step": {"resident": False},
             "GPU, .item() per step": {"item_per_step": True}, "GPU, bf16 autocast": {"bf16": True}}
    print(f"\n{torch.cuda.get_device_name(device)}: ms per epoch (median of {repeats}, interleaved)")
    results = {}
    for workload in WORKLOADS:
        times = {name: [] for name in ["CPU floor", *cases]}
        for round_ in range(repeats + 1):
            cpu = run_variant("floor", workload)[1] / WORKLOADS[workload][3]
            gpu = {name: _gpu_loop(workload, device, **kwargs) for name, kwargs in cases.items()}
            if round_ > 0:
                for name, seconds in [("CPU floor", cpu), *gpu.items()]:
                    times[name].append(seconds)
        results[workload] = {name: statistics.median(v) for name, v in times.items()}
        print(workload)
        for name, seconds in results[workload].items():
            print(f"  {name:<38}{seconds * 1e3:>10.2f}")
    return results


def _import_times():
    """Seconds for `import torch`, and for torch plus the dlstudy modules a chapter uses (fresh processes)."""
    code = ("import time; t=time.perf_counter(); import torch; t1=time.perf_counter(); {extra}; "
            "print(t1-t, time.perf_counter()-t1)")
    extra = "import dlstudy.device, dlstudy.data, dlstudy.train, dlstudy.checkpoint, dlstudy.metrics"
    runs = [subprocess.run([sys.executable, "-c", code.format(extra=extra)], capture_output=True, text=True)
            for _ in range(3)]
    pairs = sorted(tuple(map(float, r.stdout.split())) for r in runs if r.returncode == 0)
    return pairs[len(pairs) // 2] if pairs else (float("nan"), float("nan"))


def _steps_per_epoch(workload):
    load, _, batch_size, _ = WORKLOADS[workload]
    return -(-len(load()) // batch_size)


def main(repeats=5):
    """Run the whole benchmark and print the tables (about a minute on 2 CPU cores)."""
    torch.set_num_threads(min(2, torch.get_num_threads()))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU")
    for workload in WORKLOADS:
        check_same_losses(workload)
    print("Check passed: every variant reaches the floor's final loss (1e-5) on every workload.\n")
    print(f"{'workload / variant':<40}{'ms/epoch':>10}{'µs/step over floor':>20}{'× floor':>9}")
    for workload in WORKLOADS:
        medians, steps = time_variants(workload, repeats), _steps_per_epoch(workload)
        print(workload)
        for name, seconds in medians.items():
            overhead = (seconds - medians["floor"]) / steps * 1e6
            print(f"  {name:<38}{seconds * 1e3:>10.2f}{overhead:>20.1f}{seconds / medians['floor']:>9.2f}")
        if "Lightning" not in VARIANTS:
            print("  Lightning: skipped (the 'lightning' package is not installed: pip install lightning).")
    print_watch(repeats)
    print(f"\n{'loaders alone, one epoch':<40}{'TensorLoader':>14}{'DataLoader':>12}{'speed-up':>10}")
    for workload in WORKLOADS:
        loaders = time_loaders(workload, repeats)
        fast, slow = loaders["TensorLoader"], loaders["DataLoader(TensorDataset)"]
        print(f"  {workload:<38}{fast * 1e3:>11.2f} ms{slow * 1e3:>9.2f} ms{slow / fast:>9.1f}×")
    torch_s, dlstudy_s = _import_times()
    print(f"\nimport torch: {torch_s:.2f} s; dlstudy's modules on top of it: {dlstudy_s:.3f} s")
    if TIMES_FILE.exists():
        times = json.loads(TIMES_FILE.read_text())
        print("\nNotebook run times from the last `make test` (strict nbval):")
        for name, seconds in sorted(times.items()):
            print(f"  {name:<60}{seconds:>7.1f} s")
        print(f"  {'all notebooks':<60}{sum(times.values()):>7.1f} s")
    else:
        print("\nNo notebook times yet: run `make test` first (it writes .notebook-times.json).")
    cuda_comparisons(repeats)


if __name__ == "__main__":
    main()
