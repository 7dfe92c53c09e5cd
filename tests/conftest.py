"""Hypothesis profiles for the tests: "dev" (fast), "thorough" (many examples), "local" (default).

Choose one with HYPOTHESIS_PROFILE=dev|thorough|local. Under CI (the CI
environment variable set) nothing is loaded here: hypothesis then applies its
built-in "ci" profile itself (derandomized, no deadline, no example database).
No profile has a deadline: the machines these tests run on are shared and
noisy, and a slow example is not a wrong one.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("local", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)

if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
elif not os.environ.get("CI"):
    settings.load_profile("local")
