"""Helpers shared by supervision's pages: a refused service call shown beside the field it names."""

from django import forms

from portal.errors import DomainError


def show_error(form: forms.Form, exc: DomainError) -> None:
    """Put the service's message on the field it names (extra["field"]) when the form has it, else on the form."""
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, str(exc.message))
