"""{{ rule.source|citation }}: a rule's source clause in the reader's language (filings.policies.citations)."""

from django import template

from filings.policies.citations import citation as in_language

register = template.Library()


@register.filter
def citation(source: object) -> str:
    return in_language(source)
