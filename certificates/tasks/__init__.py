"""Celery tasks of the app, by concern: the exam sweeps (exams), the issuance pipeline render → notify (issuance),
the lookup log flush (lookup_log).

Importing the package registers every task with the worker; the task names (`certificates.*`) never change.
"""

from .exams import end_due_result_publicity, end_result_publicity, lapse_due_plans, lapse_exam_plans
from .issuance import issuance_pipeline, notify_certificates_issued, render_certificate_pdfs
from .lookup_log import flush_lookup_log

__all__ = [
    "end_due_result_publicity",
    "end_result_publicity",
    "flush_lookup_log",
    "issuance_pipeline",
    "lapse_due_plans",
    "lapse_exam_plans",
    "notify_certificates_issued",
    "render_certificate_pdfs",
]
