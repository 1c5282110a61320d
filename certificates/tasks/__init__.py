"""Celery tasks of the app, by concern: the exam sweeps (exams) and the issuance pipeline render → notify (issuance).

Importing the package registers every task with the worker; the task names (`certificates.*`) never change.
"""

from .exams import end_due_result_publicity, end_result_publicity, lapse_due_plans, lapse_exam_plans
from .issuance import issuance_pipeline, notify_certificates_issued, render_certificate_pdfs

__all__ = [
    "end_due_result_publicity",
    "end_result_publicity",
    "issuance_pipeline",
    "lapse_due_plans",
    "lapse_exam_plans",
    "notify_certificates_issued",
    "render_certificate_pdfs",
]
