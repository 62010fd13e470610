"""Existing accounts under the rules of 0002: canonical usernames, and one-time passwords that expire.

A username becomes its canonical form (accounts.usernames.canonical: `Admin` -> `admin`) unless another existing
account has the same canonical form: those accounts are not merged or renamed, they keep their spelling and log in
with it; only new look-alikes are refused. A one-time password still unused gets 24 hours from now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import migrations
from django.utils import timezone

from courtpath.web.accounts.usernames import canonical


def forwards(apps: object, schema_editor: object) -> None:
    User = apps.get_model("accounts", "User")
    by_canonical: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, username in User.objects.values_list("pk", "username"):
        by_canonical[canonical(username)].append((pk, username))
    for name, accounts in by_canonical.items():
        if len(accounts) == 1 and accounts[0][1] != name and name:
            User.objects.filter(pk=accounts[0][0]).update(username=name)
    User.objects.filter(must_change_password=True, one_time_password_expires_at=None).update(
        one_time_password_expires_at=timezone.now() + dt.timedelta(hours=24)
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_device_cookies_and_one_time_password_expiry")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
