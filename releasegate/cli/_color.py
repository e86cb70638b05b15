"""Whether a command colours its output: ``--color auto|always|never`` and ``NO_COLOR``.

One rule for every command that colours (issue 14), following https://no-color.org: a
``NO_COLOR`` environment variable that is present and not empty disables colour; an explicit
command-line choice overrides it. ``auto`` colours only a terminal, and not a ``TERM=dumb`` one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import TextIO

CHOICES = ("auto", "always", "never")


def add_color_option(p: argparse.ArgumentParser) -> None:
    """The ``--color`` option, the same in every command that colours."""
    p.add_argument("--color", choices=CHOICES, default="auto",
                   help="colour the output: auto (only on a terminal, and not when NO_COLOR is "
                   "set or TERM=dumb), always, or never (default auto)")


def use_color(choice: str, stream: TextIO | None = None,
              env: Mapping[str, str] | None = None) -> bool:
    """Resolve ``--color`` for ``stream`` (default stdout) under ``env`` (default os.environ)."""
    if choice not in CHOICES:
        raise ValueError(f"--color must be one of {', '.join(CHOICES)}, got {choice!r}")
    if choice != "auto":
        return choice == "always"
    env = os.environ if env is None else env
    if env.get("NO_COLOR", "") != "" or env.get("TERM") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
