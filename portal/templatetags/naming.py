"""Template filters that show names instead of codes: {{ e.action|event_name }}, {{ v|state_name:e.object_type }}."""

from django import template

from portal import naming

register = template.Library()

register.filter("event_name", naming.event_name)
register.filter("model_name", naming.model_name)


@register.filter
def state_name(value: str, object_type: str = "") -> str:
    return naming.state_name(value, object_type)
