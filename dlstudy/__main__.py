"""``python -m dlstudy doctor`` checks this machine; ``python -m dlstudy bench`` times ``fit`` against a bare loop."""

import sys

USAGE = "usage: python -m dlstudy doctor | bench"


def main(argv=None):
    """Run the command named in ``argv`` (``doctor`` when there is none); return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv else "doctor"
    if command == "doctor":
        from dlstudy.tools import doctor
        return doctor.main(argv)
    if command == "bench":
        from dlstudy.tools import bench
        bench.main()
        return 0
    print(USAGE)
    return 2


if __name__ == "__main__":
    sys.exit(main())
