"""Retrieval core of Tanya Paradiplomasi: corpus, passages, embedders, FAISS + BM25, answers.

Nothing here imports Telegram. The one way in is :meth:`index.answer.Engine.answer`.
"""

LANGUAGES = ("id", "en")  # Indonesian first: most students ask in Indonesian
DEFAULT_LANGUAGE = LANGUAGES[0]  # replies, menus and reports when nothing says otherwise
