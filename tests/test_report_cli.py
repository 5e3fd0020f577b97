"""`python -m bot report` and `link` against a database the bot used: what they write, and one
line (never a traceback) when a path, a date or the database is wrong."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main as bot_main
from bot.settings import DAY_SECONDS, BotSettings
from bot.storage import Interaction, SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
BOT = "TanyaParadiplomasiBot"
DAY = DAY_SECONDS


@pytest.fixture
def db_settings(tmp_path) -> BotSettings:
    """Settings whose database holds two weeks of questions by a bot that started on it; no
    index (the report then groups by wording)."""
    path = tmp_path / "db" / "bot.sqlite3"
    store = SQLiteStore(path)
    store.mark_served(BOT)
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    for i in range(14):
        store.record(Interaction(f"u{i % 5}", "private", "message", "id",
                                 "apa itu paradiplomasi?" if i % 3 else "=1+2", i % 3 != 0,
                                 reason=None if i % 3 else "not_in_article",
                                 passage_id="d:id:abstract:1" if i % 3 else None,
                                 answer="Paradiplomasi adalah …" if i % 3 else "Maaf.",
                                 at=now - (13 - i) * DAY))
    store.close()
    return BotSettings(_env_file=None, database_path=path, index_dir=tmp_path / "no-index",
                       telegram_bot_username=BOT)


def _report(settings, *args) -> tuple[int, str]:
    out = io.StringIO()
    code = bot_main(["report", *args], settings=settings, stdout=out)
    return code, out.getvalue()


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    return err


def test_report_writes_page_csv_and_xlsx(db_settings, tmp_path):
    """The page in the chosen language, the CSV with BOM and the XLSX, for the last 30 days."""
    code, out = _report(db_settings, "--html", str(tmp_path / "r.html"), "--csv",
                        str(tmp_path / "r.csv"), "--xlsx", str(tmp_path / "r.xlsx"), "--lang", "en")
    assert code == 0
    assert out.startswith("14 questions, 64% answered, 5 students")
    assert "5 weeks" in out or "6 weeks" in out
    page = (tmp_path / "r.html").read_text()
    assert '<html lang="en">' in page and "Most often not answered" in page
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "r.csv", encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) == 15
    assert load_workbook(tmp_path / "r.xlsx").active.max_row == 15


def test_report_html_into_a_missing_folder(db_settings, tmp_path, capsys):
    """--html /nonexistent/x.html: one line naming the file, exit 1, nothing else written."""
    code, _ = _report(db_settings, "--html", "/nonexistent/x.html", "--csv",
                      str(tmp_path / "r.csv"))
    assert code == 1
    assert "cannot write /nonexistent/x.html" in _one_error_line(capsys)
    assert not (tmp_path / "r.csv").exists()


def test_report_csv_unwritable_after_the_html(db_settings, tmp_path, capsys):
    """The CSV cannot be written (a folder is in the way) after the page was: one line that
    says the page was written and the CSV not, exit 1."""
    (tmp_path / "taken.csv").mkdir()
    code, _ = _report(db_settings, "--html", str(tmp_path / "r.html"), "--csv",
                      str(tmp_path / "taken.csv"))
    assert code == 1
    err = _one_error_line(capsys)
    assert f"wrote {tmp_path / 'r.html'}, but cannot write {tmp_path / 'taken.csv'}" in err
    assert (tmp_path / "r.html").exists()


def test_report_to_the_end_of_time_stops_today(db_settings, tmp_path):
    """--to 9999-12-31 is today: no overflow, the range ends today in TIMEZONE."""
    today = dt.datetime.now(db_settings.zone()).date()
    code, out = _report(db_settings, "--to", "9999-12-31", "--html", str(tmp_path / "r.html"),
                        "--csv", str(tmp_path / "r.csv"))
    assert code == 0 and f"– {today} (WIB, Asia/Jakarta)" in out


def test_report_from_the_year_one_starts_at_the_first_question(db_settings, tmp_path):
    """--from 0001-01-01 (once 208 MB of empty days) starts at the first stored question:
    a small page with weekly bars."""
    code, out = _report(db_settings, "--from", "0001-01-01", "--html", str(tmp_path / "r.html"),
                        "--csv", str(tmp_path / "r.csv"))
    assert code == 0 and out.startswith("14 questions")
    first = (dt.datetime.now(db_settings.zone()) - dt.timedelta(days=13)).date()
    assert f"{first} – " in out
    assert (tmp_path / "r.html").stat().st_size < 100_000


def test_report_from_the_future(db_settings, tmp_path, capsys):
    """A range that starts after today: one line, exit 1."""
    code, _ = _report(db_settings, "--from", "9999-01-01", "--html", str(tmp_path / "r.html"))
    assert code == 1 and "after today" in _one_error_line(capsys)


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_report_on_a_file_that_is_not_a_bot_database(db_settings, capsys, content):
    """Random bytes or an empty file as DATABASE_PATH: one line naming the path, exit 1."""
    db_settings.database_path.write_bytes(content)
    code, _ = _report(db_settings)
    assert code == 1 and str(db_settings.database_path) in _one_error_line(capsys)


def test_report_works_while_the_bot_holds_the_write_lock(db_settings, tmp_path):
    """The report only reads: another process holding the write lock does not delay it."""
    holder = sqlite3.connect(db_settings.database_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, out = _report(db_settings, "--html", str(tmp_path / "r.html"), "--csv",
                            str(tmp_path / "r.csv"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 0 and out.startswith("14 questions")


def _without_write_access(cmd: list[str], env: dict) -> subprocess.CompletedProcess:
    """Run ``cmd`` unable to write files it may only read: as root, without the capabilities
    that let root ignore file modes (setpriv); else as it is."""
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to drop root's file-mode override"
        cmd = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_report_on_a_read_only_database(db_settings, tmp_path):
    """A database file and folder the user may only read: the report is written all the same
    (it needs read access only)."""
    folder = db_settings.database_path.parent
    for p in folder.iterdir():
        p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    env = {**os.environ, "DATABASE_PATH": str(db_settings.database_path),
           "INDEX_DIR": str(tmp_path / "no-index"), "TIMEZONE": "Asia/Jakarta"}
    try:
        result = _without_write_access(
            [sys.executable, "-m", "bot", "report", "--html", str(tmp_path / "r.html"), "--csv",
             str(tmp_path / "r.csv")], env)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("14 questions") and (tmp_path / "r.csv").exists()


def test_link_qr_into_an_unwritable_folder(db_settings, tmp_path):
    """--qr into a folder the user may not write: the link is printed, then one line naming
    the file, exit 1."""
    folder = tmp_path / "slides"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    env = {**os.environ, "TELEGRAM_BOT_USERNAME": BOT, "DATABASE_PATH": str(tmp_path / "x")}
    try:
        result = _without_write_access(
            [sys.executable, "-m", "bot", "link", "--lang", "en", "--qr",
             str(folder / "qr.png")], env)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert result.returncode == 1
    assert result.stdout == f"https://t.me/{BOT}?start=le\n"
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(
        f"error: cannot write the QR code to {folder / 'qr.png'}")


def test_report_reads_a_database_one_schema_behind(db_settings, tmp_path):
    """Upgraded code, bot not yet restarted (the database is a schema or more behind, but
    has the questions and the meta table): the read-only report still reads it."""
    db = sqlite3.connect(db_settings.database_path)
    db.execute("PRAGMA user_version = 3")
    db.close()
    code, out = _report(db_settings, "--html", str(tmp_path / "r.html"), "--csv",
                        str(tmp_path / "r.csv"))
    assert code == 0 and out.startswith("14 questions")
