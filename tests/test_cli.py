import io
import json
import os

import pytest

from bot.chat import CHAT_PROMPT
from bot.cli import main
from bot.settings import BotSettings


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool = False):
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def _run(args, engine, stdin_text="", tty=False):
    out = io.StringIO()
    code = main(args, settings=BotSettings(_env_file=None, telegram_bot_token=None), engine=engine,
                stdin=_Stdin(stdin_text, tty), stdout=out)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def _no_logging_config(monkeypatch):
    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)


def test_ask_prints_answer_and_citation(fake_engine):
    """`ask QUESTION` prints the passage and a citation line."""
    code, out = _run(["ask", "Kapan artikel ini diterbitkan?"], fake_engine)
    assert code == 0
    assert "30 Desember 2025" in out
    assert "— Tanggal terbit — Agustina dkk. (2025)" in out


def test_a_reference_in_the_terminal_names_the_other_styles(fake_engine):
    """The terminal has no style buttons: a reference ends with the other styles to ask for."""
    code, out = _run(["ask", "sitasi MLA dong"], fake_engine)
    assert code == 0 and "Sitasi MLA 9:" in out
    assert "Format lain: APA, MLA, Chicago, IEEE, Harvard, BibTeX, RIS" in out


def test_ask_and_chat_let_the_model_threads_wait_passively(fake_engine, monkeypatch):
    """Like the bot, `ask` and the chat set OMP_WAIT_POLICY=passive before a model loads:
    spinning OpenMP threads made them ~15x slower beside one other busy process."""
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    code, _ = _run(["ask", "apa itu paradiplomasi?"], fake_engine)
    assert code == 0 and os.environ["OMP_WAIT_POLICY"] == "passive"


def test_ask_json_one_object(fake_engine):
    """`ask --json QUESTION` prints exactly one JSON object with the contract's fields."""
    code, out = _run(["ask", "--json", "What are the keywords?"], fake_engine)
    assert code == 0
    (line,) = out.splitlines()
    data = json.loads(line)
    assert data["question"] == "What are the keywords?" and data["language"] == "en"
    assert data["passages"][0]["text"] == data["answer"]


def test_ask_json_reads_stdin_in_order(fake_engine, fake_embedder):
    """Without QUESTION, each input line gives one JSON line, in order, blank lines included."""
    questions = ["Apa itu paradiplomasi?", "", "Who wrote this article?"]
    code, out = _run(["ask", "--json"], fake_engine, "\n".join(questions) + "\n")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert [r["language"] for r in rows] == ["id", "id", "en"]
    assert rows[1]["answered"] is False


def test_ask_json_reads_half_a_surrogate_pair_as_the_replacement_character(fake_engine):
    """JSON can escape half a UTF-16 pair ("\\ud800"), which no output can encode: the line
    is answered with U+FFFD in its place, and the lines after it are answered too."""
    lines = '{"question": "apa itu paradiplomasi\\ud800"}\n{"question": "halo"}\n'
    code, out = _run(["ask", "--json"], fake_engine, lines)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["question"] for r in rows] == ["apa itu paradiplomasi\ufffd", "halo"]
    out.encode("utf-8")


def test_ask_without_question_on_a_terminal_is_usage_error(fake_engine):
    """`ask` with neither a question nor piped input is misuse: exit 2."""
    with pytest.raises(SystemExit) as info:
        _run(["ask"], fake_engine, tty=True)
    assert info.value.code == 2


def test_chat_answers_piped_questions_and_ends_at_eof(fake_engine):
    """Piped into chat, each line is answered with its citation; EOF ends with exit 0."""
    code, out = _run(["chat"], fake_engine, "siapa penulisnya?\n\nWhat are the keywords?\n")
    assert code == 0
    assert "Istiq Agustina" in out or "—" in out
    assert out.count("—") >= 2
    assert CHAT_PROMPT not in out


def test_chat_interactive_shows_prompts_and_quits(fake_engine):
    """On a terminal the chat greets, prompts before each question, and 'keluar' ends it."""
    code, out = _run(["chat"], fake_engine, "apa judulnya?\nkeluar\nnever asked\n", tty=True)
    assert code == 0
    assert out.count(CHAT_PROMPT) == 2
    assert "Judul" in out


def test_missing_index_is_one_line_and_exit_1(settings, capsys, monkeypatch):
    """No index: one clear line on stderr naming the build command, exit 1, no traceback."""
    monkeypatch.setattr("index.settings.Settings.make_embedder",
                        lambda self: __import__("tests.fakes").fakes.FakeEmbedder())
    code = main(["ask", "apa?"], settings=settings, stdin=_Stdin(""), stdout=io.StringIO())
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: no index in") and "python -m index build" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ask_joins_unquoted_words(fake_engine):
    """`ask apa itu paradiplomasi` without quotes is the same question as with them."""
    code, unquoted = _run(["ask", "Kapan", "artikel", "ini", "diterbitkan?"], fake_engine)
    assert code == 0
    assert unquoted == _run(["ask", "Kapan artikel ini diterbitkan?"], fake_engine)[1]


def test_ask_with_empty_standard_input_says_so(fake_engine, capsys):
    """Piped input without a single line is an error on stderr and exit 1, not silence."""
    code, out = _run(["ask", "--json"], fake_engine, "")
    assert code == 1 and out == ""
    assert "no question on standard input" in capsys.readouterr().err


def test_ask_reports_a_malformed_request_line_and_answers_the_rest(fake_engine, capsys):
    """A line written as a JSON object that is not a request gets an error object in its
    place (output line N is still input line N) and a message on stderr; exit 1."""
    lines = ['{"question": "Who wrote this article?", "language": "en"}',
             '{"question": "halo", "language": "fr"}',
             '{"question": "Apa itu paradiplomasi?",}',
             "Kapan artikel ini diterbitkan?"]
    code, out = _run(["ask", "--json"], fake_engine, "\n".join(lines) + "\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and len(rows) == 4
    assert rows[0]["answered"] and rows[3]["answered"]
    assert rows[1] == {"line": 2, "answered": False, "kind": "bad_request",
                       "error": rows[1]["error"]} and '"language" must be' in rows[1]["error"]
    assert rows[2]["kind"] == "bad_request" and "not valid JSON" in rows[2]["error"]
    err = capsys.readouterr().err
    assert "line 2:" in err and "line 3:" in err and "line 1:" not in err


def test_ask_with_an_empty_question_is_a_usage_error(fake_engine):
    """`ask ""` is misuse (exit 2), not "no question on standard input"."""
    with pytest.raises(SystemExit) as info:
        _run(["ask", "  "], fake_engine)
    assert info.value.code == 2


def test_ask_reports_an_unterminated_request_line(fake_engine):
    """A line starting '{"' that is cut off is a malformed request, not a question."""
    code, out = _run(["ask", "--json"], fake_engine, '{"question": "lanjut", "conversation": "x"\n')
    assert code == 1 and json.loads(out)["kind"] == "bad_request"


def test_ask_json_null_fields_count_as_not_given_and_shown_is_reported(fake_engine):
    """`"conversation": null, "language": null` are the optional fields left out, not an
    error; every answer says how many passages it shows."""
    line = '{"question": "Apa itu paradiplomasi?", "conversation": null, "language": null}\n'
    code, out = _run(["ask", "--json"], fake_engine, line)
    row = json.loads(out)
    assert code == 0 and row["kind"] == "passage" and row["shown"] == 1
    assert row["answer"] == row["passages"][0]["text"]


def test_ask_json_says_when_the_question_field_is_missing(fake_engine):
    """`{"Question": ...}` (a misspelt field) is reported as a missing "question"."""
    code, out = _run(["ask", "--json"], fake_engine, '{"Question": "apa itu paradiplomasi"}\n')
    row = json.loads(out)
    assert code == 1 and row["kind"] == "bad_request" and '"question" is missing' in row["error"]
