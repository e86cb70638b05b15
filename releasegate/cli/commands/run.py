"""``releasegate run RUNNER --config FILE``: run one experiment runner that fills evidence."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._exit import ExitCode, UsageError

_RUNNERS = ("sae", "consistency", "random_model", "transcoder", "ood", "synthetic")


EXAMPLES = """
releasegate run random_model --config examples/configs/demo.yaml --out out/
releasegate run sae --config examples/configs/sae_topk.yaml --device auto --quiet
releasegate run transcoder --config examples/configs/demo.yaml --threads 0
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    # The runner names are listed here, not imported, so that building the parser stays cheap.
    p.add_argument("runner", choices=_RUNNERS, help="which runner")
    p.add_argument("--config", type=Path, required=True, help="runner config (YAML)")
    p.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                   help="output directory: evidence/ and artifacts/ go under it (default out)")
    p.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu",
                   help="where to train: cpu (default), cuda, or auto (cuda when there is one)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars or logs (CI)")
    p.add_argument("--threads", type=int, default=1,
                   help="CPU threads for torch (default 1: fastest for the tiny models; 0 = "
                   "torch's default)")


def run(args: argparse.Namespace) -> int:
    import runners

    if not args.config.is_file():
        raise UsageError(f"config file not found: {args.config}")
    try:
        cfg = runners.load_config(args.config)
        paths = runners.run(args.runner, cfg, args.out, device=args.device, quiet=args.quiet,
                            threads=args.threads or None)
    except runners.ConfigError as e:
        raise UsageError(str(e)) from e
    for p in paths:
        print(p, file=sys.stdout)
    return ExitCode.OK
