"""Telegram front end: the bot citizens use to search data, file and follow requests and
answer the survey. A front end like the web views: handlers call the actions of app/ through
the thread bridge (bot/bridge.py). Built by bot.app.build_application; run by `flask bot
run` (polling) or the webhook route (bot/webhook.py)."""
import os

# python-telegram-bot 22 warns on every RetryAfter (even inside its own rate limiter) unless
# durations are opted in to datetime.timedelta, its next major version's behaviour. The bot
# reads no duration as an int, so it opts in.
os.environ.setdefault("PTB_TIMEDELTA", "true")
