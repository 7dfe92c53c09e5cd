"""Hypothesis profiles for the tests: "dev" (fast), "thorough" (many examples), "local" (default).

Choose one with HYPOTHESIS_PROFILE=dev|thorough|local. Under CI (the CI
environment variable set) nothing is loaded here: hypothesis then applies its
built-in "ci" profile itself (derandomized, no deadline, no example database).
No profile has a deadline: the machines these tests run on are shared and
noisy, and a slow example is not a wrong one.
"""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType

import pytest
from hypothesis import settings

settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("local", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)

if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif not os.environ.get("CI"):
    settings.load_profile("local")


def require(module: str, *, extra: str) -> ModuleType:
    """Import an optional dependency for a test, or skip it where it is missing.

    Under CI (the CI environment variable set) every extra is installed, so a
    missing one is a failure there, never a silent skip.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is missing; install it with: pip install -e '.[{extra}]'"
        if os.environ.get("CI"):
            pytest.fail(f"under CI every extra is installed, but {message}")
        pytest.skip(message)


def require_program(program: str, *, install: str) -> str:
    """The path of a program a test runs (dot, chromium), or skip where it is missing.

    Under CI `.ci/run` installs it, so a missing one is a failure there.
    """
    path = shutil.which(program)
    if path is None:
        message = f"the program {program!r} is missing; install it with: {install}"
        if os.environ.get("CI"):
            pytest.fail(f"under CI .ci/run installs it, but {message}")
        pytest.skip(message)
    return path
