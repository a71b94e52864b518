"""Tools the suite needs (Chromium, Java and the Nu checker, Node, git, the editor's Decap files).

Wherever the README's test command runs (`python3 build.py test` sets THUTUC_TESTS_STRICT=1) and in CI,
a missing tool FAILS its tests: a green run means every check ran. Only a developer's direct `pytest`
run outside build.py skips them, with the fix in the reason.
"""

from __future__ import annotations

import os

import pytest

STRICT_ENV = "THUTUC_TESTS_STRICT"


def strict() -> bool:
    """True under build.py test and in CI: nothing may be skipped for want of a tool."""
    flags = (os.environ.get(STRICT_ENV, ""), os.environ.get("CI", ""))
    return any(flag.lower() in ("1", "true", "yes") for flag in flags)


def missing_tool(message: str) -> None:
    """Fail (strict) or skip (a developer's plain pytest) a test whose tool or download is missing."""
    if strict():
        pytest.fail(f"{message} (a tool the test suite needs is missing; python3 build.py test installs it)", pytrace=False)
    pytest.skip(message)
