"""How `courtpath web serve` runs the app: gunicorn's worker model, the staff and public pools."""
