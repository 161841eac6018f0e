"""``python -m tradecalc``: the command line, as ``tradecalc``."""

import sys

from tradecalc.cli import main

if __name__ == "__main__":
    sys.exit(main())
