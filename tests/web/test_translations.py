"""The Russian Django catalogue of the web app: complete, up to date with the source, placeholders intact, and
actually used when a page is rendered in Russian (and not when it is rendered in English).

When a test here fails after you added or changed an English text in src/courtpath/web, run
`.venv/bin/python scripts/update_django_catalog.py` and translate the entries it lists in
src/courtpath/locale/ru/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts.models import Role, User

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "update_django_catalog.py"
PO_FILE = ROOT / "src" / "courtpath" / "locale" / "ru" / "LC_MESSAGES" / "django.po"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# A printf conversion as Python's % operator reads it (what Django applies to gettext results), or a brace field.
PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACES = re.compile(r"\{[^{}\s]*\}")


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_django_catalog", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="ru")


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    """(context, msgid) of every active entry; the singular msgid for plural entries."""
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}


def forms(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def placeholders(text: str) -> Counter[str]:
    found = Counter(PERCENT.findall(text)) + Counter(BRACES.findall(text))
    del found["%%"]  # a literal per cent sign
    return found


@pytest.fixture(scope="module")
def po() -> Catalog:
    return read_catalog(PO_FILE)


# -- the catalogue ----------------------------------------------------------------------------------------------


def test_every_message_has_a_reviewed_russian_translation(po: Catalog) -> None:
    messages = [m for m in po if m.id]
    assert len(messages) > 150
    untranslated = [m.id for m in messages if not all(f.strip() for f in forms(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (review, then remove the flag): {fuzzy}"
    not_russian = [m.id for m in messages if not any(CYRILLIC.search(f) for f in forms(m.string))]
    assert not not_russian, f"translations without a Russian word: {not_russian}"


def test_plural_entries_have_every_russian_form(po: Catalog) -> None:
    assert po.num_plurals == 3
    for message in po:
        if message.id and isinstance(message.id, tuple):
            assert len(forms(message.string)) == po.num_plurals, message.id


def test_placeholders_are_kept(po: Catalog) -> None:
    wrong = []
    for message in po:
        if not message.id:
            continue
        translations = forms(message.string)
        if isinstance(message.id, tuple):  # each plural form uses the msgids' placeholders, together all of them
            wanted = set().union(*(placeholders(msgid) for msgid in message.id))
            found = [set(placeholders(t)) for t in translations]
            if not all(f <= wanted for f in found) or set().union(*found) != wanted:
                wrong.append((message.id, translations))
        elif placeholders(translations[0]) != placeholders(message.id):
            wrong.append((message.id, translations[0]))
        if any("{{" in t or "{%" in t for t in translations):
            wrong.append((message.id, "template syntax in a translation"))
    assert not wrong, wrong


def test_catalogue_is_up_to_date_with_the_source(po: Catalog, tmp_path: Path) -> None:
    template = tmp_path / "django.pot"
    before = PO_FILE.read_bytes()
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--pot", str(template)], capture_output=True, text=True, check=False
    )
    extracted = read_catalog(template)
    missing, stale = keys(extracted) - keys(po), keys(po) - keys(extracted)
    assert not missing and not stale, (
        f"run scripts/update_django_catalog.py; missing from django.po: {sorted(missing, key=str)}; "
        f"no longer in the source: {sorted(stale, key=str)}"
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"ru: {len(keys(po))} messages, {len(keys(po))} translated" in run.stdout
    assert PO_FILE.read_bytes() == before, "--check must not write"


def test_extraction_finds_what_makemessages_finds(tmp_path: Path) -> None:
    """Babel + Django's templatize() (the tool) and `django-admin makemessages` (GNU xgettext) agree."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge") and shutil.which("msguniq")):
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "site"
    shutil.copytree(tool.SOURCE, copy / "web", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "locale").mkdir()
    (copy / "makemessages_settings.py").write_text(
        f"SECRET_KEY = 'x'\nUSE_I18N = True\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {**os.environ, "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "makemessages_settings"}
    run = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ru", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    by_gettext = read_catalog(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    assert keys(tool.extract()) == keys(by_gettext)


# -- the tool ---------------------------------------------------------------------------------------------------

VIEWS = """
from django.utils.translation import gettext as _, gettext_lazy, ngettext, pgettext_lazy

# Translators: shown after saving
SAVED = _("Saved %(code)s.")
LABEL = gettext_lazy("Stage")
MONTH = pgettext_lazy("month name", "May")
def many(n): return ngettext("%(n)s case", "%(n)s cases", n) % {"n": n}
def other(_t): return _t("not a Django message")
"""
PAGE = """{% load i18n %}
{# Translators: the page title #}
<h1>{% translate "Statistics" %}</h1>
<p>{% blocktranslate with name=user.username %}Hello {{ name }}{% endblocktranslate %}</p>
<p>{% blocktranslate count counter=n %}{{ counter }} request{% plural %}{{ counter }} requests{% endblocktranslate %}
</p>
<p>{% translate "May" context "verb" %}</p>
<p>{{ value|default:_("None.") }}</p>
"""


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tool pointed at a small web app of its own in tmp_path."""
    (tmp_path / "web" / "app" / "templates").mkdir(parents=True)
    (tmp_path / "web" / "app" / "views.py").write_text(VIEWS)
    (tmp_path / "web" / "app" / "templates" / "page.html").write_text(PAGE)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "SOURCE", tmp_path / "web")
    monkeypatch.setattr(tool, "LOCALE_DIR", tmp_path / "locale")
    return tmp_path


def test_tool_extracts_python_and_templates(sandbox: Path) -> None:
    template = tool.extract()
    assert keys(template) == {
        (None, "Saved %(code)s."),
        (None, "Stage"),
        ("month name", "May"),
        (None, "%(n)s case"),
        (None, "Statistics"),
        (None, "Hello %(name)s"),
        (None, "%(counter)s request"),
        ("verb", "May"),
        (None, "None."),
    }
    assert template.get(("%(n)s case", "%(n)s cases")).id == ("%(n)s case", "%(n)s cases")
    assert template.get("Saved %(code)s.").auto_comments == ["Translators: shown after saving"]
    assert template.get("Statistics").auto_comments == ["Translators: the page title"]
    assert template.get("Stage").locations == [("web/app/views.py", 6)]


def test_tool_creates_merges_and_checks(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po_path = sandbox / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    assert tool.main([]) == 0  # creates the Russian catalogue
    assert "9 messages, 0 translated" in capsys.readouterr().out
    assert tool.main(["--check"]) == 1
    assert "untranslated: 'Stage'" in capsys.readouterr().out

    catalog = read_catalog(po_path)
    for message in catalog:
        if message.id:
            message.string = ("один", "два", "пять") if isinstance(message.id, tuple) else f"ру {message.id}"
    po_path.write_text(tool.render(catalog), encoding="utf-8")
    assert tool.main(["--check"]) == 0
    first = po_path.read_text(encoding="utf-8")
    assert "#: web/app/views.py\n" in first and ":6" not in first  # file-only locations
    assert "POT-Creation-Date" not in first and "PO-Revision-Date" not in first

    # Moving a text within its file changes nothing (locations name the file only).
    views = sandbox / "web" / "app" / "views.py"
    views.write_text("\n\n" + VIEWS)
    assert tool.main(["--check"]) == 0
    assert tool.main([]) == 0
    assert po_path.read_text(encoding="utf-8") == first

    # Renaming a text keeps its translation as a fuzzy suggestion, which --check reports until reviewed.
    views.write_text(VIEWS.replace('"Stage"', '"Stages"'))
    capsys.readouterr()
    assert tool.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert po_path.read_text(encoding="utf-8") == first  # --check writes nothing
    assert tool.main([]) == 0
    catalog = read_catalog(po_path)
    assert catalog.get("Stages").fuzzy and catalog.get("Stages").string == "ру Stage"
    assert catalog.get("Statistics").string == "ру Statistics" and not catalog.get("Statistics").fuzzy
    assert "Stage" in catalog.obsolete
    capsys.readouterr()
    assert tool.main(["--check"]) == 1
    assert "fuzzy: 'Stages'" in capsys.readouterr().out

    # When the old text comes back, so does its translation; the unreviewed suggestion is not kept.
    views.write_text(VIEWS)
    assert tool.main([]) == 0
    catalog = read_catalog(po_path)
    assert catalog.get("Stage").string == "ру Stage" and not catalog.get("Stage").fuzzy
    assert "Stages" not in catalog and "Stages" not in catalog.obsolete
    assert tool.main(["--check"]) == 0
    assert po_path.read_text(encoding="utf-8") == first


def test_tool_leaves_the_courtpath_domain_alone() -> None:
    assert tool.catalogue_path("ru") == PO_FILE
    assert tool.SOURCE == ROOT / "src" / "courtpath" / "web"
    assert "not a Django message" not in tool.msgids()  # `_t(...)` of the law engine's catalogue
    assert not any(CYRILLIC.search(msgid) for msgid in tool.msgids())


# -- pages in Russian and in English ----------------------------------------------------------------------------

NAV = {  # English text -> Russian text, and the roles that see the link
    "Deadlines": ("Сроки", {Role.INTAKE, Role.LAWYER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    "Requests": ("Обращения", {Role.INTAKE, Role.LAWYER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    "Cases": ("Дела", {Role.INTAKE, Role.LAWYER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    "What if": ("Что, если", {Role.LAWYER, Role.COORDINATOR}),
    "Statistics": ("Статистика", {Role.COORDINATOR, Role.ADMINISTRATOR}),
    "Accounts": ("Учётные записи", {Role.ADMINISTRATOR}),
    "Audit log": ("Журнал действий", {Role.ADMINISTRATOR}),
}
RUSSIAN_NAV = {russian for russian, _ in NAV.values()}
ALWAYS = {"Log out": "Выйти", "Language": "Язык", "Switch": "Сменить", "Skip to content": "Перейти к содержанию"}
ROLE_NAMES = {
    Role.INTAKE: ("Intake", "Приём обращений"),
    Role.LAWYER: ("Lawyer", "Адвокат"),
    Role.COORDINATOR: ("Coordinator", "Координатор"),
    Role.ADMINISTRATOR: ("Administrator", "Администратор"),
}


def nav_links(html: str) -> list[str]:
    nav = re.search(r"<nav\b.*?</nav>", html, re.DOTALL)
    assert nav is not None, "no <nav> on the page"
    return [text.strip() for text in re.findall(r"<a [^>]*>([^<]*)</a>", nav.group(0)) if text.strip() != "courtpath"]


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


@pytest.fixture
def logged_in(make_user: Callable[..., User], login: Callable[..., object]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        client = Client()
        login(client, make_user(role))
        return client

    return make


@pytest.mark.parametrize("role", [Role.INTAKE, Role.LAWYER, Role.COORDINATOR, Role.ADMINISTRATOR])
def test_logged_in_page_in_russian(role: str, logged_in: Callable[[str], Client]) -> None:
    client = logged_in(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert '<html lang="ru">' in html
    links = nav_links(html)
    assert [link for link in links if link in RUSSIAN_NAV] == [ru for ru, roles in NAV.values() if role in roles]
    assert all(CYRILLIC.search(link) for link in links), f"a link not in Russian: {links}"
    for english, russian in ALWAYS.items():
        assert russian in html and not has_phrase(text, english), english
    for english in NAV:
        assert not has_phrase(text, english), f"English {english!r} on the Russian page"
    assert f"({ROLE_NAMES[role][1]})" in text  # the role label, a model choice
    assert "Ближайшие сроки" in text  # the page itself, not only the frame


@pytest.mark.parametrize("role", [Role.INTAKE, Role.LAWYER, Role.COORDINATOR, Role.ADMINISTRATOR])
def test_logged_in_page_in_english(role: str, logged_in: Callable[[str], Client]) -> None:
    client = logged_in(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("cases:dashboard")).content.decode()
    text = visible_text(html)
    assert '<html lang="en">' in html
    links = nav_links(html)
    assert [link for link in links if link in NAV] == [english for english, (_, roles) in NAV.items() if role in roles]
    assert not any(CYRILLIC.search(link) for link in links), f"a link not in English: {links}"
    for english, russian in ALWAYS.items():
        assert english in html and russian not in html, english
    for russian, _ in NAV.values():
        assert not has_phrase(text, russian), f"Russian {russian!r} on the English page"
    assert f"({ROLE_NAMES[role][0]})" in text
    # The only Russian word on an English page is the name of the other language in the language menu.
    assert set(re.findall(r"[А-Яа-яЁё]+", text)) == {"Русский"}


def test_accept_language_and_the_language_switch(coordinator: User, login: Callable[..., object]) -> None:
    client = Client(headers={"accept-language": "en-GB,en;q=0.9"})
    login(client, coordinator)
    page = client.get(reverse("cases:request_list")).content.decode()
    assert nav_links(page)[:3] == ["Deadlines", "Requests", "Cases"] and "<h1>Requests</h1>" in page
    client = Client(headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.5"})
    login(client, coordinator)
    page = client.get(reverse("cases:request_list")).content.decode()
    assert nav_links(page)[:3] == ["Сроки", "Обращения", "Дела"] and "<h1>Обращения</h1>" in page

    # The menu of the page: switching to English sets the cookie, and the next page follows it.
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("cases:request_list")})
    assert response.status_code == 302 and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Requests</h1>" in client.get(reverse("cases:request_list")).content.decode()


def test_pages_without_a_language_are_russian(client: Client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert settings.LANGUAGE_CODE == "ru"
    assert "<h1>Войти</h1>" in html
    assert "Log in" not in visible_text(html)


def _copy_catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_bytes(PO_FILE.read_bytes())
    return folder


def test_catalogues_compile_whole_and_readable(tmp_path: Path) -> None:
    import stat

    from courtpath.web.catalogs import compile_catalogs

    folder = _copy_catalogue(tmp_path)
    assert compile_catalogs(tmp_path / "locale") == [folder / "django.mo"]
    assert stat.S_IMODE((folder / "django.mo").stat().st_mode) == 0o644
    assert not list(folder.glob("*.partial"))
    assert compile_catalogs(tmp_path / "locale") == []  # up to date: nothing written


def test_a_read_only_installation_keeps_its_catalogue_or_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from courtpath.web.catalogs import CatalogError, compile_catalogs

    folder = _copy_catalogue(tmp_path)

    def read_only(self: Path, data: bytes) -> int:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(Path, "write_bytes", read_only)
    with pytest.raises(CatalogError, match="compile the catalogues once at install time") as raised:
        compile_catalogs(tmp_path / "locale")
    assert isinstance(raised.value, OSError)  # the command line shows it as one line, exit code 2
    (folder / "django.mo").write_text("compiled at install time")  # monkeypatched write_bytes only
    os.utime(folder / "django.mo", (0, 0))  # older than the .po: it would be compiled again if it could
    assert compile_catalogs(tmp_path / "locale") == []
