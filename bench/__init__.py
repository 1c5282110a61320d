"""Benchmarks (not run by make test): see docs/performance.md."""
