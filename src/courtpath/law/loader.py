"""Load and validate the law data files; refuse a malformed file with a message naming the file and field."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from courtpath.law.lawbook import LawBook
from courtpath.law.procedure_schema import CalendarSpec, ProcedureSpec
from courtpath.law.schema import ArticleSpec, ContextsSpec, GeneralSpec, OpenQuestionsSpec, SourcesSpec

ARTICLE_FILES = ("337.yaml", "338.yaml", "339.yaml")
OTHER_FILES = (
    "general.yaml",
    "contexts.yaml",
    "sources.yaml",
    "open_questions.yaml",
    "calendar.yaml",
    "procedure.yaml",
)

Model = TypeVar("Model", bound=BaseModel)


class LawDataError(ValueError):
    """A law data file is missing, unreadable or does not match the schema."""


def default_data_dir() -> Path:
    return Path(str(resources.files("courtpath.law").joinpath("data", "ru")))


def _read(path: Path, model: type[Model]) -> tuple[Model, bytes]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LawDataError(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise LawDataError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None
    try:
        return model.model_validate(document), raw
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
        raise LawDataError(f"{path}: field {field}: {first['msg']}{more}") from None


def _check_references(book: LawBook, where: dict[str, Path]) -> None:
    known_sources = set(book.sources)
    known_questions = set(book.questions)
    for number, article in book.articles.items():
        path = where[number]
        for e_index, edition in enumerate(article.editions):
            refs = [(f"editions.{e_index}.sources", edition.sources)]
            refs += [(f"editions.{e_index}.parts.{i}.sources", p.sources) for i, p in enumerate(edition.parts)]
            refs += [(f"editions.{e_index}.notes.{i}.sources", n.sources) for i, n in enumerate(edition.notes)]
            for field, ids in refs:
                unknown = sorted(set(ids) - known_sources)
                if unknown:
                    raise LawDataError(f"{path}: field {field}: unknown source ids {unknown} (see sources.yaml)")
            asked = set(edition.open_questions).union(*(p.open_questions for p in edition.parts))
            unknown_q = sorted(asked - known_questions)
            if unknown_q:
                field = f"editions.{e_index}.open_questions"
                raise LawDataError(f"{path}: field {field}: unknown ids {unknown_q} (see open_questions.yaml)")


def _check_procedure_references(book: LawBook, directory: Path) -> None:
    """The sources and open questions calendar.yaml and procedure.yaml name exist."""
    known_sources, known_questions = set(book.sources), set(book.questions)
    refs: list[tuple[Path, str, list[str], list[str]]] = []
    if book.calendar is not None:
        path = directory / "calendar.yaml"
        refs.append((path, "statute.rule.sources", book.calendar.statute.rule.sources, []))
        for year, spec in book.calendar.years.items():
            refs.append((path, f"years.{year}.decree.sources", spec.decree.sources, []))
            refs.append((path, f"years.{year}.open_questions", [], spec.open_questions))
    if book.procedure is not None:
        path = directory / "procedure.yaml"
        refs += [(path, f"{where}.sources", rule.sources, []) for where, rule in book.procedure.rules()]
        refs += [(path, where, [], ids) for where, ids in book.procedure.questions()]
    for path, field, sources, questions in refs:
        unknown = sorted(set(sources) - known_sources)
        if unknown:
            raise LawDataError(f"{path}: field {field}: unknown source ids {unknown} (see sources.yaml)")
        unknown = sorted(set(questions) - known_questions)
        if unknown:
            raise LawDataError(f"{path}: field {field}: unknown ids {unknown} (see open_questions.yaml)")


def load_lawbook(data_dir: Path | None = None) -> LawBook:
    directory = data_dir or default_data_dir()
    digest = hashlib.sha256()
    articles: dict[str, ArticleSpec] = {}
    where: dict[str, Path] = {}
    for name in ARTICLE_FILES:
        path = directory / name
        article, raw = _read(path, ArticleSpec)
        if f"{article.article}.yaml" != name:
            raise LawDataError(f"{path}: field article: {article.article!r} does not match the file name")
        articles[article.article], where[article.article] = article, path
        digest.update(raw)
    general, raw = _read(directory / "general.yaml", GeneralSpec)
    digest.update(raw)
    contexts, raw = _read(directory / "contexts.yaml", ContextsSpec)
    digest.update(raw)
    sources, raw = _read(directory / "sources.yaml", SourcesSpec)
    digest.update(raw)
    questions, raw = _read(directory / "open_questions.yaml", OpenQuestionsSpec)
    digest.update(raw)
    calendar, raw = _read(directory / "calendar.yaml", CalendarSpec)
    digest.update(raw)
    procedure, raw = _read(directory / "procedure.yaml", ProcedureSpec)
    digest.update(raw)
    book = LawBook(
        articles=articles,
        general=general,
        contexts=contexts,
        sources=sources.sources,
        questions=questions.questions,
        version=digest.hexdigest()[:16],
        calendar=calendar,
        procedure=procedure,
    )
    _check_references(book, where)
    _check_procedure_references(book, directory)
    return book


@cache
def default_lawbook() -> LawBook:
    return load_lawbook()
