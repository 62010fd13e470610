"""Display formats of dates and times per language (FORMAT_MODULE_PATH in settings.py).

Only the display formats are set here; whatever a module leaves out (the input formats of forms among them) is
Django's own for the language. Templates show a day as `|date:"SHORT_DATE_FORMAT"` and a moment as
`|date:"SHORT_DATETIME_FORMAT"`, never a literal pattern such as "Y-m-d".
"""
