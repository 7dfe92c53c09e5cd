"""check_op and check_rules called from Python leave no ./.hypothesis folder behind.

In a fresh interpreter, as a learner runs a script: inside pytest hypothesis
has already chosen its database, so the check runs in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = """
    from tinygrad_edu import define_op
    from tinygrad_edu.testing import check_op, check_rules
    square = define_op("square", lambda x: x * x, lambda out, x: (x,))
    assert not check_op(square, raise_on_failure=False).passed  # a failure is what gets saved
    assert check_op(lambda x: x.tanh(), examples=5).passed
    assert check_rules(examples=2, ops=["tanh", "log"]).passed
"""


def test_no_example_database_in_the_working_folder(tmp_path: Path) -> None:
    package = Path(__file__).resolve().parent.parent
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    environment["PYTHONPATH"] = str(package)
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
