"""Human-readable reports of an assessment and of the law data, printed with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from courtpath.i18n import Msg, format_date, format_moment
from courtpath.law.lawbook import LawBook
from courtpath.law.result import Assessment, Qualification
from courtpath.law.schema import ArticleSpec, EditionSpec
from courtpath.law.vocabulary import ARTICLE_KINDS, GRAVITY, PENALTIES, REGIMES, SEVERITIES

SEVERITY_STYLE = {"risk": "bold red", "warning": "yellow", "info": "cyan", "open_question": "magenta"}


def _t(msgid: str, lang: str, **params: object) -> str:
    return Msg(msgid, **params).render(lang)


def months_text(months: int, lang: str) -> str:
    years, rest = divmod(months, 12)
    if lang == "ru":
        parts = ([f"{years} г."] if years else []) + ([f"{rest} мес."] if rest else [])
    else:
        parts = ([f"{years} y"] if years else []) + ([f"{rest} m"] if rest else [])
    return " ".join(parts) or "0"


def penalties_text(q: Qualification, lang: str) -> str:
    return "\n".join(
        f"{PENALTIES.name(p.type).render(lang)}: {months_text(p.min_months, lang)} – {months_text(p.max_months, lang)}"
        for p in q.penalties
    )


def print_assessment(assessment: Assessment, console: Console, lang: str) -> None:
    facts = assessment.facts
    versions = _t("engine {engine}, law data {law}", lang, engine=assessment.engine_version, law=assessment.law_version)
    console.print(f"[bold]{_t('courtpath assessment', lang)}[/bold]  [dim]{versions}[/dim]")
    end_label = _t("returned", lang) if not facts.is_open else _t("still absent as of", lang)
    console.print(
        f"{_t('Left', lang)}: {format_moment(facts.left, lang)}; {end_label}: {format_moment(facts.end, lang)}; "
        f"{_t('duration', lang)}: {assessment.duration_hours / 24:.1f} {_t('days', lang)} "
        f"({assessment.duration_hours:.0f} {_t('h', lang)})"
    )
    console.print(
        f"{_t('Special context (mobilization, martial law, wartime, armed conflict)', lang)}: "
        f"{_t('yes', lang) if assessment.in_special_context else _t('no', lang)}"
    )

    table = Table(title=_t("Qualifications", lang), show_lines=True)
    for header in (
        "Article, part",
        "Edition",
        "Penalties",
        "Gravity / limitation",
        "Suspended possible",
        "Regime (first offence)",
        "Cap, art. 62",
    ):
        table.add_column(_t(header, lang))
    for q in assessment.qualifications:
        label = f"{q.article} ч. {q.part}" if lang == "ru" else f"{q.article} part {q.part}"
        role = _t("primary", lang) if q.primary else _t("alternative", lang)
        table.add_row(
            f"{label}\n[dim]{role}, {ARTICLE_KINDS.name(q.kind).render(lang)}[/dim]",
            q.edition_act,
            penalties_text(q, lang),
            f"{GRAVITY.name(q.gravity).render(lang)}\n{q.limitation_years} {_t('years', lang)}",
            _t("yes", lang) if q.suspended_possible else _t("no", lang),
            REGIMES.name(q.colony_regime).render(lang) if q.colony_regime else "—",
            "—" if q.cap_months is None else f"≤ {float(q.cap_months):g} {_t('months', lang)}",
        )
    if assessment.qualifications:
        console.print(table)
    else:
        console.print(f"[bold]{_t('No criminal qualification for these facts.', lang)}[/bold]")

    if assessment.key_dates:
        dates = Table(title=_t("Key dates", lang))
        dates.add_column(_t("Date", lang))
        dates.add_column(_t("What", lang))
        for key_date in assessment.key_dates:
            mark = _t("passed", lang) if key_date.passed else _t("ahead", lang)
            dates.add_row(f"{format_moment(key_date.at, lang)}\n[dim]{mark}[/dim]", key_date.message.render(lang))
        console.print(dates)

    if assessment.flags:
        console.print(f"[bold]{_t('Flags', lang)}[/bold]")
        for flag in assessment.flags:
            style = SEVERITY_STYLE[flag.severity]
            console.print(
                f"  [{style}]{SEVERITIES.name(flag.severity).render(lang)}[/{style}]: {flag.message.render(lang)}",
                highlight=False,
            )

    console.print(f"[bold]{_t('Trace', lang)}[/bold]")
    for number, step in enumerate(assessment.trace, 1):
        cites = "; ".join(c.label(lang) for c in step.citations)
        console.print(
            f"  {number}. {step.message.render(lang)}" + (f" [dim]— {cites}[/dim]" if cites else ""), highlight=False
        )
    console.print(f"[dim]{_t('Not legal advice: a lawyer must review every assessment.', lang)}[/dim]")


def edition_to_dict(article: ArticleSpec, edition: EditionSpec, law: LawBook, lang: str) -> dict[str, object]:
    return {
        "article": article.article,
        "title": article.title.get(lang),
        "edition": edition.edition,
        "act": {
            "number": edition.act.number,
            "date": edition.act.date.isoformat(),
            "in_force": edition.act.in_force.isoformat() if edition.act.in_force else None,
        },
        "valid_from": edition.valid_from.isoformat(),
        "valid_to": edition.valid_to.isoformat() if edition.valid_to else None,
        "confidence": edition.confidence,
        "sources": edition.sources,
        "changes": edition.changes.get(lang),
        "parts": [
            {
                "part": part.part,
                "numbering_confirmed": part.numbering_confirmed,
                "subjects": part.subjects,
                "duration": None
                if part.duration is None
                else {
                    "over": part.duration.over.iso,
                    "up_to": part.duration.up_to.iso if part.duration.up_to else None,
                },
                "context": part.context,
                "requires": part.requires,
                "penalties": [p.model_dump() for p in part.penalties],
                "summary": part.summary.get(lang),
                "citation": law.part_citation(article.article, edition, part).to_dict(lang),
            }
            for part in edition.parts
        ],
        "notes": [{"id": n.id, "parts": n.parts, "summary": n.summary.get(lang)} for n in edition.notes],
        "open_questions": {
            q: law.questions[q].ru if lang == "ru" else law.questions[q].en for q in edition.open_questions
        },
    }


def print_edition(article: ArticleSpec, edition: EditionSpec, law: LawBook, console: Console, lang: str) -> None:
    until = format_date(edition.valid_to, lang) if edition.valid_to else _t("today", lang)
    console.print(f"[bold]{_t('Art.', lang)} {article.article}. {article.title.get(lang)}[/bold]")
    console.print(
        f"{_t('Edition', lang)}: {edition.edition} ({edition.act.number} {format_date(edition.act.date, lang)}), "
        f"{_t('in force', lang)} {format_date(edition.valid_from, lang)} – {until}"
    )
    console.print(f"[dim]{edition.changes.get(lang)}[/dim]", highlight=False)
    table = Table(show_lines=True)
    for header in ("Part", "Who", "Duration", "Context", "Penalties", "Summary"):
        table.add_column(_t(header, lang))
    for part in edition.parts:
        duration = (
            "—"
            if part.duration is None
            else (f"> {part.duration.over.iso}" + (f", ≤ {part.duration.up_to.iso}" if part.duration.up_to else ""))
        )
        penalties = "\n".join(
            f"{PENALTIES.name(p.type).render(lang)}: "
            + (f"{months_text(p.min_months, lang)} – " if p.min_months else _t("up to", lang) + " ")
            + months_text(p.max_months, lang)
            for p in part.penalties
        )
        number = part.part + ("" if part.numbering_confirmed else " (?)")
        table.add_row(
            number,
            ", ".join(part.subjects) + (f"\n+ {', '.join(part.requires)}" if part.requires else ""),
            duration,
            part.context,
            penalties,
            part.summary.get(lang),
        )
    console.print(table)
    for note in edition.notes:
        console.print(f"{_t('Note', lang)}: {note.summary.get(lang)}", highlight=False)
    for question in edition.open_questions:
        text = law.questions[question]
        console.print(
            f"[magenta]{_t('open question', lang)}[/magenta]: {text.ru if lang == 'ru' else text.en}", highlight=False
        )
    sources = ", ".join(f"{s} ({law.sources[s].title})" for s in edition.sources)
    console.print(f"[dim]{_t('Sources', lang)}: {sources}[/dim]", highlight=False)
