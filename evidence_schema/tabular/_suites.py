"""Great Expectations suites over the tables from ``_tables`` (GX imported lazily, here only).

An ephemeral, in-memory context: no project folder, no analytics, no progress bars. Each
table gets one suite:
- at least one row (zero rows is a failure, never a vacuous pass);
- every expected (condition, seed) cell present;
- one row per (condition, seed);
- no nulls in the value columns;
- value ranges per metric.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .._strict_json import loads_strict
from ._results import DeepCheck, DeepReport
from ._tables import Table, tables_for


def _context() -> Any:
    # Must be set before GX is imported: it reads the variable at import/context time.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _suite(table: Table) -> Any:
    import great_expectations as gx

    e = gx.expectations
    suite = gx.ExpectationSuite(name=f"{table.path}:{table.name}")
    suite.add_expectation(e.ExpectTableRowCountToBeBetween(min_value=1))
    if table.expected_cells:
        suite.add_expectation(e.ExpectColumnDistinctValuesToContainSet(
            column=table.cell_column, value_set=table.expected_cells))
    suite.add_expectation(e.ExpectCompoundColumnsToBeUnique(column_list=table.key))
    for col in table.value_columns:
        suite.add_expectation(e.ExpectColumnValuesToNotBeNull(column=col))
    for col, cond, lo, hi in table.ranges:
        kwargs: dict[str, Any] = {"column": col, "min_value": lo, "max_value": hi}
        if cond is not None:
            kwargs |= {"row_condition": cond, "condition_parser": "pandas"}
        suite.add_expectation(e.ExpectColumnValuesToBeBetween(**kwargs))
    return suite


def _describe(table: Table, res: Any) -> str:
    cfg = res.expectation_config
    kw = cfg.kwargs
    r = res.result or {}
    kind = cfg.type
    if kind == "expect_table_row_count_to_be_between":
        return f"{table.name}: {r.get('observed_value')} row(s); at least 1 required"
    if kind == "expect_column_distinct_values_to_contain_set":
        missing = sorted(set(table.expected_cells) - {row[table.cell_column]
                                                      for row in table.rows})
        head = ", ".join(missing[:5]) + (f" (+{len(missing) - 5} more)" if len(missing) > 5
                                         else "")
        return (f"{table.name}: {len(missing)} expected (condition, seed) cell(s) missing"
                + (f": {head}" if missing else ""))
    if kind == "expect_compound_columns_to_be_unique":
        return (f"{table.name}: {r.get('unexpected_count', 0)} row(s) repeat a "
                f"({', '.join(table.key)}) key; one row per key")
    if kind == "expect_column_values_to_not_be_null":
        return f"{table.name}: {r.get('unexpected_count', 0)} null(s) in {kw['column']}"
    if kind == "expect_column_values_to_be_between":
        cond = kw.get("row_condition")
        if isinstance(cond, dict):  # GX 1.x normalises the pandas condition into a dict
            cond = cond.get("pass_through_filter", cond)
        where = f" where {cond}" if cond else ""
        bad = r.get("partial_unexpected_list", [])
        return (f"{table.name}: {r.get('unexpected_count', 0)} value(s) of {kw['column']}{where}"
                f" outside [{kw.get('min_value')}, {kw.get('max_value')}]"
                + (f", e.g. {bad[:3]}" if bad else ""))
    return f"{table.name}: {kind}"


def check_tables(tables: Iterable[Table]) -> DeepReport:
    """Run one suite per table in a fresh ephemeral GX context."""
    import great_expectations as gx
    import pandas as pd

    report = DeepReport(engine=f"great_expectations {gx.__version__}")
    context = _context()
    batch_def = (context.data_sources.add_pandas("releasegate")
                 .add_dataframe_asset("evidence").add_batch_definition_whole_dataframe("table"))
    for table in tables:
        frame = pd.DataFrame(table.rows, columns=table.columns)
        batch = batch_def.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(_suite(table))
        for res in result.results:
            report.results.append(DeepCheck(
                path=table.path, table=table.name, expectation=res.expectation_config.type,
                success=bool(res.success), message=_describe(table, res)))
    return report


def run_deep_checks(files: Sequence[tuple[str, dict[str, Any]]] | Sequence[Path]) -> DeepReport:
    """Deep checks for evidence documents: ``(display path, parsed document)`` pairs, or paths.

    Only schema-valid documents should be passed: the tables assume the schema's shape.
    """
    docs: list[tuple[str, dict[str, Any]]] = []
    for item in files:
        if isinstance(item, Path):
            docs.append((str(item), loads_strict(item.read_text(encoding="utf-8"), str(item))))
        else:
            docs.append(item)
    return check_tables(t for path, doc in docs for t in tables_for(path, doc))
