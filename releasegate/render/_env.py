"""The sandboxed Jinja2 environment: undefined names are errors, no file or attribute access
beyond the functions in ``_functions``.

Jinja2 is imported here only, when ``render`` runs: ``validate``, ``check`` and ``audit`` never
load it (tests/test_import_cost.py).
"""

from __future__ import annotations

import traceback
from typing import Any

from ._sources import RenderError

_NAME = "<template>"


def _template_line(exc: BaseException) -> int | None:
    # Jinja rewrites tracebacks so that template frames carry the template's own line numbers.
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == _NAME and frame.lineno is not None:
            line = frame.lineno
    return line


def render_string(source: str, functions: dict[str, Any]) -> str:
    """Render ``source`` in a sandbox whose only globals are ``functions``.

    Raises RenderError (with the template line where known) for syntax errors, undefined
    names, sandbox violations (``''.__class__``, ``gates().append(1)``), resource limits
    (``_limits``: sizes, format widths, output over 8 MiB, time), includes/imports (there is no
    loader), running out of memory, and errors raised by the functions themselves.
    """
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.exceptions import SecurityError

    from ._limits import check_output, environment_class, start_clock

    # immutable values, size-checked operators, filters and format specs (_limits)
    env = environment_class()(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
        loader=None, extensions=[],
    )
    env.globals.clear()  # no range/lipsum/dict/cycler/joiner/namespace: only our functions
    env.globals.update(functions)
    try:
        template = env.from_string(source)
    except TemplateError as e:
        line = getattr(e, "lineno", None)
        raise RenderError(f"template syntax error: {getattr(e, 'message', None) or e}",
                          line) from e
    try:
        start_clock()
        size, parts = 0, []
        for chunk in template.generate():
            size += len(chunk)  # characters: a lower bound of the UTF-8 bytes, checked below
            check_output(size)
            parts.append(chunk)
        text = "".join(parts)
        check_output(len(text.encode("utf-8")))
        return text
    except MemoryError as e:
        raise RenderError("out of memory while rendering (the template builds too much text)",
                          _template_line(e)) from e
    except RenderError as e:
        if e.line is None:
            e.line = _template_line(e)
        raise
    except SecurityError as e:
        raise RenderError(f"refused by the sandbox: {e}", _template_line(e)) from e
    except TemplateError as e:
        raise RenderError(f"{type(e).__name__}: {e}", _template_line(e)) from e
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError,
            OverflowError, RecursionError) as e:
        # e.g. a function called with wrong arguments, or {% include %} without a loader
        raise RenderError(f"{type(e).__name__}: {e}", _template_line(e)) from e
