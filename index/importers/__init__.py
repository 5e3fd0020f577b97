"""Importers: journals into the corpus (``python -m index import``).

Sources are read into an :class:`~index.importers.article.Article` (``ojs`` for OJS article
pages, ``browser`` for a page's copied text, ``oai`` for OAI-PMH harvests, ``pdf`` for full
text), and :class:`~index.importers.writer.CorpusWriter` turns each into a validated corpus
file. See docs/import.md.
"""
