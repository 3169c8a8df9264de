"""Read an admin change form the way a browser would submit it."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects the successful controls of the admin's object form (id ending in "_form")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.data = {}
        self._select = None
        self._select_multiple = False
        self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("id") or "").endswith("_form") and attrs.get("id") != "changelist-form"
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
                return
            self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in attrs
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            values = self.data[self._textarea]
            values[-1] += data.removeprefix("\n") if values[-1] == "" else data


def form_data(html):
    """The POST data the page's object form would send, with the "保存" button pressed."""
    reader = _FormReader()
    reader.feed(html)
    data = {name: values if len(values) != 1 else values[0] for name, values in reader.data.items()}
    data = {name: value for name, value in data.items() if value != []}
    data["_save"] = "保存"
    return data
