"""Key-aware binding: a number written under a name is checked against that name's value only
(issue 11, "Numbers: bound to the value they claim").

In ``ood_drop: 0.1``, ``ood_drop = 0.1``, a list item ``- OOD drop 0.1``, or a table cell under
the column ``ood_drop`` (or beside the row label ``ood_drop``), the name says which value the
number is. When the name matches a key of a cited artifact the number is compared with that
key's value(s) and nothing else: equal at the printed precision → verified, anything else →
mismatch. Without this, ``ood_drop: 0.1`` would be "verified" by the policy's threshold
``max_ood_drop: 0.1`` in the same file while the measured drop is 0.021.

Names match keys case-, space-, ``_``- and ``-``-insensitively (every character that is not a
letter or digit is dropped: ``OOD drop`` = ``ood_drop`` = ``ood-drop``); a dotted or slash
path (``metrics.ood_drop``, ``metrics/ood_drop``) must match the end of the key's path. A
name of several words also matches by its last words (``measured OOD drop`` → ``ood_drop``),
longest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ._index import Artifact, escape_token

# Characters a name may hold (besides letters and digits), scanning back from its value.
_NAME_CHARS = frozenset("_-./ \u0394\t")
_MAX_NAME = 60
# "name: None", "name = null": a keyed claim that the value is absent. Found from the value
# (anchored on ":"/"=" and a null word, so hostile text costs one pass); the name is read back.
NULL_RE = re.compile(r"[:=][ \t]{0,4}(None|null|NULL|NaN|nan|N/A|n/a)(?![\w/])")


def null_claims(text: str) -> list[tuple[str, int, int]]:
    """``(name, start, end)`` of each ``name: None`` / ``name = null`` in ``text``: ``start`` is
    where the name begins, ``end`` where the null word ends. A name starts with a letter."""
    out: list[tuple[str, int, int]] = []
    for m in NULL_RE.finditer(text):
        i = m.start()
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        j = i
        lo = max(0, i - _MAX_NAME)
        while j > lo and (text[j - 1].isalnum() or text[j - 1] in "_-./"):
            j -= 1
        name = text[j:i].strip("-./")
        k = 0
        while k < len(name) and not name[k].isalpha():
            k += 1
        if k < len(name):
            out.append((name[k:], j + k, m.end()))
    return out


_NOT_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 14)
def norm_key(name: str) -> str:
    """``OOD drop`` → ``ooddrop``: case-folded, only letters and digits."""
    return _NOT_ALNUM.sub("", name.casefold())


@dataclass(frozen=True)
class KeyedValue:
    """One scalar of an artifact that a name can select: its pointer, value (None: the
    artifact says null), printed exponent (text artifacts) and normalized key path."""

    pointer: str
    value: float | int | None
    exp: int | None
    path: tuple[str, ...]


class KeyMap(dict[str, list[KeyedValue]]):
    """Normalized key → the scalars under it; ``components``: every normalized key on any
    value's path (a parent mapping's key too), for "does any key say *candidate*?"."""

    components: frozenset[str] = frozenset()


def key_map(art: Artifact) -> KeyMap:
    """The artifact's scalars by normalized key (built once per artifact, on first use).

    JSON/YAML: every number or null under a mapping key (a list element counts under the key
    of its list). CSV and text artifacts: every value under its column header and its row
    label (or its ``key:``).
    """
    cached = art.keyed
    if isinstance(cached, KeyMap):
        return cached
    out = KeyMap()
    if art.text_values is not None:
        for tv in art.text_values:
            path = tuple(norm_key(x) for x in tv.labels)
            kv = KeyedValue(tv.pointer, tv.value, tv.exp, path)
            for k in dict.fromkeys(path):
                if k:
                    out.setdefault(k, []).append(kv)
    elif art.parsed:
        _walk(art.data, out)
    out.components = frozenset(c for kvs in out.values() for kv in kvs for c in kv.path)
    art.keyed = out
    return out


def _walk(doc: Any, out: KeyMap) -> None:
    # iterative: artifacts may nest 10,000 deep
    stack: list[tuple[str, tuple[str, ...], str, Any]] = [("", (), "", doc)]
    while stack:
        ptr, path, key, node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                ks = str(k)
                nk = norm_key(ks)
                stack.append((f"{ptr}/{escape_token(ks)}", (*path, nk), nk, v))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((f"{ptr}/{i}", (*path, str(i)), key, v))
        elif key and (node is None or (isinstance(node, int | float)
                                       and not isinstance(node, bool))):
            out.setdefault(key, []).append(KeyedValue(ptr, node, None, path))


@dataclass(frozen=True)
class Bound:
    """The values a claim's name selects, and which name selected them."""

    name: str
    values: list[tuple[Artifact, KeyedValue]]
    # why the name does not single out one key (None: it does, or its keys agree)
    ambiguous: str | None = None


def _parts(name: str) -> list[str]:
    return [p for p in (norm_key(x) for x in re.split(r"[./]", name)) if p]


def _finite_path_match(path: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """The name's path parts appear in the key path, in order, ending with the key."""
    i = len(path) - 1
    for part in reversed(parts):
        while i >= 0 and path[i] != part:
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True


def _usable(parts: tuple[str, ...]) -> bool:
    return bool(parts) and not (len(parts) == 1 and len(parts[0]) < 2) and not parts[-1].isdigit()


@lru_cache(maxsize=1 << 12)
def _candidates(name: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Key paths a name may mean, most specific first, each with the words it leaves out:
    "candidate ev" → (candidateev), (candidate, ev), then (ev) leaving out "candidate";
    "measured OOD drop" → measuredooddrop, (measured, ood, drop), ooddrop, (ood, drop), drop.
    """
    words = name.split()
    out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for k in range(len(words)):
        dropped = tuple(w for w in (norm_key(x) for x in words[:k]) if len(w) > 1)
        joined = tuple(_parts("".join(words[k:])))
        if _usable(joined):
            out.append((joined, dropped))
        each = tuple(p for w in words[k:] for p in _parts(w))
        if len(words) - k > 1 and each != joined and _usable(each):
            out.append((each, dropped))
    return tuple(out)


def _lookup(name: str, arts: list[Artifact]) -> tuple[list[tuple[Artifact, KeyedValue]], str]:
    """The values a name selects, and (when it selects them only by its last words while
    another of its words is a key of the cited artifacts) why that does not single them out.

    Every word must match the key path ("candidate ev" → ``…/candidate/ev``). Leaving words
    out ("measured OOD drop" → ``ood_drop``) is allowed only when no key of the cited
    artifacts holds a left-out word: "candidate ev" must not bind to ``baseline/ev`` because
    there is no ``candidate/ev`` (red team 11).
    """
    one = norm_key(name)
    if len(one) == 1 and one.isalpha():
        # a one-letter name ("n = 5") binds only to a key of exactly that name
        return [(a, kv) for a in arts for kv in key_map(a).get(one, ()) if kv.path[-1:] == (one,)
                ], ""
    for parts, dropped in _candidates(name):
        hits = []
        for art in arts:
            for kv in key_map(art).get(parts[-1], ()):
                if len(parts) == 1 or _finite_path_match(kv.path, parts):
                    hits.append((art, kv))
        if hits:
            named = [w for w in dropped if any(w in key_map(a).components for a in arts)]
            if named:
                return hits, (f"no key path holds all of its words ({', '.join(named)!s} is "
                              f"a key elsewhere)")
            return hits, ""
    return [], ""


def _group(kv: KeyedValue, art: Artifact) -> tuple[str, tuple[str, ...]]:
    # one key: the artifact and the key path without list indices (a list is one key)
    return art.rel, tuple(c for c in kv.path if not c.isdigit())


def bind(names: tuple[str, ...], labels: tuple[str, ...],
         arts: list[Artifact]) -> Bound | None:
    """The values selected by the first of ``names`` that matches a key, narrowed to those
    whose key path also holds one of ``labels`` (a row label such as ``10000``) when any does.

    When two names both match (a column header and a row label), the one that selects fewer
    values, the more specific, wins; values selected by both are preferred.
    """
    found: list[tuple[str, list[tuple[Artifact, KeyedValue]]]] = []
    why: dict[str, str] = {}
    for n in names:
        hits, why[n] = _lookup(n, arts)
        if hits:
            found.append((n, hits))
    if not found:
        return None
    if len(found) > 1:
        a_name, a = found[0]
        b_name = found[1][0]
        both = [h for h in a if norm_key(b_name) in h[1].path]
        if both:
            found = [(a_name, both)]
        else:
            found.sort(key=lambda f: len(f[1]))
    name, hits = found[0]
    others = [norm_key(x) for x in (*names, *labels) if x != name]
    narrowed = [h for h in hits if any(o and o in h[1].path for o in others)] or hits
    ambiguous = why.get(name) or None
    if ambiguous is None and len({_group(kv, a) for a, kv in narrowed}) > 1:
        ambiguous = "it names several keys"
    return Bound(name, narrowed, ambiguous)


def key_context(text: str, start: int, loose: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The name a number at ``start`` of ``text`` is written under, and the unit's leading
    label: ``(names, labels)``.

    ``name: value`` and ``name = value`` count anywhere; ``name value`` (no separator) only
    when ``loose`` (list items and table cells, where "EV 0.7452" is a label and its value).
    The name runs back to the previous ``,`` ``;`` ``(`` ``:`` or the start, at most 60
    characters; it must start with a letter.
    """
    i = start
    lo = max(0, start - _MAX_NAME - 8)
    while i > lo and text[i - 1] in " \t*`":
        i -= 1
    sep = i > lo and text[i - 1] in ":="
    if sep:
        i -= 1
        while i > lo and text[i - 1] in " \t*`":
            i -= 1
    elif not loose:
        return (), ()
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in _NAME_CHARS):
        j -= 1
    name = text[j:i].strip(" \t-./")
    # a name is words, not numbers: drop leading non-letters ("10000 SAEBench" → "SAEBench")
    k = 0
    while k < len(name) and not name[k].isalpha():
        k += 1
    name = name[k:]
    words = name.split()
    if len(words) > 4:
        name = " ".join(words[-4:])
    names = (name,) if name else ()
    labels: tuple[str, ...] = ()
    colon = text.find(":", 0, j)
    if 0 < colon <= 40:
        lead = text[:colon].strip(" `*")
        if lead and lead != name:
            labels = (lead,)
    return names, labels

