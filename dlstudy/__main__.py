"""Entry point for ``python -m dlstudy doctor``."""

import sys

from dlstudy.doctor import main

if __name__ == "__main__":
    sys.exit(main())
