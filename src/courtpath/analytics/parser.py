"""Fields of a first-instance verdict (приговор) in an art. 337 / 338 УК РФ case, read from its text.

The parser is regex-first and conservative: every field is a `Found`, and a field the text does not state is
`Found(None, False, None)`, never a guess. The layout it relies on (research notes, data.md §3):

* header, ending with «… обвиняемого в совершении преступления, предусмотренного ч. 5 ст. 337 УК РФ, установил:»;
* descriptive part after «установил:» — facts (absence dates), evidence, qualification, and the statutory sanction
  quoted from the Code («наказывается лишением свободы на срок от пяти до десяти лет»), which is NOT the sentence;
* operative part after «приговорил:» (often letter-spaced «П Р И Г О В О Р И Л:») — guilty finding with article and
  part, punishment and term, colony regime, art. 73 suspension and probation; with several counts the final
  punishment follows «окончательно» / «по совокупности».

Sentence fields (type, term, regime, suspension, probation, art. 64) are read only from the operative part. The
article and part come from the guilty finding there, or from a bare case-card string («ст.337 ч.5 УК РФ»). Absence
dates come from the descriptive part, from an interval whose surroundings speak of the absence. Texts marked as not
for publication are reported as withheld and nothing else is read from them.

Published texts are depersonalised and mangled by scrapers; the parser reads through that (issue 16):
* date placeholders in any bracket («<дата>», «‹дата>», ««дата»», «[дата]», HTML-escaped «&lt;дата&gt;»), «ДД.ММ.ГГГГ»,
  «ХХ.ХХ.ХХХХ» and partly masked dates («ДД.ММ.2023», «<дата> 2023 года», «ДД октября 2022 г.»): a masked end of the
  absence interval is not found, never completed from the parts that survive, and the interval is still the absence,
  so no other period of the text takes its place;
* blocks glued without whitespace («судПРИГОВОРИЛ:ФИО1 признать виновным», «УК РФ,и назначить», «РФ.На основании»),
  letter-spaced markers glued or not («судП Р И Г О В О Р И Л :»);
* fragments that start at «признать … виновным» (no header, no marker): the guilty finding opens the operative part;
* an article without a part («по ст. 337 УК РФ»: part not found), points «п. «а» ч. 2», «п.п.а,б», «пп.а,б».

Negative findings: when an operative part with a punishment is present, `suspended` and `art64` are found with value
False (and evidence None) if the text does not say otherwise; `withheld` and `dates_masked` are always found.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Charge", "Found", "VerdictFields", "normalise", "parse_verdict"]


@dataclass(frozen=True)
class Found:
    """One field: its value, whether the text states it, and the (normalised) text snippet it was read from."""

    value: object | None
    found: bool
    evidence: str | None


NOT_FOUND = Found(None, False, None)


@dataclass(frozen=True)
class Charge:
    """One count of the guilty finding: article, part (string, «3.1» for ч. 3¹; None when the text names the article
    alone), attempt (ч. 3 ст. 30), point or points («а»; «а,б» for «пп. «а», «б»»)."""

    article: str
    part: str | None
    attempt: bool = False
    point: str | None = None


@dataclass(frozen=True)
class VerdictFields:
    article: Found = NOT_FOUND
    part: Found = NOT_FOUND
    charges: Found = NOT_FOUND  # value: tuple[Charge, ...]
    sentence_type: Found = NOT_FOUND  # a penalty code (courtpath.law.vocabulary.PENALTIES)
    term_months: Found = NOT_FOUND
    colony_regime: Found = NOT_FOUND  # settlement | general | strict | special
    suspended: Found = NOT_FOUND
    probation_months: Found = NOT_FOUND
    absence_start: Found = NOT_FOUND
    absence_end: Found = NOT_FOUND
    dates_masked: Found = NOT_FOUND
    art64: Found = NOT_FOUND
    withheld: Found = NOT_FOUND

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """JSON-safe: dates as ISO strings, charges as a list of dicts."""
        return {
            f.name: {
                "value": _jsonable(getattr(self, f.name).value),
                "found": getattr(self, f.name).found,
                "evidence": getattr(self, f.name).evidence,
            }
            for f in dataclasses.fields(self)
        }


def _jsonable(value: object) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Charge):
        return dataclasses.asdict(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------------------------------
# Normalisation

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_LETTER = r"[А-Яа-яA-Za-z]"
_LETTER_SPACED = re.compile(rf"(?<![А-Яа-яA-Za-z]){_LETTER}(?: {_LETTER}){{4,}}(?![А-Яа-яA-Za-z])")
# A letter-spaced block marker glued to the word before it («…военный судП Р И Г О В О Р И Л :»).
_GLUED_SPACED = re.compile(r"(?<=[а-яa-z])(?=П Р И Г О В О Р И Л|У С Т А Н О В И Л)")
# Depersonalisation placeholders for a date, in any bracket a scraper left: «<дата>», «‹дата>», ««дата»», «[дата]»,
# «(дата изъята)»; and «<данные изъяты>», which also stands for dates. Both are rewritten to one spelling.
_OPEN, _CLOSE = "[<‹«\\[({]", "[>›»\\])}]"
_DATE_PLACEHOLDER = re.compile(rf"{_OPEN}\s*дат[аы](?:\s+изъят[аы])?\s*{_CLOSE}", re.I)
_DATA_PLACEHOLDER = re.compile(rf"{_OPEN}\s*данные\s+изъяты\s*{_CLOSE}", re.I)
DATE_TOKEN, DATA_TOKEN = "<дата>", "<данные изъяты>"


def _one_char_per_line(text: str) -> str:
    """A text stored with one character per line (seen on aggregator pages) joined back; blank lines are spaces."""
    lines = text.splitlines()
    filled = [line.strip() for line in lines if line.strip()]
    if len(filled) < 20 or sum(len(line) == 1 for line in filled) < 0.8 * len(filled):
        return text
    return "".join(line.strip() or " " for line in lines)


def _placeholders(text: str) -> str:
    """Date and data placeholders in one spelling (the substring tests keep this off texts without them)."""
    if "дат" in text or "ДАТ" in text or "Дат" in text:
        text = _DATE_PLACEHOLDER.sub(DATE_TOKEN, text)
    if "зъят" in text or "ЗЪЯТ" in text:
        text = _DATA_PLACEHOLDER.sub(DATA_TOKEN, text)
    return text


def normalise(text: str) -> str:
    """Whitespace, letter-spacing, dashes, ё, superscript part numbers, «ст.337УК» spacing, date placeholders; one
    line."""
    if "&" in text:  # «&lt;дата&gt;», «&nbsp;» left by a scraper
        text = html.unescape(text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("ё", "е").replace("Ё", "Е")
    text = _DASHES.sub("-", text)
    text = _one_char_per_line(text)
    text = _placeholders(text)
    # Letter-spaced words: «П Р И Г О В О Р И Л :» (words themselves separated by two or more spaces).
    text = re.sub(r"[^\S\n]", " ", text)  # NBSP and other spaces, but keep line breaks for now
    if "Р И Г О В О Р И Л" in text or "С Т А Н О В И Л" in text:
        text = _GLUED_SPACED.sub(" ", text)
    text = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = re.sub(r"\s+", " ", text)
    # Parts with a superscript: «ч.3¹», «ч. 2^1» → «3.1».
    text = re.sub(r"(\d)\s*\^\s*(\d)", r"\1.\2", text)
    text = re.sub(r"(\d)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: m.group(1) + "." + m.group(2).translate(_SUPERSCRIPTS), text)
    # «ст.337УК», «2023г.»: a space between digits and letters.
    text = re.sub(r"(?<=\d)(?=[А-Яа-я])|(?<=[А-Яа-я])(?=\d)", " ", text)
    return text.strip()


# ---------------------------------------------------------------------------------------------------------------------
# Numbers and terms

_UNITS = [
    "ноль",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
    "двадцать",
]
NUMERALS: dict[str, int] = {word: n for n, word in enumerate(_UNITS)}
NUMERALS.update({"одна": 1, "одного": 1, "одному": 1, "одним": 1, "одном": 1, "две": 2})
NUMERALS.update({"двух": 2, "двум": 2, "двумя": 2, "трех": 3, "трем": 3, "тремя": 3})
NUMERALS.update({"четырех": 4, "четырем": 4, "четырьмя": 4})
for _n in range(5, 21):  # пять → пяти / пятью, двенадцать → двенадцати / двенадцатью
    _stem = _UNITS[_n][:-1]
    NUMERALS[_stem + "и"] = _n
    NUMERALS[_stem + "ью"] = _n
NUMERALS["восьми"] = 8  # восемь → восьми (fleeting vowel)
NUMERALS["восьмью"] = 8

_WORD = "(?:" + "|".join(sorted(NUMERALS, key=len, reverse=True)) + ")"
_NUM = (
    rf"(?:(?<!\d)\d{{1,2}}(?!\d)(?:\s*\(\s*[а-я]+(?:\s+[а-я]+)?\s*\))?"
    rf"|(?<![а-я]){_WORD}(?![а-я])(?:\s*\(\s*\d{{1,2}}\s*\))?)"
)  # «5 (пять)», «пять», «пять (5)»
_YEARS = r"(?:год(?:а|у|ом|ам|ами)?|лет)(?![а-я])"
_MONTHS = r"(?:месяц(?:а|ев|у|ем|ам|ами)?(?![а-я])|мес\.)"
# «5 (пять) лет», «пять лет», and also «5 (пять лет)» with the unit inside the brackets.
_YEAR_PIECE = rf"(?:{_NUM}\s*{_YEARS}|\d{{1,2}}\s*\(\s*[а-я]+\s+{_YEARS}\s*\))"
_MONTH_PIECE = rf"(?:{_NUM}\s*{_MONTHS}|\d{{1,2}}\s*\(\s*[а-я]+\s+{_MONTHS}\s*\))"
TERM = rf"(?:{_YEAR_PIECE}(?:\s*,?\s*(?:и\s+)?{_MONTH_PIECE})?|{_MONTH_PIECE})"
_TERM_PIECE = re.compile(rf"(?:({_NUM})\s*|(\d{{1,2}})\s*\(\s*[а-я]+\s+)({_YEARS}|{_MONTHS})", re.I)


def _number(token: str) -> int | None:
    """«5 (пять)», «пять (5)», «пять»: the digits when there are any, else the word."""
    digits = re.search(r"\d+", token)
    if digits:
        return int(digits.group(0))
    return NUMERALS.get(token.lower().strip())


def term_months(span: str) -> int | None:
    """«5 (пять) лет 6 (шесть) месяцев» → 66; «один год» → 12; «8 месяцев» → 8."""
    total, seen = 0, False
    for match in _TERM_PIECE.finditer(span):
        value = _number(match.group(1) or match.group(2))
        if value is None:
            return None
        total += value * (1 if match.group(3).lower().startswith("мес") else 12)
        seen = True
    return total if seen and total > 0 else None


# ---------------------------------------------------------------------------------------------------------------------
# Parts of the verdict

_FLAGS = re.I


def _spaced(word: str, boundary: bool = True) -> str:
    """A keyword that may still be letter-spaced after normalisation («У СТАНОВИЛ», «п р и г о в о р и л»)."""
    return (r"(?<![а-я])" if boundary else "") + r"\s?".join(word) + r"(?![а-я])"


# With its colon a block marker needs no word boundary in front: scrapers glue it to the court's name
# («…военный судПРИГОВОРИЛ:», all in capitals too); no other word ends in «приговорил» / «установил».
OPERATIVE = re.compile(
    _spaced("приговорил", boundary=False) + r"\s*:|" + _spaced("приговорил") + r"\W{0,5}(?:\d+[.)]\s*)?(?=признать)",
    _FLAGS,
)
DESCRIPTIVE = (
    re.compile(_spaced("установил", boundary=False) + r"\s*:", _FLAGS),
    re.compile(_spaced("установил"), _FLAGS),
)
WITHHELD = re.compile(
    r"не\s*подлежит\s*(?:размещению|опубликованию|публикации)"
    r"|(?:размещению|опубликованию|публикации)\s*(?:в\s+сети\s+[«]?интернет[«]?\s*)?не\s*подлежит"
    r"|данные\s*изъяты\s*в\s*интересах\s*несовершеннолетн",
    _FLAGS,
)

# Article references. Running text: «п. «а» ч. 2 ст. 338», «частью 3.1 статьи 337», «части 3 1 статьи 337»;
# card form: «ст.337 ч.5», «ст.30 ч.3, ст.337 ч.5».
_PART = r"(?P<{name}>\d{{1,2}}(?:\.\d{{1,2}})?)(?:\s(?P<{name}s>\d)(?=\s*(?:ст|,|;|УК|Уголов)))?"
_CH = r"(?<![а-яa-z])ч(?:\.|асти|астью|асть)(?![а-я])\s*"
_ST = r"(?<![а-яa-z])ст(?:\.|атьи|атьей|атья|атью|атье)(?![а-я])\s*"
_ARTNO = r"(?P<{name}>\d{{1,3}}(?:\.\d{{1,2}})?)(?!\d)"
_Q = "[«»\"'\u201c\u201d\u201e]?"
# Points: «п. «а»», «пп. «а», «б»», «п.п.а,б», «пп.а,б», «пунктами «а» и «б»»; a point is one letter.
_LETTERS = rf"{_Q}[а-я](?![а-я]){_Q}(?:\s*(?:,|и(?![а-я]))\s*{_Q}[а-я](?![а-я]){_Q})*"
_PT = r"(?<![а-яa-z])п(?:п\.|\.\s*п\.|\.|ункт[а-я]*)\s*"
_POINT = rf"(?:{_PT}(?P<point>{_LETTERS})\s*,?\s*)?"
ARTICLE_REF = re.compile(
    _POINT + _CH + _PART.format(name="part") + r"\s*,?\s*" + _ST + _ARTNO.format(name="art")
    + "|" + _ST + _ARTNO.format(name="cart") + r"\s*,?\s*" + _CH + _PART.format(name="cpart")
    + r"(?!\s*ст(?:\.|ать))"  # «ст. 337, ч. 1 ст. 338»: that part is 338's
    + rf"(?:\s*,?\s*{_PT}(?P<cpoint>{_LETTERS}))?",
    _FLAGS,
)  # fmt: skip
# An article without a part («по ст. 337 УК РФ»): courts and scrapers drop the part; not a procedural article.
# Used outside the spans of ARTICLE_REF only.
ARTICLE_ONLY = re.compile(_ST + _ARTNO.format(name="art") + r"(?!\s*(?:УПК|КоАП|ГК|ГПК))", _FLAGS)
GUILTY = re.compile(r"признать(?![а-я]).{0,250}?(?<![а-я])(?<!не\s)виновн[а-я]*(?![а-я])", _FLAGS)
GUILTY_END = re.compile(
    r"назнач|освобод|(?<![а-я])(?:оправда|осудить|приговорить|подвергнуть)|(?<![а-я])по\s+(?:этой|данной)\s+стать",
    _FLAGS,
)
CARD_REST = re.compile(
    r"УК\s*РФ|Уголовного\s+кодекса\s+Российской\s+Федерации|пп?\.\s*[а-я](?:\s*,\s*[а-я])*|[\W_]", _FLAGS
)

# Punishments. Kind first («в виде лишения свободы на срок 5 лет», «к лишению свободы на срок …») or term first
# («в виде 5 (пяти) лет лишения свободы», «к 5 (пяти) годам лишения свободы»).
_KIND = (
    r"(?:лишени[еяю]\s+свободы|ограничени[еяю]\s+по\s+военной\s+службе"
    r"|содержани[еяю]\s+в\s+дисциплинарной\s+воинской\s+части|(?<![а-я])арест(?:а|у|ом)?(?![а-я])"
    r"|(?<![а-я])штраф(?:а|у|ом)?(?![а-я]))"
)
_FILLER = r"[\s,]*(?:(?:на|сроком|срок|в|продолжительностью)\s+){0,3}"
PUNISHMENT = re.compile(
    rf"(?P<pre>в\s+виде\s+)?(?P<kind>{_KIND})(?:{_FILLER}(?P<term>{TERM}))?"
    rf"|(?:в\s+виде|(?<![а-я])к)\s+(?P<term2>{TERM})\s+(?P<kind2>{_KIND})",
    _FLAGS,
)
KINDS = (
    ("лишени", "imprisonment"),
    ("ограничени", "restriction"),
    ("содержани", "disciplinary_unit"),
    ("арест", "arrest"),
    ("штраф", "fine"),
)
# «зачесть в срок лишения свободы …», «срок наказания в виде лишения свободы исчислять …»
NOT_A_PUNISHMENT = re.compile(r"срок[а-я]*\s+(?:(?:отбывания\s+)?наказани[а-я]*\s+)?$", _FLAGS)
FINAL = re.compile(r"окончательн|по\s+совокупности\s+(?:преступлений|приговоров)", _FLAGS)
REGIME = re.compile(
    r"колони[а-я]*[-\s]+поселени[а-я]*|(?:колони[а-я]*|(?<![а-я])ИК)\s+(?P<r>общего|строгого|особого)\s+режима", _FLAGS
)
REGIMES = {"общего": "general", "строгого": "strict", "особого": "special"}
ART64 = re.compile(r"с\s+применением\s+(?:положений\s+)?(?:ч\.\s*\d\s*)?ст(?:\.|атьи)\s*64(?!\d)", _FLAGS)
SUSPENSION = re.compile(
    r"ст(?:\.|атьи|атьей)\s*73(?!\d)[^.;]{0,200}?условн[а-я]*"
    r"|считать\s+условн[а-я]*|(?<![а-я])условн(?:о|ым|ой|ое)(?![а-я-])(?:\s*,?\s*с\s+испытательн)?",
    _FLAGS,
)
PROBATION = re.compile(
    rf"испытательн[а-я]*\s+срок[а-я]*[\s,]*(?:(?:на|в|продолжительностью|длительностью|сроком|срок)\s+){{0,2}}"
    rf"(?P<term>{TERM})",
    _FLAGS,
)
# Sentences about another verdict: a revoked or kept earlier suspension, an earlier verdict «от <date>», parole.
_NOT_THIS_SENTENCE = re.compile(
    r"отмен|сохран|самостоятельно|досрочн|приговор[а-я]*\s[^.;]{0,120}?(?<![а-я])от\s+(?:\d|ДД|[ХX]{2}|<)", _FLAGS
)

# Dates.
MONTHS = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
# Masked dates: «ДД.ММ.ГГГГ», «ХХ.ХХ.ХХХХ», partly masked «ДД.ММ.2023», «ДД октября 2022», «<дата> 2023 года», and
# «<данные изъяты>» where a date stands. An interval with a masked end is still an interval, so a masked absence is
# "not found" rather than replaced by some other period of the text.
_MASK = r"(?:ДД|\d{1,2}|[ХX*]{2})\.(?:[МM]{2}|\d{1,2}|[ХX*]{2})\.(?:ГГГГ|ГГ|\d{4}|[ХX*]{2,4})"
_MONTH = "(?:" + "|".join(MONTHS) + ")"
_YEAR = r"(?:\d{4}|ГГГГ|[ХX*]{4})"
_MASKED_DAY = (
    rf"(?:(?:ДД|[ХX*]{{2}}|{DATE_TOKEN})\s*{_MONTH}(?:\s+{_YEAR})?"  # «ДД октября 2022», «<дата> октября»
    rf"|(?:\d{{1,2}}\s*)?{DATE_TOKEN}(?:\s*{_YEAR})?)"  # «<дата> 2023», «10 <дата>»
)
_DATE = (
    rf"(?:\d{{1,2}}\s+{_MONTH}(?:\s+(?:{_YEAR}|{DATE_TOKEN}))?|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|{_MASK}|{_MASKED_DAY}"
    rf"|{DATA_TOKEN}(?:\s*{_YEAR})?)"
    r"(?:\s*(?:года|г\.?)(?![а-я]))?"
)
_TIME = r"(?:\d{1,2}\s*час[а-я.]*\s*(?:\d{1,2}\s*мин[а-я.]*\s*)?)?"
INTERVAL = re.compile(
    rf"(?<![а-я])с\s+{_TIME}(?P<a>{_DATE}|\d{{1,2}}(?=\s*,?\s*(?:по|до)\s))\s*,?\s*(?:по|до)\s+{_TIME}(?P<b>{_DATE})",
    re.I,
)  # fmt: skip
# (The lookahead on the first character only makes the scan faster.)
MASKED = re.compile(rf"(?=[\dДХX*<])(?<![\dА-Яа-я])(?:{_MASK}(?!\d)|{_MASKED_DAY}|{DATE_TOKEN})", re.I)
# «находился в отпуске / на лечении / под стражей с … по …» (not «по окончании отпуска»)
OTHER_PERIOD = re.compile(r"отпуске|лечении|госпитале|командировке|под\s+стражей|больничном|карантине", _FLAGS)
ABSENCE_WORDS = re.compile(
    r"вне\s+(?:расположения\s+)?(?:воинской\s+)?част|вне\s+места\s+службы|самовольн|не\s*явил|неявк|уклон|незаконн"
    r"|по\s+своему\s+усмотрени|отсутствовал|оставил|пребывани",
    _FLAGS,
)


def _masked(text: str) -> re.Match[str] | None:
    """The first depersonalised date («ДД.ММ.ГГГГ», «ХХ.ХХ.2023», «<дата>», «ДД октября») in the text."""
    return next((m for m in MASKED.finditer(text) if re.search(r"[^\d.]", m.group(0))), None)


def _masked_end(raw: str) -> bool:
    """An interval end that is (partly) masked, «<данные изъяты>» included: never read as a date."""
    return _masked(raw) is not None or DATA_TOKEN in raw


def _parse_date(raw: str, end: dt.date | None = None) -> dt.date | None:
    """A date in words or digits. A start without a year takes the end's year (the year before if that is later);
    a start that is a bare day («с 10 по 20 октября 2022 г.») takes the end's month and year."""
    raw = raw.strip()
    if raw.isdigit():
        if end is None or int(raw) > end.day:
            return None
        return end.replace(day=int(raw))
    numeric = re.match(r"(\d{1,2})\.(\d{1,2})\.(\d{4})$", re.sub(r"\s*(?:года|г\.?)$", "", raw))
    try:
        if numeric:
            return dt.date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        words = re.match(r"(\d{1,2})\s+([а-я]+)(?:\s+(\d{4}))?", raw, re.I)
        if not words or words.group(2).lower() not in MONTHS:
            return None
        day, month = int(words.group(1)), MONTHS[words.group(2).lower()]
        if words.group(3):
            return dt.date(int(words.group(3)), month, day)
        if end is None:
            return None
        year = end.year if (month, day) <= (end.month, end.day) else end.year - 1
        return dt.date(year, month, day)
    except ValueError:
        return None


def _found(value: object, evidence: str) -> Found:
    return Found(value, True, evidence.strip())


# ---------------------------------------------------------------------------------------------------------------------
# Field readers


def _points(raw: str | None) -> str | None:
    """«а» → «а»; «а», «б» / а,б / «а» и «б» → «а,б»."""
    if raw is None:
        return None
    pieces = re.split(r"\s*,\s*|\s+и\s+", raw.lower())
    return ",".join(letter for piece in pieces for letter in re.findall("[а-я]", piece)) or None


def _references(segment: str) -> list[tuple[int, int, str, str | None, str | None]]:
    """Article references in order: (start, end, article, part or None, points or None)."""
    refs = []
    for match in ARTICLE_REF.finditer(segment):
        names = ("art", "part", "parts", "point") if match.group("art") else ("cart", "cpart", "cparts", "cpoint")
        art, part, sub, point = (match.group(name) for name in names)
        refs.append((match.start(), match.end(), art, f"{part}.{sub}" if sub else part, _points(point)))
    taken = [(start, end) for start, end, *_ in refs]
    for match in ARTICLE_ONLY.finditer(segment):
        if not any(start <= match.start() < end for start, end in taken):
            refs.append((match.start(), match.end(), match.group("art"), None, None))
    return sorted(refs)


def _charges(segment: str, offset: int, text: str) -> tuple[list[tuple[Charge, str]], int]:
    """Charges named in a guilty finding (or a card string), with the snippet each was read from, and where the last
    one ends in `segment` (0 if none)."""
    charges: list[tuple[Charge, str]] = []
    last_end = 0
    attempt_at: int | None = None  # where a preceding «ч. 3 ст. 30» starts
    for ref_start, ref_end, art, part, point in _references(segment):
        if art == "30" and part == "3":
            attempt_at = ref_start
            continue
        if float(art) < 105:  # the General Part (ст. 64, 69, 73 …) names no crime
            continue
        start = ref_start if attempt_at is None else attempt_at
        charges.append((Charge(art, part, attempt_at is not None, point), text[offset + start : offset + ref_end]))
        attempt_at, last_end = None, ref_end
    return charges, last_end


def _guilty_segment(operative: str) -> tuple[int, int] | None:
    match = GUILTY.search(operative)
    if not match:
        return None
    end = GUILTY_END.search(operative, match.end())
    stop = min(end.start() if end else len(operative), match.end() + 1000)
    return match.end(), stop


def _punishments(operative: str, start: int) -> list[re.Match[str]]:
    """Punishment clauses from `start`: a kind after «в виде» or with its term («в срок лишения свободы» is not)."""
    found = []
    for match in PUNISHMENT.finditer(operative, start):
        if match.group("kind2"):
            found.append(match)
            continue
        before = operative[max(0, match.start() - 40) : match.start()]
        if NOT_A_PUNISHMENT.search(before):
            continue
        if match.group("pre") or match.group("term"):
            found.append(match)
    return found


def _kind(match: re.Match[str]) -> str:
    kind = (match.group("kind") or match.group("kind2")).lower()
    return next(name for stem, name in KINDS if kind.startswith(stem))


def _final_punishment(operative: str, start: int, counts: int) -> re.Match[str] | None:
    """The «окончательно» punishment with several counts; otherwise the first after the guilty finding."""
    punishments = _punishments(operative, start)
    if not punishments:
        return None
    starts = [p.start() for p in punishments]
    for anchor in reversed(list(FINAL.finditer(operative, start))):
        index = bisect.bisect_left(starts, anchor.end())
        if index < len(starts) and starts[index] <= anchor.end() + 400:
            return punishments[index]
    terms = {term_months(p.group("term") or p.group("term2") or "") for p in punishments}
    if counts > 1 and len(punishments) > 1 and len(terms) > 1:
        return None  # several counts punished, no final punishment stated: ambiguous
    return punishments[0]


# A sentence ends at «.» or «;» before a capital. Scrapers drop the space («лет.На основании», «РФ.На основании»);
# glued, a word of two letters or more must precede, so «ст.73», «г.Энск», «Т.Т.» do not split.
_SENTENCE_END = re.compile(r"[.;](?:\s+(?=[А-ЯA-Z-])|(?<=[а-я]{2}[.;])(?=[А-Я])|(?<=[А-Я]{2}[.;])(?=[А-Я][а-я]))")


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentence-like chunks (start offset, text); abbreviations such as «ст. 73» do not split."""
    chunks, last = [], 0
    for match in _SENTENCE_END.finditer(text):
        chunks.append((last, text[last : match.start() + 1]))
        last = match.end()
    chunks.append((last, text[last:]))
    return chunks


def _sentence_fields(operative: str, start: int, counts: int) -> dict[str, Found]:
    fields: dict[str, Found] = {}
    final = _final_punishment(operative, start, counts)
    art64 = ART64.search(operative)
    if art64:
        fields["art64"] = _found(True, art64.group(0))
    elif final is not None:
        fields["art64"] = Found(False, True, None)
    if final is None:
        return fields
    kind = _kind(final)
    fields["sentence_type"] = _found(kind, final.group(0))
    term = final.group("term") or final.group("term2")
    months = term_months(term) if term else None
    if months is not None:
        fields["term_months"] = _found(months, final.group(0))
    # Suspension and probation: sentences from the final punishment on, leaving out those about other verdicts.
    rest = operative[final.start() :]
    suspended = None
    probation = None
    for _, chunk in _sentences(rest):
        if _NOT_THIS_SENTENCE.search(chunk):
            continue
        if suspended is None:
            suspended = SUSPENSION.search(chunk)
        if probation is None:
            probation = PROBATION.search(chunk)
    if kind in {"arrest", "fine"}:
        suspended = probation = None  # art. 73 does not apply to them
    signal = suspended or probation
    if signal is not None:
        fields["suspended"] = _found(True, signal.group(0))
        if probation is not None:
            value = term_months(probation.group("term"))
            if value is not None:
                fields["probation_months"] = _found(value, probation.group(0))
    else:
        fields["suspended"] = Found(False, True, None)
        if kind == "imprisonment":
            regime = REGIME.search(rest)
            if regime:
                name = REGIMES[regime.group("r").lower()] if regime.group("r") else "settlement"
                fields["colony_regime"] = _found(name, regime.group(0))
    return fields


def _absence_interval(descriptive: str) -> re.Match[str] | None:
    """The first «с … по …» whose neighbourhood speaks of the absence: close words first, then a wider window.
    Intervals right after «в отпуске», «на лечении», «под стражей» … are other periods."""
    candidates = [
        m
        for m in INTERVAL.finditer(descriptive)
        if not OTHER_PERIOD.search(descriptive, max(0, m.start() - 40), m.start())
    ]
    for reach in (120, 250):
        for match in candidates:
            if ABSENCE_WORDS.search(descriptive, max(0, match.start() - reach), match.end() + reach):
                return match
    return None


def _absence(descriptive: str) -> dict[str, Found]:
    """Absence start and end; a masked end of the interval is not found, and the text then counts as masked."""
    match = _absence_interval(descriptive)
    if match is None:
        return {}
    raw_a, raw_b = match.group("a"), match.group("b")
    fields: dict[str, Found] = {}
    end = None if _masked_end(raw_b) else _parse_date(raw_b)
    start = None if _masked_end(raw_a) else _parse_date(raw_a, end)
    if _masked_end(raw_a) or _masked_end(raw_b):
        fields["dates_masked"] = _found(True, match.group(0))
    if start is not None and end is not None and start > end:
        return fields  # not an interval: better nothing than a wrong one
    if start is not None:
        fields["absence_start"] = _found(start, match.group(0))
    if end is not None:
        fields["absence_end"] = _found(end, match.group(0))
    return fields


# A party asking for a verdict («государственный обвинитель просил признать … виновным») is not the verdict.
_REQUEST = re.compile(r"(?:проси|предлага|предложи|ходатайств|полага|мнени)[а-я]*[^.;]{0,80}$", _FLAGS)


def _operative_start(text: str) -> tuple[int, int] | None:
    """Where the operative part starts: the «приговорил:» marker (its start and end). Without one — a fragment, or a
    marker a scraper mangled — the first guilty finding that is not a party's request."""
    marker = OPERATIVE.search(text)
    if marker:
        return marker.start(), marker.end()
    for match in GUILTY.finditer(text):
        if not _REQUEST.search(text, max(0, match.start() - 100), match.start()):
            return match.start(), match.start()
    return None


def _is_card(text: str) -> bool:
    """A bare case-card string: «ст.30 ч.3, ст.337 ч.5 УК РФ», «ст.337 УК РФ»."""
    return len(text) <= 300 and not CARD_REST.sub("", ARTICLE_ONLY.sub("", ARTICLE_REF.sub("", text)))


def _article_fields(charges: list[tuple[Charge, str]]) -> dict[str, Found]:
    if not charges:
        return {}
    charge, evidence = next(((c, e) for c, e in charges if c.article in {"337", "338"}), charges[0])
    fields = {"article": _found(charge.article, evidence)}
    if charge.part is not None:
        fields["part"] = _found(charge.part, evidence)
    fields["charges"] = _found(tuple(c for c, _ in charges), "; ".join(e for _, e in charges))
    return fields


def _parse(raw: str) -> VerdictFields:
    text = normalise(raw)
    withheld = WITHHELD.search(text)
    if withheld:
        return VerdictFields(withheld=_found(True, withheld.group(0)))
    fields: dict[str, Found] = {"withheld": Found(False, True, None)}
    masked = _masked(text)
    fields["dates_masked"] = _found(True, masked.group(0)) if masked else Found(False, True, None)

    operative_at = _operative_start(text)
    charges: list[tuple[Charge, str]] = []
    if operative_at:
        operative = text[operative_at[1] :]
        segment = _guilty_segment(operative)
        start = 0  # punishments are read after the guilty finding's last charge
        if segment:
            charges, last_end = _charges(operative[segment[0] : segment[1]], operative_at[1] + segment[0], text)
            start = segment[0] + last_end
        fields.update(_sentence_fields(operative, start, len(charges)))
        before = text[: operative_at[0]]
    else:
        if _is_card(text):
            charges, _ = _charges(text, 0, text)
        before = text
    fields.update(_article_fields(charges))

    descriptive_at = DESCRIPTIVE[0].search(before) or DESCRIPTIVE[1].search(before)
    absence = _absence(before[descriptive_at.end() :] if descriptive_at else before)
    if masked is not None:
        absence.pop("dates_masked", None)  # the first mask in the text is the evidence
    fields.update(absence)
    return VerdictFields(**fields)


def parse_verdict(text: str) -> VerdictFields:
    """The fields of a verdict text; never raises on a str (an internal failure yields "nothing found")."""
    try:
        return _parse(text)
    except Exception:  # defensive: a parser bug must not stop a batch import; tests call _parse directly
        return VerdictFields()
