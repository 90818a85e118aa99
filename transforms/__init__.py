"""Pure pandas: canonical schema, periods, normalisation and KPI math. No I/O, no Prefect."""
