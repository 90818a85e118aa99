"""Rendering: Jinja2 templates → HTML → WeasyPrint PDF, and the email built around them."""
