"""The 正文 editor: django-prose-editor's ProseMirror bundle, as it ships in the wheel.

The bundle is served as a static file of the ``django_prose_editor`` app; nothing is
loaded from elsewhere and nothing is copied into this repository. The package's own
widget loads its modules through an inline import map, which the portal's CSP forbids,
so this widget renders a plain textarea and ``js/body-editor.js`` (a module, from
'self') imports the bundle by its static URL. The bundle's dialogs read their labels
through ``window.gettext``, which ``/jsi18n/`` (Django's JavaScript catalog) defines from
``locale/zh_Hans/LC_MESSAGES/djangojs.po``; the package itself ships no Chinese. Without JavaScript the textarea is all
there is: typed paragraphs and pasted HTML both go through :func:`disclosure.text.sanitize_body`.
"""

from django import forms
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

EDITOR_BUNDLE = "django_prose_editor/editor.js"


class BodyEditorWidget(forms.Textarea):
    template_name = "django/forms/widgets/textarea.html"

    class Media:
        css = {
            "all": ["django_prose_editor/material-icons.css", "django_prose_editor/editor.css", "css/body-editor.css"]
        }
        # The catalog first (a classic script): the bundle reads window.gettext when it loads.
        js = [reverse_lazy("javascript_catalog"), forms.Script("js/body-editor.js", type="module")]

    def __init__(self, attrs=None):
        super().__init__({"rows": 14, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-body-editor": static(EDITOR_BUNDLE),
                "data-editor-label": str(_("正文编辑器")),
            }
        )
        return context
