"""``--jobs N``: how many processes ``validate``, ``check`` and ``audit`` may use (issue 13)."""

from __future__ import annotations

import argparse


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (one per CPU) or more, got {n}")
    return n


def add_jobs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                   help="processes to use: 0 (default) one per available CPU, at most 8; 1 "
                        "runs everything in this process. The output is the same either way")


def jobs_from(args: argparse.Namespace) -> int:
    from evidence_schema._parallel import resolve_jobs

    return resolve_jobs(args.jobs)
