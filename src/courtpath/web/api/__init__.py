"""The JSON API for staff tools: POST /api/assess runs the law engine; personal API tokens authenticate it."""
