"""English: 17 Dec 2026 and 17 Dec 2026 08:00. Django's default for English (12/17/2026) is read the other way
round in most of the world; a month's name cannot be misread, and the clock is the 24-hour one of Moscow time."""

SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
