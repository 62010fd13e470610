"""Russian: 17.12.2026 and 17.12.2026 08:00, as Russian documents write them."""

SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
