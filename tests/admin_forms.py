"""Read an admin change form the way a browser does, so tests can post it back with changes.

`form_data(client, url)` (or `read_form(html)`) returns every field of the page's main form
(inline management forms included, the hidden `__prefix__` templates left out) as a dict of
lists, ready to edit and post with `client.post(url, flatten(data))`.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = {}
        self._in_form = False
        self._select = None
        self._textarea = None

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post" and not self._in_form:
            if "id" in attrs and attrs["id"].endswith("_form"):
                self._in_form = True
            return
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
                return
            self._add(name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
            if name and "__prefix__" not in name:
                self.fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and "__prefix__" not in self._textarea:
            values = self.fields[self._textarea]
            # The first newline after <textarea> belongs to the markup, not the value.
            values[-1] += data if values[-1] else data.removeprefix("\n")


def read_form(html):
    reader = _FormReader()
    reader.feed(html)
    return reader.fields


def form_data(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return read_form(response.text)


def flatten(fields):
    """Single values as strings, several as lists, as the test client posts them."""
    return {name: values[0] if len(values) == 1 else values for name, values in fields.items()}


def add_inline_row(fields, prefix, row):
    """Append one new row to the inline formset `prefix` (e.g. "contacts")."""
    index = int(fields[f"{prefix}-TOTAL_FORMS"][0])
    for name, value in row.items():
        fields[f"{prefix}-{index}-{name}"] = [value]
    fields[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    return index


def errors_in(response):
    """The admin's error messages on a re-rendered form, for assertion messages."""
    if response.status_code != 200 or "context" not in dir(response) or not response.context:
        return []
    errors = []
    admin_form = response.context.get("adminform")
    if admin_form is not None:
        errors += [f"{k}: {v}" for k, v in admin_form.form.errors.items()]
    for formset in response.context.get("inline_admin_formsets", []):
        errors += [str(e) for e in formset.formset.errors if e]
        errors += [str(e) for e in formset.formset.non_form_errors()]
    return errors
