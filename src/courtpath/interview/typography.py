"""Russian typography for the public result: a non-breaking space after «ст.», «ч.», «п.», «подп.», «№» and before a
unit («10 лет», «08:00 МСК»), so that a phone never breaks «ст.» from its number or «5» from «лет» (review §C.5).

Applied to every text the result shows, the engine's flag messages included; English is left as it is."""

from __future__ import annotations

import re

NBSP = "\u00a0"
_BEFORE_NUMBER = re.compile(r"(?<![\w.])(ст\.|ч\.|п\.|подп\.|№|УК|УПК|ФЗ|Указ) (?=[\d«РФ])")
_UNIT = re.compile(r"(\d) (МСК|лет|года|год|месяц\w*|суток|сутки|сут\.|мес\.|г\.|ч\b|дн\w*|дней|час\w*)")


def typeset(text: str, lang: str) -> str:
    if lang != "ru":
        return text
    return _UNIT.sub(rf"\1{NBSP}\2", _BEFORE_NUMBER.sub(rf"\1{NBSP}", text))
