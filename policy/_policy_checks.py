"""What a policy's structure cannot say is wrong, checked when it loads (not at ``check`` time).

* an evidence ``kind`` that does not exist (``ood_stres`` → did you mean ``ood_stress``);
* a ``metric``/``minus`` pointer the kind's JSON Schema cannot hold, or that can only hold text,
  an object or a boolean (never a number or per-seed samples);
* a ``select: where:`` pointer that cannot exist, or a value the schema rules out (an enum);
* an unquoted value that YAML 1.1 read as text although it looks like a number (``1e-1``),
  or, in a selector, as a boolean although written ``on``/``yes``/``no``;
* a waiver naming a gate the policy does not have (read from the raw YAML too, so it is
  listed with every other problem).

They work on the raw YAML data, so they run (and report) even when pydantic found other
problems: the loader lists everything at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evidence_schema import KINDS, YAMLDocument, yaml11_note

from ._errors import PolicyProblem
from ._model_errors import escape, line_of
from ._schema_paths import did_you_mean, metric_problem, selector_problem


def _dotted(pointer: str) -> str:
    return ".".join(p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:])


def _leaves(items: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(items, list):
        return
    for i, gate in enumerate(items):
        if not isinstance(gate, dict):
            continue
        here = f"{ptr}/{i}"
        if "all" in gate or "any" in gate:
            for mode in ("all", "any"):
                yield from _leaves(gate.get(mode), f"{here}/{mode}")
        else:
            yield here, gate


def semantic_problems(
    doc: YAMLDocument, path: str, found: list[PolicyProblem] | None = None
) -> list[PolicyProblem]:
    """Problems of kinds, pointers and YAML 1.1 readings in a policy document.

    ``found``: problems already reported; a YAML 1.1 note is not added where one of them
    already points (e.g. the value of a misspelt field).
    """
    out: list[PolicyProblem] = []
    taken = {p.message.split(": ", 1)[0] for p in found or []}

    def add(ptr: str, message: str) -> None:
        out.append(PolicyProblem(f"{_dotted(ptr)}: {message}", path, line_of(ptr, doc.lines)))

    data = doc.data if isinstance(doc.data, dict) else {}
    for ptr, gate in _leaves(data.get("gates"), "/gates"):
        kind = gate.get("kind")
        if not isinstance(kind, str):
            continue  # missing or not text: the model's errors say so
        if kind not in KINDS:
            add(f"{ptr}/kind", f"unknown evidence kind {kind!r}"
                f"{did_you_mean(kind, sorted(KINDS), known='kinds')}")
            continue
        for field in ("metric", "minus"):
            pointer = gate.get(field)
            if isinstance(pointer, str) and pointer.startswith("/"):
                why = metric_problem(kind, pointer)
                if why is not None:
                    add(f"{ptr}/{field}", why)
        select = gate.get("select")
        where = select.get("where") if isinstance(select, dict) else None
        if isinstance(where, dict):
            for pointer, value in where.items():
                if isinstance(pointer, str) and pointer.startswith("/"):
                    why = selector_problem(kind, pointer, value)
                    if why is not None:
                        add(f"{ptr}/select/where/{escape(pointer)}", why)
    for ptr, text in doc.plain.items():
        note = yaml11_note(text, _value_at(data, ptr))
        # A selector value `on`/`yes` read as a boolean never equals the text evidence holds.
        surprising = note is not None and ("as text, not a number" in note or (
            "/select/where/" in ptr and "as the boolean" in note))
        if note is not None and surprising and _dotted(ptr) not in taken:
            add(ptr, note)
    return out


def _value_at(data: Any, ptr: str) -> Any:
    for raw in ptr.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        try:
            data = data[int(token)] if isinstance(data, list) else data[token]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return data


def raw_waiver_gate_problems(
    doc: YAMLDocument, path: str, gate_names: set[str] | None = None
) -> list[PolicyProblem]:
    """Waivers naming a gate the policy lacks, read from the raw YAML.

    Works whatever else is wrong with the file (a waiver's other fields, other gates), so the
    unknown gate is listed with every other problem. ``gate_names``: the policy's top-level
    gate names; None: those of ``doc`` itself (a policy's own ``waivers:``), when readable.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    if gate_names is None:
        gates = data.get("gates")
        if not isinstance(gates, list):
            return []  # no gates to compare with: the model's errors say what is wrong
        gate_names = {g["name"] for g in gates if isinstance(g, dict)
                      and isinstance(g.get("name"), str)}
        if not gate_names:
            return []
    waivers = data.get("waivers")
    out = []
    for i, w in enumerate(waivers if isinstance(waivers, list) else []):
        gate = w.get("gate") if isinstance(w, dict) else None
        if isinstance(gate, str) and gate not in gate_names:
            out.append(PolicyProblem(
                f"waivers.{i}.gate: waiver names unknown gate {gate!r}"
                f"{did_you_mean(gate, sorted(gate_names), known='gates')}",
                path, line_of(f"/waivers/{i}/gate", doc.lines)))
    return out
