"""Print templates (reports/templates) to HTML and PDF, with or without a request.

Reports are built by the web views, the scheduler and the CLI alike, so nothing here reads the
request: templates get what they show as arguments, and links are absolute (SITE_URL).
"""
from pathlib import Path

from flask import current_app
from jinja2 import FileSystemLoader

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment():
    """The app's Jinja environment (filters, gettext) reading the report templates."""
    app = current_app._get_current_object()
    env = app.extensions.get("reports.jinja")
    if env is None:
        env = app.jinja_env.overlay(loader=FileSystemLoader(str(TEMPLATES)))
        app.extensions["reports.jinja"] = env
    return env


def render_html(template, **context):
    context.setdefault("site_name", current_app.config["SITE_NAME"])
    context.setdefault("site_url", site_url())
    return environment().get_template(template).render(**context)


def html_to_pdf(html):
    """PDF bytes of a print template's HTML. Fonts come from fontconfig (DejaVu Sans, Debian's
    fonts-dejavu-core); the templates load nothing from the network."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only local files and data: URLs; a report never fetches from the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=str(TEMPLATES), url_fetcher=fetcher).write_pdf()


def site_url():
    return current_app.config["SITE_URL"].rstrip("/")
