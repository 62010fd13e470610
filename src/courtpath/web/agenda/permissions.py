"""Who may see and change a case's manual dates, and who may have a digest or a calendar feed."""

from __future__ import annotations

from courtpath.web.accounts.models import Role, User
from courtpath.web.cases.models import Case
from courtpath.web.cases.permissions import can_work_on_cases


def may_see_case(user: User, case: Case) -> bool:
    """The rule of cases.selectors.visible_cases for one loaded case: a coordinator every case, a lawyer their own."""
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.LAWYER and case.lawyer_id == user.pk


def may_edit_items(user: User, case: Case) -> bool:
    return can_work_on_cases(user) and may_see_case(user, case)


def may_have_reminders(user: User) -> bool:
    """A digest or a feed lists the deadlines of the cases one may see: lawyers and coordinators (intake and
    administrators see no case)."""
    return bool(user.is_active) and can_work_on_cases(user)
