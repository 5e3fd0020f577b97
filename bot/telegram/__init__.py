"""The Telegram face: the application, its handlers, rendering and the Bot API client.

Everything that imports ``telegram`` lives here; the rest of ``bot/`` does not need it.
"""
