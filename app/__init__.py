"""MejaData: the open-data service desk."""
from flask import Flask, jsonify, request, session

from app import config
from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(overrides=None):
    """Build the app: config, extensions, blueprints, error mapping."""
    app = Flask(__name__, instance_path=str(config.INSTANCE))
    from app.core.web import CleanRequest

    app.request_class = CleanRequest
    app.config.update(config.load(overrides))
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    from app.core import web

    web.init_app(app)
    app.add_url_rule("/healthz", "healthz", _healthz)
    return app


def _select_locale():
    from flask import current_app, has_request_context

    if not has_request_context():  # CLI, scheduler, bot bridge: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return session.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"]


def _init_extensions(app):
    from app import models  # noqa: F401 - every table known to SQLAlchemy and Alembic

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.ROOT / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(config.ROOT / "translations"))
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    from app.core.actor import AnonymousActor

    login_manager.anonymous_user = AnonymousActor


def _register_blueprints(app):
    from app.accounts.views import bp as accounts_bp
    from app.catalog.views import bp as catalog_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(catalog_bp)
    from app.kb.views import bp as kb_bp
    app.register_blueprint(kb_bp)
    from app.chats import notify as chats_notify  # noqa: F401 - registers "telegram.send"
    from app.chats.views import bp as chats_bp
    from app.tickets import notify  # noqa: F401 - registers the help desk's outbox handlers
    app.register_blueprint(chats_bp)
    from app.tickets.views import bp as tickets_bp
    app.register_blueprint(tickets_bp)
    from app.workdays.views import bp as workdays_bp
    app.register_blueprint(workdays_bp)
    from bot.webhook import bp as telegram_bp
    app.register_blueprint(telegram_bp)


def _register_cli(app):
    from app.accounts.cli import users_cli
    from app.catalog.cli import demo_cli, regions_cli, reports_cli, search_cli
    from app.core.cli import outbox_cli

    for group in (users_cli, regions_cli, demo_cli, outbox_cli, reports_cli, search_cli):
        app.cli.add_command(group)
    from app.workdays.cli import calendar_cli
    app.cli.add_command(calendar_cli)
    from app.tickets.cli import tickets_cli
    app.cli.add_command(tickets_cli)
    from bot.cli import bot_cli
    app.cli.add_command(bot_cli)


def _healthz():
    from sqlalchemy import text

    from app.core import storage

    try:
        db.session.execute(text("SELECT 1"))
        database = {"ok": True, "dialect": db.engine.dialect.name}
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        database = {"ok": False, "error": type(exc).__name__}
    store = storage.from_app().health()
    ok = database["ok"] and store["ok"]
    return jsonify(status="ok" if ok else "error", database=database, storage=store), (
        200 if ok else 503)
