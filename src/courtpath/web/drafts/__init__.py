"""Document drafts of a case: the drafts page, a preview and the DOCX and PDF downloads (courtpath.drafting)."""
