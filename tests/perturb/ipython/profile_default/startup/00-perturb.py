# Runs in every notebook kernel started with DLSTUDY_PERTURB=1 (see tests/perturb/perturb.py).
import os as _os
import sys as _sys

_sys.path.insert(0, _os.path.dirname(_os.path.dirname(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))))
import perturb as _perturb  # noqa: E402

_perturb.install()
_sys.path.pop(0)
del _os, _sys, _perturb
