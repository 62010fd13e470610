"""A Babel extraction method for Django templates: Django's own templatize(), then Babel's Python extractor.

`make messages` runs Babel's `pybabel extract` over the whole package (its settings: [tool.babel] in pyproject.toml),
and Babel has no extractor for Django templates; this is the one `django-admin makemessages` uses itself:
templatize() turns {% translate %}, {% blocktranslate %} (with context, plurals, `asvar`) and `_("...")` in filter
arguments into gettext calls, with {{ var }} of a blocktranslate as %(var)s in the msgid, and "Translators:"
comments as comments of those calls. tests/web/test_translations.py checks that the result is what makemessages finds.

Why Babel for the whole project rather than makemessages: Babel is already what reads the catalogue without Django
(courtpath.i18n) and compiles it at start-up (courtpath.web.catalogs); it is pure Python, so neither `make messages`
nor the tests need GNU gettext on a fresh machine; and it takes the engine's own keywords (Msg, _t) beside Django's
from one configuration in pyproject.toml, which tests/test_i18n.py runs exactly as `make messages` does.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def extract_django_template(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel's extraction-method signature: (line, function, message(s), comments) of every gettext call."""
    from babel.messages.extract import extract_python
    from django.utils.translation.template import templatize

    encoding = options.get("encoding", "utf-8")
    source = fileobj.read().decode(encoding)
    python_like = templatize(source, origin=getattr(fileobj, "name", None))
    yield from extract_python(io.BytesIO(python_like.encode("utf-8")), keywords, comment_tags, {"encoding": "utf-8"})
