"""`python -m tinygrad_edu`: the same command as `tinygrad-edu`."""

import sys

from tinygrad_edu.cli import main

sys.exit(main())
