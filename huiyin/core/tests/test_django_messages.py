from django import forms
from django.utils import translation


class _Form(forms.Form):
    subject = forms.CharField(max_length=5)
    code = forms.CharField(min_length=4)


def test_length_messages_read_as_plain_chinese():
    with translation.override("zh-hans"):
        form = _Form({"subject": "一二三四五六七", "code": "12"})
        assert not form.is_valid()
        assert form.errors["subject"] == ["最多 5 个字，现为 7 个字。"]
        assert form.errors["code"] == ["至少需要 4 个字，现为 2 个字。"]
    with translation.override("en"):
        form = _Form({"subject": "一二三四五六七", "code": "12"})
        assert not form.is_valid()
        assert form.errors["subject"] == ["Ensure this value has at most 5 characters (it has 7)."]
