"""Citations for the public result, written as Russian legal texts cite: «ч. 3.1 ст. 337 УК РФ», «п. 3.1 ч. 1
ст. 208 УПК РФ», «подп. «е» п. 1 ст. 51 Федерального закона «О воинской обязанности и военной службе»».

The staff pages keep the engine's labels (`Citation.label`, with the amending act); the public sees no edition: the
date of an amendment means nothing to a family and a lawyer looks it up. A piece this module does not recognise is
left as the law data writes it rather than guessed at.
"""

from __future__ import annotations

import dataclasses
import re

from courtpath.law.lawbook import Citation

NBSP = "\u00a0"
# Federal laws the data cites by number, and their names (the way a Russian text names them).
LAW_NAMES = {
    "53-ФЗ": "Федерального закона «О воинской обязанности и военной службе»",
    "76-ФЗ": "Федерального закона «О статусе военнослужащих»",
}
_NUMBER = r"\d+(?:\.\d+)*"
_CODE = re.compile(rf"^(?P<art>{_NUMBER}(?:, {_NUMBER})*)(?: ч\. (?P<part>[\d.–]+))?(?: п\. (?P<item>\S+))?$")
_NOTE = re.compile(r"^(?P<art>\d+(?:\.\d+)*) примечание (?P<note>\d+)$")
_CPC = re.compile(rf"^УПК (?P<art>{_NUMBER})(?: ч\. (?P<part>\d+))?(?: п\. (?P<item>\S+))?$")
_LAW = re.compile(rf"^(?P<law>\d+-ФЗ) ст\. (?P<art>{_NUMBER})(?: ч\. (?P<part>\d+))?(?: п\. (?P<item>\S+))?$")
_DECREE = re.compile(r"^Указ № (?P<number>\d+)(?: п\. (?P<item>\S+))?$")


def _code(art: str, part: str | None, item: str | None, code: str) -> str:
    pieces = [f"п.{NBSP}{item}"] if item else []
    if part:
        pieces.append(f"ч.{NBSP}{part}")
    pieces.append(f"ст.{NBSP}{art} {code}")
    return " ".join(pieces)


def _piece(text: str, criminal_code: bool) -> str:
    """One reference (between semicolons) in Russian order; `criminal_code`: a bare number is an article of the
    Criminal Code."""
    if criminal_code and (found := _CODE.match(text)):
        return _code(found["art"], found["part"], found["item"], f"УК{NBSP}РФ")
    if criminal_code and (found := _NOTE.match(text)):
        return f"примечание{NBSP}{found['note']} к ст.{NBSP}{found['art']} УК{NBSP}РФ"
    if found := _CPC.match(text):
        return _code(found["art"], found["part"], found["item"], f"УПК{NBSP}РФ")
    if (found := _LAW.match(text)) and found["law"] in LAW_NAMES:
        # These laws are divided into пункты and подпункты, not части.
        pieces = [f"подп.{NBSP}{found['item']}"] if found["item"] and found["part"] else []
        if found["part"]:
            pieces.append(f"п.{NBSP}{found['part']}")
        elif found["item"]:
            pieces.append(f"п.{NBSP}{found['item']}")
        pieces.append(f"ст.{NBSP}{found['art']} {LAW_NAMES[found['law']]}")
        return " ".join(pieces)
    if found := _DECREE.match(text):
        decree = f"Указа Президента РФ №{NBSP}{found['number']}"
        return f"п.{NBSP}{found['item']} {decree}" if found["item"] else decree.replace("Указа", "Указ", 1)
    return text.replace("№ ", f"№{NBSP}")


def public_citation(citation: Citation, lang: str) -> str:
    """The citation for the public result, without the amending act."""
    if lang != "ru":
        return dataclasses.replace(citation, act=None, numbering_confirmed=True).label(lang)
    raw = f"{citation.article} ч. {citation.part}" if citation.part[:1].isdigit() else citation.article
    if citation.part and not citation.part[:1].isdigit():
        raw = f"{citation.article} {citation.part}"
    criminal_code = bool(re.match(rf"{_NUMBER}(?=$|[,;\s])", citation.article))
    return "; ".join(_piece(piece.strip(), criminal_code) for piece in raw.split(";"))
