"""Prefect flows and tasks, the CLI, config, sources and delivery: all I/O and orchestration."""
