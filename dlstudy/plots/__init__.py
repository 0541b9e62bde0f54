"""Pictures of what a network does, one module per kind of picture.

- ``dlstudy.plots.curves``: ``plot_history``, the ``LivePlot`` callback, ``plot_function``
- ``dlstudy.plots.classifiers``: ``plot_decision_boundary``, ``plot_confusion_matrix``, ``plot_roc``
- ``dlstudy.plots.images``: ``show_images``, ``plot_feature_maps``, ``plot_filters``
- ``dlstudy.plots.paths``: ``plot_optimizer_paths``
- ``dlstudy.plots.training``: ``plot_lr_finder``, ``plot_lr_schedules``, ``plot_diagnostics``, ``plot_histograms`` (chapter 11)

Every function returns the matplotlib Figure it drew on; the ones that draw a single panel
take ``ax=``. Tensors may live on any device: a copy is moved to the CPU for drawing, and a
model is run where it already is and left in the mode it was in. All names are here too:
``from dlstudy.plots import plot_history``.
"""

from dlstudy.plots.classifiers import plot_confusion_matrix, plot_decision_boundary, plot_roc
from dlstudy.plots.curves import LivePlot, plot_function, plot_history
from dlstudy.plots.images import plot_feature_maps, plot_filters, show_images
from dlstudy.plots.paths import plot_optimizer_paths
from dlstudy.plots.training import plot_diagnostics, plot_histograms, plot_lr_finder, plot_lr_schedules

__all__ = [
    "plot_history", "plot_decision_boundary", "plot_confusion_matrix", "plot_roc", "plot_function",
    "show_images", "plot_feature_maps", "plot_filters", "plot_optimizer_paths", "LivePlot",
    "plot_lr_finder", "plot_lr_schedules", "plot_diagnostics", "plot_histograms",
]
