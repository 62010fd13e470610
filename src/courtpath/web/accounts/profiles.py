"""The texts of a staff profile (models.StaffProfile): how they are tidied and what they may hold.

They are printed in documents (DOCX, PDF), so each is one line with no control, invisible or reordering character;
`normalise` tidies the whitespace, the validators refuse the rest. The model's fields carry the validators, so the
form and `services.save_profile` apply the same rules.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FULL_NAME_MAX = 150
POSITION_MAX = 100
BAR_NUMBER_MAX = 30
BAR_MAX = 300

# Control (Cc), format (Cf: zero-width and bidirectional marks, soft hyphen), private-use (Co), surrogate (Cs) and
# unassigned (Cn) characters: invisible in a document, or able to reorder what is printed around them.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
# A name: words of letters, joined by spaces, hyphens, apostrophes; a word may end with a full stop (an initial).
_NAME_CHARACTER = re.compile(r"[^\W\d_]|[ \-'’.]")
# A registry number such as 77/12345: letters, digits, spaces and / - . №.
# Separators and word characters are disjoint, so the pattern cannot backtrack much.
_BAR_NUMBER = re.compile(r"[^\W_]+(?:[ /\-.№]+[^\W_]+)*")


def normalise(text: str) -> str:
    """`text` in NFC with its whitespace runs (line breaks and tabs too) as single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def validate_printable(text: str) -> None:
    if any(unicodedata.category(character) in _HIDDEN_CATEGORIES for character in text):
        raise ValidationError(_("Remove the invisible or control characters from this text."), code="hidden")


def validate_full_name(text: str) -> None:
    validate_printable(text)
    if not text:
        return
    if not all(_NAME_CHARACTER.fullmatch(c) or unicodedata.category(c) == "Mn" for c in text):
        raise ValidationError(
            _("Use letters, spaces, hyphens, apostrophes and full stops only."), code="name_characters"
        )
    words = [word for word in text.split() if any(character.isalpha() for character in word)]
    if len(words) < 2:
        raise ValidationError(_("Enter at least a surname and a first name."), code="name_words")


def validate_bar_number(text: str) -> None:
    validate_printable(text)
    if not text or len(text) > BAR_NUMBER_MAX:  # too long: the field's length validator says so
        return
    if not _BAR_NUMBER.fullmatch(text):
        raise ValidationError(_("Use letters, digits, spaces and / - . № only."), code="bar_number")
