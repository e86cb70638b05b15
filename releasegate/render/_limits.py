"""Resource limits of the render sandbox (red-team review 11): a template is untrusted input, so
no expression may build a string or list so large that rendering runs out of memory or time.

Jinja2's sandbox guards attribute access but not size: ``"x" * 10**10`` or a format width of
10**8 allocates gigabytes before anything can look at it. The checks here run *before* the
operation (``*``, ``**``, ``+``, ``%``, format specs, the widening filters and ``str``
methods), with the same bound Jinja2 gives ``range()`` (``jinja2.sandbox.MAX_RANGE``), and the
output as a whole is capped like the audit's report limit. A refusal is a ``SecurityError``,
reported as ``TEMPLATE:LINE: error: refused by the sandbox: …`` (exit 2). Jinja2 is imported
only when the environment is built (``validate``, ``check`` and ``audit`` never load it).
"""

from __future__ import annotations

import math
import re
import string
import time
from collections.abc import Callable, Sized
from functools import lru_cache
from typing import Any

from ._sources import RenderError

MAX_ITEMS = 1_000_000  # characters of one string / items of one list an expression may build
MAX_WIDTH = 1_000  # a format width or precision ("%1000s", "{:>1000}", ".1000f")
MAX_POW_BITS = 10_000  # an integer power (2 ** 10000 has ~3,000 digits)
MAX_OUTPUT_BYTES = 8 * 1024 * 1024  # the rendered report (as audit's per-report limit)
MAX_SECONDS = 30.0  # wall-clock time of one render (a real report takes well under a second)

_deadline: list[float] = [math.inf, MAX_SECONDS]  # (monotonic deadline, budget in seconds)


def start_clock(seconds: float = MAX_SECONDS) -> None:
    """Start the time budget of one render (checked at every attribute, call and operator)."""
    _deadline[:] = [time.monotonic() + seconds, seconds]


def _tick() -> None:
    if time.monotonic() > _deadline[0]:
        _deadline[0] = math.inf  # one refusal, not one per enclosing call
        raise _refuse(f"rendering took longer than the limit of {_deadline[1]:g} s")

# printf-style conversions: %[(key)][flags][width][.precision]type
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?P<w>\*|\d+)?(?:\.(?P<p>\*|\d+))?[a-zA-Z%]")
_DIGITS = re.compile(r"\d+")


def _refuse(message: str) -> RenderError:
    return RenderError(f"refused by the sandbox: {message}")


def check_output(size: int) -> None:
    if size > MAX_OUTPUT_BYTES:
        raise _refuse(f"the rendered report is over {MAX_OUTPUT_BYTES:,} bytes")


def check_size(n: int, what: str) -> None:
    if n > MAX_ITEMS:
        raise _refuse(f"{what} would have {n:,} items or characters, over the limit of "
                      f"{MAX_ITEMS:,}")


def check_format_spec(spec: str, what: str = "format spec") -> None:
    """A Python format spec (``'>10'``, ``'.4f'``): every width and precision at most
    MAX_WIDTH; nested replacement fields (``{:{w}}``) are refused (their width is unknown)."""
    if "{" in spec or "}" in spec:
        raise _refuse(f"{what} {spec[:40]!r}: nested replacement fields are not allowed")
    for m in _DIGITS.finditer(spec):
        if len(m.group()) > 4 or int(m.group()) > MAX_WIDTH:
            raise _refuse(f"{what} {spec[:40]!r}: width or precision {m.group()[:12]} is over "
                          f"the limit of {MAX_WIDTH}")


def check_printf(fmt: str) -> None:
    """``"%10.4f" % x`` and ``|format``: widths and precisions at most MAX_WIDTH, no ``*``."""
    for m in _PRINTF.finditer(fmt):
        for part in (m.group("w"), m.group("p")):
            if part == "*":
                raise _refuse("a '*' width in a %-format is not allowed (give the width)")
            if part is not None and (len(part) > 4 or int(part) > MAX_WIDTH):
                raise _refuse(f"%-format {m.group()[:20]!r}: width or precision over the limit "
                              f"of {MAX_WIDTH}")


def check_str_format(fmt: str) -> None:
    """``"{:>10}".format(x)``: the spec of every replacement field."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format raises the same error itself
    for _lit, _name, spec, _conv in fields:
        if spec:
            check_format_spec(spec)


def _int_pow_bits(base: Any, exp: Any) -> float:
    if isinstance(base, bool) or isinstance(exp, bool) or not isinstance(base, int) \
            or not isinstance(exp, int) or exp <= 0 or abs(base) <= 1:
        return 0.0
    return exp * math.log2(abs(base))


def _length(x: Any) -> int | None:
    return len(x) if isinstance(x, str | bytes | list | tuple) else None


def _check_mul(left: Any, right: Any) -> None:
    for seq, times in ((left, right), (right, left)):
        n = _length(seq)
        if n is not None and isinstance(times, int) and not isinstance(times, bool):
            check_size(n * max(times, 0), "a repeated string or list")


def _wrap(name: str, fn: Callable[..., Any], pre: Callable[..., None] | None
          ) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if pre is not None:
            pre(*args, **kwargs)
        out = fn(*args, **kwargs)
        if isinstance(out, Sized) and not isinstance(out, dict):
            check_size(len(out), f"the result of |{name}")
        return out

    guarded.__name__ = getattr(fn, "__name__", name)
    # keep Jinja's pass_context / pass_environment markers
    if hasattr(fn, "jinja_pass_arg"):
        guarded.jinja_pass_arg = fn.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded


def _int_arg(args: tuple[Any, ...], kwargs: dict[str, Any], i: int, key: str) -> Any:
    return args[i] if len(args) > i else kwargs.get(key)


def _pre_width(i: int, key: str, what: str) -> Callable[..., None]:
    def pre(*args: Any, **kwargs: Any) -> None:
        w = _int_arg(args, kwargs, i, key)
        if isinstance(w, int) and not isinstance(w, bool) and w > MAX_WIDTH:
            raise _refuse(f"{what} {w:,} is over the limit of {MAX_WIDTH}")
    return pre


def _pre_format(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        check_printf(value)


def _pre_replace(*args: Any, **kwargs: Any) -> None:
    # do_replace(eval_ctx, s, old, new, count=None)
    s, old, new = [*args[1:4], None, None, None][:3]
    if isinstance(s, str) and isinstance(old, str) and isinstance(new, str):
        hits = len(s) + 1 if old == "" else s.count(old)
        check_size(len(s) + hits * max(len(new) - len(old), 0), "the result of |replace")


# filters that can make their result much larger than their input, and the check before each
_WIDENING: dict[str, Callable[..., None] | None] = {
    "format": _pre_format,
    "center": _pre_width(1, "width", "|center width"),
    "indent": _pre_width(1, "width", "|indent width"),
    "wordwrap": _pre_width(2, "width", "|wordwrap width"),
    "batch": _pre_width(1, "linecount", "|batch size"),
    "slice": _pre_width(2, "slices", "|slice count"),
    "tojson": _pre_width(2, "indent", "|tojson indent"),
    "replace": _pre_replace,
}
# str methods whose first argument is a width
_STR_WIDTH = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


@lru_cache(maxsize=1)
def environment_class() -> type[Any]:
    """The sandbox class (built on first use: Jinja2 is imported only when render runs)."""
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.nodes import Concat
    from jinja2.runtime import str_join
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class LimitedCodeGenerator(CodeGenerator):
        """``a ~ b`` is not an interceptable operator: compile it to a size-checked join."""

        def visit_Concat(self, node: Concat, frame: Frame) -> None:
            self.write("environment.checked_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    class LimitedEnvironment(ImmutableSandboxedEnvironment):
        """ImmutableSandboxedEnvironment (no ``list.append``, ``dict.update`` … on any value) whose
        operators, format specs, widening filters and ``str`` methods are size-checked."""

        intercepted_binops = frozenset({"*", "**", "+", "%"})
        code_generator_class = LimitedCodeGenerator

        def checked_concat(self, parts: tuple[Any, ...]) -> str:
            _tick()
            check_size(sum(len(p) for p in parts if isinstance(p, str)), "a '~' concatenation")
            return str_join(parts)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name, pre in _WIDENING.items():
                if name in self.filters:
                    self.filters[name] = _wrap(name, self.filters[name], pre)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                _check_mul(left, right)
            elif operator == "**":
                bits = _int_pow_bits(left, right)
                if bits > MAX_POW_BITS:
                    raise _refuse(f"{left!r} ** {right!r} would have about {bits:,.0f} bits, over "
                                  f"the limit of {MAX_POW_BITS:,}")
            elif operator == "+":
                a, b = _length(left), _length(right)
                if a is not None and b is not None:
                    check_size(a + b, "a concatenated string or list")
            elif operator == "%" and isinstance(left, str):
                check_printf(left)
            _tick()
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any,
                 **kwargs: Any) -> Any:
            owner = getattr(__obj, "__self__", None)
            name = getattr(__obj, "__name__", "")
            if isinstance(owner, str):
                if name in _STR_WIDTH and args and isinstance(args[0], int):
                    w = args[0] * (len(owner) if name == "expandtabs" else 1)
                    check_size(w, f"str.{name}({args[0]})")
                elif name == "replace" and len(args) >= 2 and all(isinstance(a, str)
                                                                   for a in args[:2]):
                    hits = len(owner) + 1 if args[0] == "" else owner.count(args[0])
                    check_size(len(owner) + hits * max(len(args[1]) - len(args[0]), 0),
                               "str.replace")
                elif name == "__mul__" and args:
                    _check_mul(owner, args[0])
            _tick()
            out = super().call(__context, __obj, *args, **kwargs)
            if isinstance(out, str):
                # a macro's output: checked at every call, so recursion cannot double it unseen
                check_output(len(out))
            return out

        def getattr(self, obj: Any, attribute: str) -> Any:
            _tick()
            return super().getattr(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:
            _tick()
            return super().getitem(obj, argument)

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            wrapped = super().wrap_str_format(value)
            if wrapped is None:
                return None
            owner = value.__self__
            if isinstance(owner, str):
                check_str_format(owner)
            return wrapped

    return LimitedEnvironment
