"""The live playground's parts, one per responsibility (the demo itself is ``dlstudy.demos.live_playground``).

``run``: the training session (``LiveRun``, ``FeatureNet``); ``network``: the input features and the grid;
``frames``: the network's state as small arrays for the browser; ``picture``: the same arrays as a PNG for
views without a kernel. None of them is a demo.
"""

__all__ = []
