"""Telegram chats: who is behind each chat, their consent and language, account links, and
the outgoing messages the bot sends. The bot (`bot/`) is a front end on these actions."""
