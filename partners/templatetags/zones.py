"""Times with their zone named: ``{% load zones %}`` then ``{{ moment|local_time }}`` (or
``{{ moment|local_time:"DATETIME_FORMAT" }}``) and ``{% zone_label %}`` for a header."""

from django import template

from partners import zones

register = template.Library()


@register.filter
def local_time(value, fmt="SHORT_DATETIME_FORMAT"):
    """The moment in the reader's zone (the active one) followed by the zone's name."""
    return zones.local_time(value, fmt)


@register.simple_tag
def zone_label():
    """The name of the zone the page's times are in (the reader's)."""
    return zones.zone_name()
