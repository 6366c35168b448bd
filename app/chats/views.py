"""The citizen's Telegram page on the web: what the bot does, a code to link the bot to this
account, and the chats linked so far. The code is made by the action; the bot redeems it."""
from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from app.chats import actions, auth
from app.core.actor import check

bp = Blueprint("chats", __name__, template_folder="templates")


def _page(link=None):
    # The rule of the action this page exists for: staff accounts are not linked to the bot
    # (it acts for citizens), so they are refused here as the action would refuse them.
    check(auth.link_code_create(current_user))
    username = (current_app.config.get("TELEGRAM_BOT_USERNAME") or "").lstrip("@")
    resp = current_app.make_response(render_template(
        "chats/telegram.html", link=link, chats=actions.linked_chats(current_user),
        bot_username=username, ttl_minutes=int(actions.LINK_CODE_TTL.total_seconds() // 60)))
    resp.headers["Cache-Control"] = "private, no-store"  # a code is a key to this account
    return resp


@bp.route("/akun/telegram")
@login_required
def telegram():
    return _page()


@bp.route("/akun/telegram/kode", methods=["POST"])
@login_required
def link_code():
    """Shown once, on this response; asking again replaces the code."""
    return _page(actions.link_code_create(current_user))
