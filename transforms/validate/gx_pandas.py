"""A faster pandas implementation of one Great Expectations metric.

GX 1.x computes `column_pair_values.in_set` (behind `expect_column_pair_values_to_be_in_set`:
the metrics suite's unit_allowed, breakdown_allowed and rank_field_size) with
`DataFrame.iterrows`, one pandas Series per row: about half of a batch's validation time.
This provider keeps GX's semantics exactly (a missing value is None, a pair passes when it
is in the set by Python equality, so a total of 63.0 matches the pair's 63) over plain
Python tuples. GX's own mechanism for metrics registers it in place of the built-in
pandas one; the SQL and Spark ones are untouched. Drop it when GX stops iterating rows.
"""
import logging
from functools import cache


@cache
def use_fast_pair_in_set() -> None:
    """Register the provider, once per process (registering is what defining the class does)."""
    import numpy as np
    import pandas as pd
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.metrics.column_pair_map_metrics.column_pair_values_in_set import (
        ColumnPairValuesInSet)
    from great_expectations.expectations.metrics.map_metric_provider import column_pair_condition_partial

    def _python_values(column: pd.Series) -> list:
        return column.astype(object).where(column.notna(), None).tolist()

    registry_log = logging.getLogger("great_expectations.expectations.registry")
    level = registry_log.level
    registry_log.setLevel(logging.ERROR)  # GX warns that it replaces its provider: intended here
    try:
        class TupleColumnPairValuesInSet(ColumnPairValuesInSet):
            @column_pair_condition_partial(engine=PandasExecutionEngine)
            def _pandas(cls, column_A, column_B, **kwargs):
                pairs = kwargs.get("value_pairs_set")
                if pairs is None:  # vacuously true, as in GX
                    return np.ones(len(column_A), dtype=np.bool_)
                allowed = {(a, b) for a, b in pairs}
                return pd.Series([pair in allowed for pair in zip(_python_values(column_A), _python_values(column_B))],
                                 index=column_A.index, dtype=bool)
    finally:
        registry_log.setLevel(level)
