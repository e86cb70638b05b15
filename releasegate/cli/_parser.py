"""The argument parser every subcommand shares: "did you mean" for mistyped names (issue 14).

argparse (3.11) answers ``releasegate chek`` or ``--format jsn`` with the list of choices only,
and ``--formt`` with "unrecognized arguments". This subclass adds the closest valid name
(difflib, the standard library's edit-similarity ratio) to those errors, for subcommand names,
option values (``choices=``, which includes runner names) and option names alike. Errors still
go through ``ArgumentParser.error``: usage line, message, exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

# difflib's default 0.6: "chek"→"check" and "jsn"→"json" match, unrelated words do not.
_CUTOFF = 0.6


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'check'?"`` for the closest candidate, or ``""`` when none is close."""
    names = [str(c) for c in candidates]
    close = difflib.get_close_matches(word, names, n=1, cutoff=_CUTOFF)
    if not close and len(word) >= 3:
        # A prefix or an extension of a valid name ("random_model_control" → "random_model")
        # is a likelier slip than its low similarity ratio says.
        close = [n for n in names if word.startswith(n) or n.startswith(word)][:1]
    return f"; did you mean {close[0]!r}?" if close else ""


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose usage errors suggest the closest valid name."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            hint = did_you_mean(str(value), map(str, action.choices))
            raise argparse.ArgumentError(
                action, f"invalid choice: {value!r} (choose from {choices}){hint}")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            # Unknown options of a subcommand bubble up to the top parser, which does not know
            # the subcommand's options: report them from the subcommand's parser.
            owner: Parser = getattr(parsed, "_parser", self)
            owner.unrecognized(extras, also=self if owner is not self else None)
        return parsed

    def unrecognized(self, extras: list[str], also: argparse.ArgumentParser | None = None
                     ) -> NoReturn:
        """Exit 2 naming ``extras``, with the closest option of this parser, else of ``also``
        (the top-level parser, whose global options go before the subcommand)."""
        flags = [x.split("=", 1)[0] for x in extras if x.startswith("-")]
        mine = [s for a in self._actions for s in a.option_strings]
        hint = next((h for h in (did_you_mean(f, mine) for f in flags) if h), "")
        if not hint and also is not None:
            glob = [s for a in also._actions for s in a.option_strings]
            hint = next((h for h in (did_you_mean(f, glob) for f in flags) if h), "")
            hint = hint[:-1] + " (a global option: put it before the subcommand)?" if hint else ""
        self.error(f"unrecognized arguments: {' '.join(extras)}{hint}")
