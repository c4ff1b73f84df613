"""The Spanish catalogue covers every interface string, translated and reviewed.

Strings are extracted the way `makemessages` does (Django's own template-to-Python step, then
a Python string extractor with Django's gettext keywords), but with Babel instead of GNU
gettext so that the check runs on any machine. When a test here fails: `make messages`,
translate the new entries in locale/es/LC_MESSAGES/django.po, `make install`.
"""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Directories makemessages is told to skip (see the Makefile's `messages` target), plus the
# ones it skips by itself (hidden directories such as .venv).
SKIPPED = {"node_modules", "staticfiles", "tests", "bench", "locale", "build", "media"}

# Django's gettext functions, in Babel's keyword notation (see makemessages' xgettext call).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def project_files(*suffixes):
    for path in sorted(settings.BASE_DIR.rglob("*")):
        parts = path.relative_to(settings.BASE_DIR).parts
        if any(part.startswith(".") or part in SKIPPED for part in parts[:-1]):
            continue
        if path.suffix in suffixes and path.is_file():
            yield path


def python_source(path: Path) -> str:
    source = path.read_text(encoding="utf-8")
    if path.suffix in {".html", ".txt"}:
        # templatize keeps the template's indentation; the tokenizer must not see it.
        code = templatize(source, origin=str(path))
        return "\n".join(line.lstrip() for line in code.splitlines())
    return source


def marked_strings():
    """{(context, msgid): "file:line"} for every string marked for translation."""
    found = {}
    for path in project_files(".py", ".html", ".txt"):
        source = io.BytesIO(python_source(path).encode("utf-8"))
        for lineno, message, _comments, context in extract("python", source, KEYWORDS):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                where = f"{path.relative_to(settings.BASE_DIR)}:{lineno}"
                found.setdefault((context, msgid), where)
    return found


def catalogue():
    with CATALOGUE.open("rb") as po:
        return read_po(po, locale="es")


def test_every_marked_string_is_in_the_spanish_catalogue():
    entries = {(message.context, message.id if isinstance(message.id, str) else message.id[0])
               for message in catalogue() if message.id}
    missing = {key: where for key, where in marked_strings().items() if key not in entries}
    assert not missing, "Not in the Spanish catalogue (run `make messages`):\n" + "\n".join(
        f"  {where}: {msgid!r}" for (_context, msgid), where in sorted(missing.items())
    )


def test_spanish_catalogue_has_no_untranslated_or_fuzzy_entries():
    spanish = catalogue()
    assert not spanish.fuzzy, "The catalogue header is marked fuzzy."
    unfinished = []
    for message in spanish:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            unfinished.append(message.id)
    assert not unfinished, "Untranslated or fuzzy in locale/es/LC_MESSAGES/django.po:\n" + (
        "\n".join(f"  {msgid!r}" for msgid in unfinished)
    )


def test_spanish_plural_forms_match_the_catalogue_header():
    spanish = catalogue()
    assert spanish.num_plurals == 3
    for message in spanish:
        if message.pluralizable:
            assert len(message.string) == spanish.num_plurals, message.id


# Attributes a visitor reads or hears; their text must be marked like any other.
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "value"}
LETTER = re.compile(r"[^\W\d_]")


class UnmarkedText(HTMLParser):
    """Collects words in the template's own HTML (its text and read attributes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words = []
        self.in_code = False

    def handle_starttag(self, tag, attrs):
        self.in_code = tag in {"script", "style"}
        self.words += [v for name, v in attrs if name in READ_ATTRIBUTES and LETTER.search(v or "")]

    def handle_endtag(self, tag):
        self.in_code = False

    def handle_data(self, data):
        if not self.in_code and LETTER.search(data):
            self.words.append(data.strip())


def template_html_without_template_language(source):
    """The template's literal HTML: tags, variables, comments and translated text dropped."""
    html, skipping = [], None
    for token in Lexer(source).tokenize():
        command = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        if skipping:
            skipping = None if command == skipping else skipping
        elif command in {"comment", "blocktranslate", "blocktrans"}:
            skipping = "endcomment" if command == "comment" else "end" + command
        elif token.token_type == TokenType.TEXT:
            html.append(token.contents)
    return "".join(html)


def test_every_template_text_is_marked_for_translation():
    unmarked = {}
    templates = [p for p in project_files(".html", ".txt") if "templates" in p.parts]
    assert templates
    for path in templates:
        parser = UnmarkedText()
        parser.feed(template_html_without_template_language(path.read_text(encoding="utf-8")))
        if parser.words:
            unmarked[str(path.relative_to(settings.BASE_DIR))] = parser.words
    assert not unmarked, "Text outside {% translate %} / {% blocktranslate %}:\n" + "\n".join(
        f"  {path}: {words}" for path, words in unmarked.items()
    )
