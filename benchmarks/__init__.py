"""Benchmarks of cchc-report: `make bench` (see benchmarks/run.py and docs/benchmarks.md)."""
