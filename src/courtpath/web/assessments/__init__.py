"""Assessments of a case: the saved assessment pages, the deadlines they give and the "what if" re-assessment."""
