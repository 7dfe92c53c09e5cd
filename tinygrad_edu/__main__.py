"""`python -m tinygrad_edu`: the same command as `tinygrad-edu`; imports cli."""

import sys

try:
    from tinygrad_edu.cli import main
except KeyboardInterrupt:  # Ctrl-C while the package is still being imported
    sys.stderr.write("tinygrad-edu: interrupted\n")
    sys.exit(130)

sys.exit(main())
