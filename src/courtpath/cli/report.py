"""Human-readable reports of an assessment and of the law data, printed with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from courtpath.i18n import _t, format_date, format_moment, ngettext, npgettext
from courtpath.law.date_status import DateStatus, date_status
from courtpath.law.facts import Facts
from courtpath.law.items import KeyDate
from courtpath.law.lawbook import LawBook
from courtpath.law.periods import Period
from courtpath.law.result import Assessment, Qualification
from courtpath.law.schema import ArticleSpec, EditionSpec, PartSpec
from courtpath.law.vocabulary import ARTICLE_KINDS, GRAVITY, PENALTIES, REGIMES, SEVERITIES, SUBJECTS

SEVERITY_STYLE = {"risk": "bold red", "warning": "yellow", "info": "cyan", "open_question": "magenta"}


def months_text(months: int, lang: str) -> str:
    """A term in a table cell, abbreviated: "2 y 6 m" / "2 г. 6 мес."."""
    years, rest = divmod(months, 12)
    parts = ([_t("{years} y", lang, years=years)] if years else []) + (
        [_t("{months} m", lang, months=rest)] if rest else []
    )
    return " ".join(parts) or "0"


def penalties_text(q: Qualification, lang: str) -> str:
    """Each penalty of the sanction with its range, marked ✗ when the court may not impose it on this person and *
    when only on a condition (the reasons are printed under the table: penalty_notes)."""
    marks = {"no": "✗ ", "conditional": "* "}
    return "\n".join(
        f"{marks.get(p.available, '')}{PENALTIES.name(p.type).render(lang)}: "
        f"{months_text(p.min_months, lang)} – {months_text(p.max_months, lang)}"
        for p in q.penalties
    )


def penalty_notes(qualifications: tuple[Qualification, ...], lang: str) -> list[str]:
    """Why a penalty is marked: one line per penalty not simply available, once per reason."""
    notes: list[str] = []
    for q in qualifications:
        for p in q.penalties:
            if p.reason is None:
                continue
            mark = "✗" if p.available == "no" else "*"
            label = _t("{article} part {part}", lang, article=q.article, part=q.part)
            note = f"{mark} {label}: {p.reason.render(lang)}"
            if note not in notes:
                notes.append(note)
    return notes


def key_date_mark(key_date: KeyDate, facts: Facts, lang: str) -> str:
    """Passed, ahead, or never reached (a boundary after the return): judged against the moment of assessment and the
    end of the absence, not against the end alone."""
    status = date_status(key_date, facts)
    if status is DateStatus.NOT_REACHED:
        return _t("not reached: the absence ended on {day}", lang, day=format_date(facts.end.date(), lang))
    if status is DateStatus.PASSED:
        return _t("already passed", lang)
    return _t("ahead", lang)


def print_assessment(assessment: Assessment, console: Console, lang: str) -> None:
    facts = assessment.facts
    versions = _t("engine {engine}, law data {law}", lang, engine=assessment.engine_version, law=assessment.law_version)
    title = _t("courtpath assessment", lang)
    console.print(f"[bold]{title}[/bold]  [dim]{versions}[/dim]")
    times: dict[str, object] = {"left": facts.left, "end": facts.end, "hours": round(assessment.duration_hours)}
    times["days"] = round(assessment.duration_hours / 24, 1)
    if facts.is_open:
        absence = _t("Left: {left}; still absent as of {end}; duration: {days} days ({hours} h)", lang, **times)
    else:
        absence = _t("Left: {left}; returned: {end}; duration: {days} days ({hours} h)", lang, **times)
    console.print(absence)
    if assessment.in_special_context:
        console.print(_t("Special context (mobilization, martial law, wartime, armed conflict): yes", lang))
    else:
        console.print(_t("Special context (mobilization, martial law, wartime, armed conflict): no", lang))

    yes, no = _t("yes", lang), _t("no", lang)
    table = Table(title=_t("Qualifications", lang), show_lines=True)
    table.add_column(_t("Article, part", lang))
    table.add_column(_t("Edition", lang))
    table.add_column(_t("Penalties", lang))
    table.add_column(_t("Gravity / limitation", lang))
    table.add_column(_t("Suspended possible", lang))
    table.add_column(_t("Colony (art. 58)", lang))
    table.add_column(_t("Cap, art. 62", lang))
    for q in assessment.qualifications:
        label = _t("{article} part {part}", lang, article=q.article, part=q.part)
        role = _t("primary", lang) if q.primary else _t("alternative", lang)
        kind = ARTICLE_KINDS.name(q.kind).render(lang)
        limitation = ngettext("{n} year", "{n} years", q.limitation_years, lang).format(n=q.limitation_years)
        cap = "—" if q.cap_months is None else _t("≤ {months} months", lang, months=float(q.cap_months))
        table.add_row(
            f"{label}\n[dim]{role}, {kind}[/dim]",
            q.edition_act,
            penalties_text(q, lang),
            f"{GRAVITY.name(q.gravity).render(lang)}\n{limitation}",
            yes if q.suspended_possible else no,
            REGIMES.name(q.colony_regime).render(lang) if q.colony_regime else "—",
            cap,
        )
    if assessment.qualifications:
        console.print(table)
        for note in penalty_notes(assessment.qualifications, lang):
            console.print(note, highlight=False)
    elif assessment.decision.unresolved:
        unresolved = _t(
            "Not settled: whether these facts are a crime is an open question of the law (see below).", lang
        )
        console.print(f"[bold]{unresolved}[/bold]")
    else:
        none = _t("No criminal qualification for these facts.", lang)
        console.print(f"[bold]{none}[/bold]")

    if assessment.key_dates:
        dates = Table(title=_t("Key dates", lang))
        dates.add_column(_t("Date", lang))
        dates.add_column(_t("What", lang))
        for key_date in assessment.key_dates:
            dates.add_row(
                f"{format_moment(key_date.at, lang)}\n[dim]{key_date_mark(key_date, facts, lang)}[/dim]",
                key_date.message.render(lang),
            )
        console.print(dates)

    if assessment.flags:
        heading = _t("Flags", lang)
        console.print(f"[bold]{heading}[/bold]")
        for flag in assessment.flags:
            style = SEVERITY_STYLE[flag.severity]
            console.print(
                f"  [{style}]{SEVERITIES.name(flag.severity).render(lang)}[/{style}]: {flag.message.render(lang)}",
                highlight=False,
            )

    heading = _t("Trace", lang)
    console.print(f"[bold]{heading}[/bold]")
    for number, step in enumerate(assessment.trace, 1):
        cites = "; ".join(c.label(lang) for c in step.citations)
        console.print(
            f"  {number}. {step.message.render(lang)}" + (f" [dim]— {cites}[/dim]" if cites else ""), highlight=False
        )
    advice = _t("Not legal advice: a lawyer must review every assessment.", lang)
    console.print(f"[dim]{advice}[/dim]")


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


def period_text(period: Period, lang: str) -> str:
    """A duration threshold in words, in the form that follows "more than" / "up to" (более 2 суток)."""
    parts = []
    if period.months:
        months = npgettext("term after from, up to", "{n} month", "{n} months", period.months, lang)
        parts.append(months.format(n=period.months))
    if period.days:
        days = npgettext("term after from, up to", "{n} day", "{n} days", period.days, lang)
        parts.append(days.format(n=period.days))
    return " ".join(parts)


def duration_text(part: PartSpec, lang: str) -> str:
    if part.duration is None:
        return _t("any duration", lang)
    over = _t("more than {period}", lang, period=period_text(part.duration.over, lang))
    if part.duration.up_to is None:
        return over
    return over + ", " + _t("up to {period} inclusive", lang, period=period_text(part.duration.up_to, lang))


def context_text(part: PartSpec, lang: str) -> str:
    if part.context == "k":
        return _t("only in a special period", lang)
    return _t("in any period", lang)


def requirement_text(code: str, lang: str) -> str:
    texts = {
        "weapon_or_group": _t("with a weapon or in a group", lang),
        "aim_full_release": _t("with the aim of full release from military service", lang),
    }
    return texts.get(code, code)


def sanction_text(part: PartSpec, law: LawBook, lang: str) -> str:
    """The part's penalties in words; one the General Part keeps out of force for everyone is marked."""
    kinds = {t.type: t for t in law.general.penalty_types}
    lines = []
    for p in part.penalties:
        term = (
            f"{months_text(p.min_months, lang)} – {months_text(p.max_months, lang)}"
            if p.min_months
            else _t("up to {term}", lang, term=months_text(p.max_months, lang))
        )
        line = f"{PENALTIES.name(p.type).render(lang)}: {term}"
        if not kinds[p.type].in_force:
            line = "✗ " + line + " " + _t("(not in force)", lang)
        lines.append(line)
    return "\n".join(lines)


def print_edition(article: ArticleSpec, edition: EditionSpec, law: LawBook, console: Console, lang: str) -> None:
    until = format_date(edition.valid_to, lang) if edition.valid_to else _t("today", lang)
    heading = _t("Art. {article}. {title}", lang, article=article.article, title=article.title.get(lang))
    console.print(f"[bold]{heading}[/bold]")
    act = f"{edition.act.number} {format_date(edition.act.date, lang)}"
    in_force = {"act": act, "valid_from": format_date(edition.valid_from, lang), "until": until}
    console.print(_t("Edition of {act}, in force {valid_from} – {until}", lang, **in_force))
    console.print(f"[dim]{edition.changes.get(lang)}[/dim]", highlight=False)
    table = Table(show_lines=True)
    table.add_column(_t("Part", lang))
    table.add_column(_t("Subject", lang))
    table.add_column(_t("Duration", lang))
    table.add_column(_t("Context", lang))
    table.add_column(_t("Penalties", lang), min_width=46)  # a penalty and its term on one line
    table.add_column(_t("Summary", lang))
    for part in edition.parts:
        number = part.part + ("" if part.numbering_confirmed else " (?)")
        origin = law.part_act(article.article, edition, part)
        table.add_row(
            f"{number}\n[dim]{origin}[/dim]",
            ", ".join(SUBJECTS.name(s).render(lang) for s in part.subjects)
            + "".join(f"\n+ {requirement_text(r, lang)}" for r in part.requires),
            duration_text(part, lang),
            context_text(part, lang),
            sanction_text(part, law, lang),
            part.summary.get(lang),
        )
    console.print(table)
    legend = _t("Special period: mobilization, martial law, wartime, armed conflict or hostilities.", lang)
    console.print(f"[dim]{legend}[/dim]", highlight=False)
    for note in edition.notes:
        console.print(_t("Note: {text}", lang, text=note.summary.get(lang)), highlight=False)
    label = _t("open question", lang)
    for question in edition.open_questions:
        text = law.questions[question]
        console.print(f"[magenta]{label}[/magenta]: {text.ru if lang == 'ru' else text.en}", highlight=False)
    sources = _t(
        "Sources: {sources}", lang, sources=", ".join(f"{s} ({law.sources[s].title})" for s in edition.sources)
    )
    console.print(f"[dim]{sources}[/dim]", highlight=False)
