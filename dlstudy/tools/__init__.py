"""Tools beside the course: ``python -m dlstudy bench`` (the benchmark) and ``python -m dlstudy doctor``."""
