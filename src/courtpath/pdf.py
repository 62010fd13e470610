"""HTML to PDF in memory (WeasyPrint), with no network and no file access.

Used by the public interview's "print / save" and by the staff's document drafts. Nothing is written to disk: the
PDF is returned as bytes and the caller streams it. The URL fetcher refuses every resource, so a template can never
make the server fetch anything (no external fonts, images or stylesheets); styles must be inline in the HTML.
"""

from __future__ import annotations


class PdfError(RuntimeError):
    """The PDF could not be produced (WeasyPrint or its system libraries, Pango, are missing)."""


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document to PDF bytes."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: Pango missing (Debian packages libpango-1.0-0 libpangoft2-1.0-0)
        raise PdfError(f"PDF output needs WeasyPrint and Pango: {error}") from error
    no_fetching = URLFetcher(allowed_protocols=frozenset())  # every scheme refused, data: and file: included
    return HTML(string=html, url_fetcher=no_fetching).write_pdf()
