"""Template tag libraries shared by several apps' templates, registered by name in settings.py (TEMPLATES)."""
