"""Forms for the public intake and the staff hotline entry. Validation of substance is
the service's job; the form only shapes input and carries the service's field errors."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qualitycity.core.models import Area

from .models import Category, Channel, DemandType
from .services.intake import MAX_DESCRIPTION


class DemandForm(forms.Form):
    demand_type = forms.ChoiceField(label=_("诉求类型"), choices=DemandType.choices, initial=DemandType.COMPLAINT)
    category = forms.ChoiceField(label=_("问题分类"))
    district = forms.ChoiceField(label=_("发生地所在区"))
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    respondent_name = forms.CharField(label=_("被投诉/举报的单位（可选）"), max_length=128, required=False)
    description = forms.CharField(
        label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
        help_text=_("最多 4000 字；详细材料请作为附件上传"),
    )
    anonymous = forms.BooleanField(label=_("匿名举报（仅限举报）"), required=False)
    contact_name = forms.CharField(label=_("姓名"), max_length=32, required=False)
    contact_phone = forms.CharField(label=_("手机号"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    attachment = forms.FileField(label=_("附件（图片或 PDF，可选）"), required=False)
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, c.name) for c in Category.objects.filter(is_active=True)]
        self.fields["district"].choices = [("", "—")] + [
            (a.name, a.name) for a in Area.objects.exclude(kind=Area.Kind.CITY)
        ]
        if staff:
            # liaison demands are filed from a cadre's visit log, where their pairing is kept
            channels = [(value, label) for value, label in Channel.choices if value != Channel.LIAISON]
            self.fields["channel"] = forms.ChoiceField(label=_("渠道"), choices=channels, initial=Channel.HOTLINE_12345)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("附件过大：上限 %(mb)d MB") % {"mb": settings.ATTACHMENT_MAX_BYTES // 1048576})
        return upload
