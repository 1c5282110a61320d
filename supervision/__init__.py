"""Supervision: indicators, random inspections, complaints, renewal and exit of filed organizations."""
