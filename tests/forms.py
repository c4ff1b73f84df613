"""Read a rendered admin form back into POST data, as a browser would submit it unchanged.

Admin round-trip tests GET a change form, change a few values and POST it, so they exercise
the same management forms, inline prefixes and hidden ids that an editor's browser sends.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.data = {}
        self._select = None
        self._select_multiple = False
        self._first_option = None
        self._textarea = None
        self._text = []

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            form_id = attrs.get("id", "")
            wanted = form_id == self.form_id if self.form_id else form_id.endswith("_form")
            self.in_form = self.in_form or wanted
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
                return
            self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
            self._first_option = None
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if "selected" in attrs:
                self._add(self._select, value)
            elif self._first_option is None:
                self._first_option = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        if tag == "select" and self._select:
            # A single select with nothing marked submits its first option, as browsers do.
            if not self._select_multiple and not self.data[self._select]:
                if self._first_option is not None:
                    self._add(self._select, self._first_option)
            self._select = None
        if tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def read_form(html, form_id=None):
    """{name: [values]} of the form `form_id`, by default the page's main admin form (the
    first whose id ends in "_form"): every value a browser would submit unchanged."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {
        name: values
        for name, values in reader.data.items()
        # Templates for new inline rows are not part of what a browser submits.
        if "__prefix__" not in name and not (name.startswith("_") and name not in SUBMITS)
    }


SUBMITS = {"_save", "_continue"}


def flatten(fields):
    """Single values as strings, several as lists, as the test client posts them."""
    return {name: values[0] if len(values) == 1 else values for name, values in fields.items()}


def form_data(html, form_id=None):
    """`read_form` with single values as plain strings, ready to change and post."""
    return flatten(read_form(html, form_id))


def add_inline_row(data, prefix, **fields):
    """Append one new row to the inline formset `prefix`, as the admin's "Add another" does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data


def errors_in(response):
    """The admin's error messages on a re-rendered form, for assertion messages."""
    if response.status_code != 200 or not getattr(response, "context", None):
        return []
    errors = []
    admin_form = response.context.get("adminform")
    if admin_form is not None:
        errors += [f"{k}: {v}" for k, v in admin_form.form.errors.items()]
    for formset in response.context.get("inline_admin_formsets", []):
        errors += [str(e) for e in formset.formset.errors if e]
        errors += [str(e) for e in formset.formset.non_form_errors()]
    return errors
