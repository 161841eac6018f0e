"""tradecalc_udfs: the xlwings UDF module (filled by the add-in work)."""
