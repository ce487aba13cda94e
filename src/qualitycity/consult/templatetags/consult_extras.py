from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def referral_link(message):
    from qualitycity.consult.views import _referral_link

    return _referral_link(message)
