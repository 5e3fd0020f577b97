"""Faces of the answers: the command line, the terminal chat (and the Telegram bot)."""
