"""The web app in Russian and in English: the one catalogue (src/courtpath/locale/ru/LC_MESSAGES/django.po, checked for
completeness in tests/test_i18n.py) actually used when a page is rendered in Russian, and not in English; Django
templates extracted as `django-admin makemessages` would; the catalogue compiled at start-up; the engine's vocabulary
in the page's language.

When a test fails after you added or changed an English text, run `make messages` and translate the entries left
empty or marked fuzzy (README, "Translations").
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courtpath.law.vocabulary import CONTEXTS, INDICATORS, PENALTIES, STATUSES
from courtpath.web.accounts.models import Role, User
from courtpath.web.babel_extract import extract_django_template

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "courtpath" / "web"
PO_FILE = ROOT / "src" / "courtpath" / "locale" / "ru" / "LC_MESSAGES" / "django.po"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# The keywords Django's templatize() writes (makemessages hands xgettext the same ones).
KEYWORDS = parse_keywords(["_", "gettext", "ngettext:1,2", "pgettext:1c,2", "npgettext:1c,2,3"])


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="ru")


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    """(context, msgid) of every active entry; the singular msgid for plural entries."""
    return {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}


def template_messages(folder: Path) -> Catalog:
    """The messages of the templates under `folder`, extracted with courtpath.web.babel_extract (what `make messages`
    runs on them)."""
    found = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(folder),
        method_map=[("**.html", extract_django_template), ("**.txt", extract_django_template)],
        keywords=KEYWORDS,
        comment_tags=("Translators",),
    ):
        found.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return found


# -- Django templates: extracted as makemessages would -----------------------------------------------------------

PAGE = """{% load i18n %}
{# Translators: the page title #}
<h1>{% translate "Statistics" %}</h1>
<p>{% blocktranslate with name=user.username %}Hello {{ name }}{% endblocktranslate %}</p>
<p>{% blocktranslate count counter=n %}{{ counter }} request{% plural %}{{ counter }} requests{% endblocktranslate %}
</p>
<p>{% translate "May" context "verb" %}</p>
<p>{{ value|default:_("None.") }}</p>
"""


def test_template_extractor_reads_every_form_of_message() -> None:
    messages = list(extract_django_template(io.BytesIO(PAGE.encode()), KEYWORDS, ("Translators",), {}))
    found = {(message, tuple(comments)) for _, _, message, comments in messages}
    assert found == {
        ("Statistics", ("Translators: the page title",)),
        ("Hello %(name)s", ()),
        (("%(counter)s request", "%(counter)s requests", None), ()),
        (("verb", "May"), ()),
        ("None.", ()),
    }


def test_template_extractor_finds_what_makemessages_finds(tmp_path: Path) -> None:
    """courtpath.web.babel_extract and `django-admin makemessages` (GNU xgettext) agree on every template."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge") and shutil.which("msguniq")):
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "site"
    shutil.copytree(WEB, copy / "web", ignore=shutil.ignore_patterns("__pycache__", "*.py", "static"))
    (copy / "locale").mkdir()
    (copy / "makemessages_settings.py").write_text(
        f"SECRET_KEY = 'x'\nUSE_I18N = True\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {**os.environ, "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "makemessages_settings"}
    run = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ru", "-e", "html,txt", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    by_gettext = read_catalog(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    found = template_messages(WEB)
    assert len(keys(found)) > 200
    assert keys(found) == keys(by_gettext)


def test_templates_messages_are_in_the_catalogue() -> None:
    assert keys(template_messages(WEB)) <= keys(read_catalog(PO_FILE))


# -- the engine's vocabulary in the page's language -------------------------------------------------------------


def test_form_choices_are_the_vocabulary_in_the_page_language() -> None:
    from courtpath.web.cases.forms import CaseForm

    fields = CaseForm.base_fields
    with translation.override("ru"):
        status = dict(fields["status"].choices)
        assert [str(label) for label in status.values()] == [
            "Военнослужащий по призыву",
            "Военнослужащий по контракту",
            "Гражданин в запасе на военных сборах",
            "Военнослужащий, призванный по мобилизации",
            "Отбывающий наказание в дисциплинарной воинской части",
        ]
        assert str(dict(fields["sentence_type"].choices)["restriction"]) == "Ограничение по военной службе"
        assert str(dict(fields["context"].choices)["none"]) == "Нет"
        assert str(fields["context"].label) == "Особый период"
    with translation.override("en"):
        assert str(dict(fields["status"].choices)["conscript"]) == "Conscript"
        assert str(dict(fields["indicators"].choices)["job"]) == "Took a job"
    assert list(dict(fields["status"].choices)) == list(STATUSES)
    assert list(dict(fields["absence_kind"].choices)) == ["left-unit", "leave", "hospital", "trip", "transfer"]
    assert list(dict(fields["context"].choices)) == list(CONTEXTS)
    assert list(dict(fields["indicators"].choices)) == list(INDICATORS)
    assert list(dict(fields["sentence_type"].choices)) == ["", *PENALTIES]


def test_label_filter_names_codes_in_the_page_language() -> None:
    from django.template import Context, Template

    page = Template(
        '{% load courtpath_labels %}{{ p|label:"penalty" }}; {{ g|label:"gravity" }}; {{ x|label:"regime" }}'
    )
    values = Context({"p": "disciplinary_unit", "g": "small", "x": "unknown-code"})
    with translation.override("ru"):
        assert page.render(values) == "содержание в дисциплинарной воинской части; небольшой тяжести; unknown-code"
    with translation.override("en"):
        assert page.render(values) == "disciplinary military unit; small gravity; unknown-code"


# -- pages in Russian and in English ----------------------------------------------------------------------------

NAV = {  # English text -> Russian text, and the roles that see the link (none to a case an administrator cannot open)
    "Deadlines": ("Сроки", {Role.LAWYER, Role.COORDINATOR}),
    "Requests": ("Обращения", {Role.INTAKE, Role.COORDINATOR}),
    "Cases": ("Дела", {Role.LAWYER, Role.COORDINATOR}),
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
