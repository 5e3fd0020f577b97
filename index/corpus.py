"""The corpus: one TOML file per document in ``corpus/``, validated before anything is built.

The format is documented in ``corpus/README.md``. :func:`load_corpus` reads every file,
collects every problem as one line ``FILE: FIELD: what is wrong`` and raises
:class:`CorpusError` with all of them, so a broken corpus never yields a half-built index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Language = Literal["id", "en"]
DOCUMENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")  # the file name, usable in links and ids
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")  # Crossref's pattern for modern DOIs
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
                "doi:")  # how DOIs are often written; stored bare
PAGES_RE = re.compile(r"^[A-Za-z]?\d+(-[A-Za-z]?\d+)?$")  # "12", "12-27", "e101"
CORPUS_SUFFIX = ".toml"
QUIZ_SUFFIX = ".quiz.toml"  # hand-written quiz items beside an article (index/quiz.py)


class CorpusError(Exception):
    """The corpus has problems; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Author(_Strict):
    name: str = Field(min_length=1)
    affiliation: str | None = Field(default=None, min_length=1)


class Translation(_Strict):
    """The title and keywords in the other language: our own translation (``source = "ours"``)
    or the article's own, as published (``source = "article"``, e.g. an OJS page's
    alternative title)."""

    title: str | None = Field(default=None, min_length=1)
    keywords: tuple[str, ...] = ()
    source: Literal["ours", "article"] = "ours"


class BodyPart(_Strict):
    """A stretch of the article's full text: under one heading, on one page."""

    section: str = Field(min_length=1, max_length=120)  # the heading: "Metode Penelitian"
    page: int | None = Field(default=None, ge=1)  # the journal's page it is on
    text: str = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _collapse(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise ValueError("the text is empty")
        return v


def _nonblank_items(values: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(v.strip() for v in values)
    if any(not v for v in cleaned):
        raise ValueError("must not contain empty entries")
    return cleaned


class Document(_Strict):
    """One article. ``id`` is the file name without ``.toml``."""

    id: str
    title: str = Field(min_length=1)
    language: Language
    published: dt.date
    keywords: tuple[str, ...] = ()
    authors: tuple[Author, ...] = Field(min_length=1)
    translation: dict[Language, Translation] = {}
    abstract: dict[Language, str] = Field(min_length=1)
    suggestions: dict[Language, tuple[str, ...]] = {}
    # Where it was published (all optional; for citations and links).
    journal: str | None = Field(default=None, min_length=1)
    volume: str | None = Field(default=None, min_length=1, max_length=20)
    issue: str | None = Field(default=None, min_length=1, max_length=20)
    pages: str | None = None  # "12-27"
    doi: str | None = None  # bare: "10.1234/abcd.5678"
    url: str | None = None  # the article's landing page
    pdf_url: str | None = None  # the article's PDF (full text)
    # The full text (from the PDF), in the article's language; becomes passages too.
    body: tuple[BodyPart, ...] = ()

    @field_validator("volume", "issue", mode="before")
    @classmethod
    def _number_as_text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("pages", mode="before")
    @classmethod
    def _pages(cls, v: object) -> object:
        if isinstance(v, int) and not isinstance(v, bool):
            v = str(v)
        if isinstance(v, str):
            v = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", v.strip())  # en dash, spaces
            if not PAGES_RE.match(v):
                raise ValueError(f"{v!r} is not a page or page range such as \"12-27\"")
        return v

    @field_validator("doi", mode="before")
    @classmethod
    def _doi(cls, v: object) -> object:
        if isinstance(v, str):
            v = v.strip()
            for prefix in DOI_PREFIXES:
                if v.lower().startswith(prefix):
                    v = v[len(prefix):]
            if not DOI_RE.match(v):
                raise ValueError(f"{v!r} is not a DOI such as \"10.1234/abcd.5678\"")
        return v

    @field_validator("url", "pdf_url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s/?#]+([/?#]\S*)?$", v):
            raise ValueError(f"{v!r} is not an http(s) address")
        return v

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _nonblank_items(v)

    @field_validator("abstract")
    @classmethod
    def _abstract(cls, v: dict[str, str]) -> dict[str, str]:
        out = {lang: " ".join(text.split()) for lang, text in v.items()}
        for lang, text in out.items():
            if not text:
                raise ValueError(f"the {lang!r} abstract is empty")
        return out

    @field_validator("suggestions")
    @classmethod
    def _suggestions(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {lang: _nonblank_items(qs) for lang, qs in v.items()}

    @model_validator(mode="after")
    def _translation_is_other_language(self) -> Document:
        if self.language in self.translation:
            raise ValueError(
                f"translation.{self.language}: the article is already in {self.language!r}; "
                "translations are for the other language"
            )
        return self

    # -- metadata in a given language ------------------------------------------------
    def title_in(self, language: str) -> tuple[str, bool] | None:
        """The title in ``language`` and whether it is our translation, or None."""
        if language == self.language:
            return self.title, False
        tr = self.translation.get(language)  # type: ignore[call-overload]
        return (tr.title, tr.source == "ours") if tr and tr.title else None

    def keywords_in(self, language: str) -> tuple[tuple[str, ...], bool]:
        """The keywords in ``language`` (maybe empty) and whether they are our translation."""
        if language == self.language:
            return self.keywords, False
        tr = self.translation.get(language)  # type: ignore[call-overload]
        return (tr.keywords, tr.source == "ours") if tr and tr.keywords else ((), False)

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def doi_url(self) -> str | None:
        """The DOI as a link, or None."""
        return f"https://doi.org/{self.doi}" if self.doi else None


def _field_name(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if not str(p).startswith("function-")]
    return ".".join(parts) or "(document)"


def load_document(path: Path) -> Document:
    """Read and validate one file; raises :class:`CorpusError` with one line per problem."""
    name = str(path)
    doc_id = path.name[: -len(CORPUS_SUFFIX)]
    problems: list[str] = []
    if not DOCUMENT_ID_RE.match(doc_id):
        problems.append(
            f"{name}: file name: {doc_id!r} must be lowercase letters, digits and '-' "
            "(it becomes the document's id)"
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CorpusError(problems + [f"{name}: (file): not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(problems + [f"{name}: (syntax): invalid TOML: {exc}"]) from None
    if "id" in raw:
        problems.append(f"{name}: id: not allowed; the file name is the id")
        raw.pop("id")
    try:
        doc = Document(id=doc_id, **raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False, include_input=False):
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {_field_name(err['loc'])}: {msg}")
        raise CorpusError(problems) from None
    if problems:
        raise CorpusError(problems)
    return doc


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The documents: every ``*.toml`` but the quiz files beside them."""
    return sorted(p for p in corpus_dir.glob(f"*{CORPUS_SUFFIX}")
                  if p.is_file() and not p.name.endswith(QUIZ_SUFFIX))


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every document of ``corpus_dir``, all valid, or :class:`CorpusError` listing every problem."""
    if not corpus_dir.is_dir():
        raise CorpusError([f"{corpus_dir}: (folder): no such corpus folder"])
    files = corpus_files(corpus_dir)
    if not files:
        raise CorpusError([f"{corpus_dir}: (folder): no *{CORPUS_SUFFIX} documents in it"])
    docs: list[Document] = []
    problems: list[str] = []
    for path in files:
        try:
            docs.append(load_document(path))
        except CorpusError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CorpusError(problems)
    return docs


def corpus_hash(corpus_dir: Path) -> str:
    """SHA-256 over the names and bytes of the corpus files (quiz files too): what the index
    was built from."""
    h = hashlib.sha256()
    quiz = sorted(p for p in corpus_dir.glob(f"*{QUIZ_SUFFIX}") if p.is_file())
    for path in corpus_files(corpus_dir) + quiz:  # a changed quiz file is validated again
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()
