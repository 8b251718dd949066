"""Evaluation of each stage against the annotated sets in ``data/annotations``.

Each module defines ``evaluate(split) -> dict`` and ``format_report(result) -> str``; the
``python -m analysis evaluate WHAT`` command prints the report.
"""
