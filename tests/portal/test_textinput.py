"""Control characters typed into any form are removed before anything is stored."""

from django import forms


class Letter(forms.Form):
    title = forms.CharField()
    text = forms.CharField(widget=forms.Textarea)


def test_every_char_field_drops_control_characters_but_keeps_lines():
    form = Letter({"title": "低保\x01名单\x1b[31m", "text": "第一段\n第二段\t附表\x07"})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "低保名单[31m", "text": "第一段\n第二段\t附表"}
