"""Lecturers' features through the real bot and the fake Bot API: deep links, votes, /forget,
/stats, persistence; and the `link` and `report` commands."""

import asyncio
import csv
import datetime as dt
import functools
import io
import re
import time

import numpy as np
import pytest
import segno
import zxingcpp
from PIL import Image

from bot import deeplinks
from bot.cli import main as bot_main
from bot.replies import plain_text, reply_for
from bot.storage import Interaction, SQLiteStore
from tests.conftest import running_bot
from tests.fake_telegram import FakeTelegram

BOT = "TanyaParadiplomasiBot"


@pytest.fixture
def student(fake_tg):
    user = FakeTelegram.user(501, "Budi", "id")
    return user, fake_tg.private_chat(user)


async def _start(fake_tg, chat, user, payload, after=0):
    fake_tg.send_command(chat, user, f"/start {payload}".strip())
    return (await fake_tg.until(fake_tg.replies(chat["id"], after=after)))[0]


async def test_deep_links_answer_at_once(fake_tg, bot_settings, fake_engine, student):
    """/start with a question payload (inline or stored) answers it; language is honoured."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine) as app:
        payload = deeplinks.inline_payload("siapa penulisnya?", "en")
        reply = await _start(fake_tg, chat, user, payload)
        assert "This article was written by" in reply.visible or "Agustina et al." in reply.visible
        long_q = "Bagaimana peran kepala daerah dalam mendorong paradiplomasi untuk diplomasi " \
                 "ekonomi daerah menurut abstrak artikel ini?"
        assert deeplinks.inline_payload(long_q) is None
        link_id = app.bot_data.store.put_link(long_q, "auto", 30)
        reply = await _start(fake_tg, chat, user, deeplinks.stored_payload(link_id), after=1)
        assert fake_engine.answer(long_q).passages[0].passage.text in reply.visible
        rows = app.bot_data.store.interactions(0, 2e9)
        assert [r.source for r in rows] == ["deep_link", "deep_link"]
        shown = plain_text(reply_for(fake_engine.answer(long_q), fake_engine))
        assert rows[1].answer == shown  # kept for the CSV


@pytest.mark.parametrize("payload", ["%%%", "zz", "si" + "A" * 10, "qi@@", "x" * 65])
async def test_bad_payloads_get_the_normal_welcome(fake_tg, bot_settings, fake_engine, student,
                                                   payload):
    """Malformed, unknown or expired payloads: the welcome, never an error."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        reply = await _start(fake_tg, chat, user, payload)
    assert reply.visible.startswith("Halo, Budi!")
    assert fake_tg.errors == []


async def test_language_deep_link_sets_the_language(fake_tg, bot_settings, fake_engine, student):
    """/start le: the welcome and later answers come in English."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        reply = await _start(fake_tg, chat, user, deeplinks.language_payload("en"))
        assert reply.visible.startswith("Hello, Budi!")
        fake_tg.send_text(chat, user, "siapa penulisnya?")
        answer = (await fake_tg.until(fake_tg.replies(chat["id"], after=1)))[0]
        assert "Agustina et al." in answer.visible


async def test_votes_are_acknowledged_changeable_and_counted_once(fake_tg, bot_settings,
                                                                 fake_engine, student):
    """👍 twice counts once; 👎 then changes it; each press gets a short notice."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine) as app:
        fake_tg.send_text(chat, user, "Apa itu paradiplomasi?")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        notices = []
        for button in ["👍", "👍", "👎"]:
            qid = fake_tg.press(user, reply, reply.button(button))
            answer = await fake_tg.until(functools.partial(fake_tg.callback_answers.get, qid))
            notices.append(answer["text"])
        assert notices == ["Terima kasih atas penilaiannya!", "Penilaian sudah tercatat.",
                           "Penilaian diubah."]
        (row,) = app.bot_data.store.interactions(0, 2e9)
        assert (row.up, row.down) == (0, 1)
        qid = fake_tg.press(user, reply, "fb:999999:u")
        stale = await fake_tg.until(lambda: fake_tg.callback_answers.get(qid))
        assert "kedaluwarsa" in stale["text"]


async def test_forget_deletes_everything_about_the_user(fake_tg, bot_settings, fake_engine,
                                                       student):
    """/forget removes every row of that user and says so; others' rows stay."""
    user, chat = student
    other = fake_tg.user(502, "Sari")
    other_chat = fake_tg.private_chat(other)
    async with running_bot(bot_settings, fake_engine) as app:
        store = app.bot_data.store
        mine = app.bot_data.hasher(user["id"])
        fake_tg.send_text(chat, user, "Apa itu paradiplomasi?")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        fake_tg.press(user, reply, reply.button("👍"))
        fake_tg.send_text(other_chat, other, "siapa penulisnya?")
        await fake_tg.until(fake_tg.replies(other_chat["id"]))
        fake_tg.send_command(chat, user, "/bahasa")
        (menu,) = await fake_tg.until(fake_tg.replies(chat["id"], after=1))
        fake_tg.press(user, menu, menu.button("English"))
        await fake_tg.until(lambda: menu.edits == 1)
        assert store.count_rows(mine) == {"interactions": 1, "votes": 1, "preferences": 1}
        fake_tg.send_command(chat, user, "/forget")
        reply = (await fake_tg.until(fake_tg.replies(chat["id"], after=2)))[0]
        assert "deleted" in reply.visible
        assert store.count_rows(mine) == {"interactions": 0, "votes": 0, "preferences": 0}
        assert len(store.interactions(0, 2e9)) == 1


async def test_stats_for_admins_only_and_storage_survives_restart(fake_tg, bot_settings,
                                                                 fake_engine, student):
    """Admins get /stats (after a restart too: rows persist); others the unknown-command reply."""
    user, chat = student
    admin = fake_tg.user(900, "Dosen", "en")
    admin_chat = fake_tg.private_chat(admin)
    settings = bot_settings.model_copy(update={"admin_ids": [900]})
    async with running_bot(settings, fake_engine):
        for q in ["Apa itu paradiplomasi?", "apa itu paradiplomasi", "siapa penulisnya?"]:
            fake_tg.send_text(chat, user, q)
        await fake_tg.until(fake_tg.replies(chat["id"], count=3))
    async with running_bot(settings, fake_engine):
        fake_tg.send_command(chat, user, "/stats")
        denied = (await fake_tg.until(fake_tg.replies(chat["id"], after=3)))[0]
        fake_tg.send_command(admin_chat, admin, "/stats")
        (stats,) = await fake_tg.until(fake_tg.replies(admin_chat["id"]))
    assert denied.visible == "Perintah itu tidak saya kenal. Lihat /help."
    assert "Questions: 3" in stats.visible
    assert "2× apa itu paradiplomasi" in stats.visible.lower()  # either wording: handled concurrently


async def test_stats_fits_one_message_and_compares_with_the_week_before(fake_tg, bot_settings,
                                                                       fake_engine, student):
    """/stats after a dozen ~500-character questions is one message under Telegram's limit
    (questions shortened with …), names its days in local time, compares with the week
    before, counts active students and points to the report."""
    user, chat = student
    admin = fake_tg.user(900, "Dosen", "en")
    admin_chat = fake_tg.private_chat(admin)
    settings = bot_settings.model_copy(update={"admin_ids": [900], "flood_max_questions": 100})
    store = SQLiteStore(settings.database_path)
    week_ago = time.time() - 7 * 86400
    for i in range(5):
        store.record(Interaction("earlier", "private", "message", "id", f"pertanyaan {i}", True,
                                 passage_id="p", at=week_ago))
    long_qs = [f"{i} " + "bagaimana kepala daerah memakai paradiplomasi di daerah " * 9
               for i in range(12)]
    async with running_bot(settings, fake_engine, store):
        for q in long_qs:
            fake_tg.send_text(chat, user, q[:500])
        await fake_tg.until(fake_tg.replies(chat["id"], count=12))
        fake_tg.send_command(admin_chat, admin, "/stats")
        (stats,) = await fake_tg.until(fake_tg.replies(admin_chat["id"]))
    assert fake_tg.errors == []
    assert len(stats.visible.encode("utf-16-le")) // 2 <= 4096 and "…" in stats.visible
    today = dt.datetime.now(settings.zone()).date()
    assert f"–{today:%d/%m/%Y} (WIB, Asia/Jakarta)" in stats.visible
    assert "Questions: 12 (week before: 5, +140%)" in stats.visible
    assert "Active students: 1 (week before: 1, +0%)" in stats.visible
    assert "python -m bot report" in stats.visible


async def test_link_command_replies_with_a_qr_photo_that_resolves(fake_tg, bot_settings,
                                                                   fake_engine, student):
    """/link QUESTION (any user): a photo of the QR code with the question and the link as
    caption; the code decodes to the link, and opening it in another chat answers the
    question, stored in the bot's own database when it is too long for the link; /link alone
    explains itself."""
    user, chat = student
    other = fake_tg.user(502, "Sari")
    other_chat = fake_tg.private_chat(other)
    long_q = "Bagaimana peran kepala daerah dalam mendorong paradiplomasi untuk diplomasi " \
             "ekonomi daerah menurut abstrak artikel ini?"
    async with running_bot(bot_settings, fake_engine) as app:
        fake_tg.send_command(chat, user, "/link")
        (usage,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        fake_tg.send_command(chat, user, f"/link {long_q}")
        await fake_tg.until(lambda: fake_tg.photos)
        (photo,) = fake_tg.photos
        link = photo["caption"].splitlines()[-1]
        assert photo["caption"].splitlines()[0] == long_q
        image = Image.open(io.BytesIO(photo["content"]))
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [link]
        payload = link.split("start=")[1]
        assert isinstance(deeplinks.decode(payload), deeplinks.AskStored)
        reply = await _start(fake_tg, other_chat, other, payload)
        assert fake_engine.answer(long_q).passages[0].passage.text in reply.visible
        assert app.bot_data.store.served_by() == BOT
    assert "/link" in usage.visible and fake_tg.errors == []


def test_link_cli_stores_into_the_database_the_bot_started_on(bot_settings, tmp_path):
    """After the bot has run on a database, `link` from the command line stores into it."""
    async def run_once():
        async with running_bot(bot_settings, fake_engine_for(bot_settings)):
            pass
    asyncio.run(run_once())
    out = io.StringIO()
    assert bot_main(["link", "-q", LONG_Q], settings=bot_settings, stdout=out) == 0
    assert out.getvalue().splitlines()[1].startswith("stored as ")


def fake_engine_for(settings):
    from tests.conftest import make_engine
    from tests.fakes import FakeEmbedder

    return make_engine(settings, FakeEmbedder())


def _served(path, username=BOT):
    """A database the bot @username has started on."""
    store = SQLiteStore(path)
    store.mark_served(username)
    store.close()
    return path


def _on_dark(image: Image.Image, margin: int = 80) -> Image.Image:
    """The image pasted on a near-black slide."""
    slide = Image.new("RGB", (image.width + 2 * margin, image.height + 2 * margin), "#111111")
    slide.paste(image.convert("RGB"), (margin, margin))
    return slide


def test_link_command_and_qr_codes_decode_back(tmp_path, bot_settings):
    """`link` prints the t.me link; the PNG (≥ 1000 px, caption under it) decodes back to it
    with a real decoder, also on a dark slide; a long question is stored in the bot's
    database and the output says where and until when; the SVG scales (viewBox, no fixed
    size), is white under the code and its quiet zone, holds the same QR matrix, and has the
    caption."""
    settings = bot_settings.model_copy(update={"telegram_bot_username": BOT})
    out = io.StringIO()
    assert bot_main(["link", "--question", "Apa itu paradiplomasi?", "--lang", "id", "--qr",
                     str(tmp_path / "qr.png")], settings=settings, stdout=out) == 0
    link = out.getvalue().splitlines()[0]
    assert link == f"https://t.me/{BOT}?start={deeplinks.inline_payload('Apa itu paradiplomasi?', 'id')}"
    assert not settings.database_path.exists()  # a short question needs no database
    image = Image.open(tmp_path / "qr.png")
    assert min(image.size) >= 1000 and image.height > image.width  # the caption
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [link]
    assert [r.text for r in zxingcpp.read_barcodes(_on_dark(image))] == [link]

    _served(settings.database_path)
    out = io.StringIO()
    long_q = "Bagaimana kepemimpinan kepala daerah yang visioner mengubah paradiplomasi menjadi " \
             "kebijakan publik yang terukur dan berkelanjutan?"
    assert bot_main(["link", "-q", long_q, "--qr", str(tmp_path / "qr.svg"), "--caption",
                     "Scan & ask <the bot>"], settings=settings, stdout=out) == 0
    link, note, qr_line = out.getvalue().splitlines()
    payload = link.split("start=")[1]
    assert len(payload) <= 64 and deeplinks.PAYLOAD_RE.match(payload)
    stored = deeplinks.decode(payload)
    assert isinstance(stored, deeplinks.AskStored)
    assert note.startswith(f"stored as {stored.link_id} in {settings.database_path}")
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=settings.link_ttl_days)
    assert f"expires {expires.astimezone(settings.zone()):%Y-%m-%d}" in note and "(WIB" in note
    store = SQLiteStore(settings.database_path)
    assert store.get_link(stored.link_id) == (long_q, "auto")
    store.close()
    svg = (tmp_path / "qr.svg").read_text()
    root = svg[:svg.index(">")]
    assert 'viewBox="0 0 ' in root and "width=" not in root and "height=" not in root
    side = len(segno.make(link, error="q", micro=False).matrix) + 8
    assert f'<rect width="{side}" height=' in svg and 'fill="#fff"' in svg
    assert "Scan &amp; ask &lt;the bot&gt;</text>" in svg
    matrix = np.array(segno.make(link, error="q", micro=False).matrix, dtype=np.uint8)
    drawn = np.zeros_like(matrix)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        drawn[int(y) - 4, int(x) - 4:int(x) - 4 + int(w)] = 1
    assert (drawn == matrix).all()


def test_link_caption_defaults_to_the_bot_name(tmp_path, bot_settings):
    """Without a question or --caption, the code's caption is @BotName."""
    settings = bot_settings.model_copy(update={"telegram_bot_username": BOT})
    assert bot_main(["link", "--qr", str(tmp_path / "q.svg")], settings=settings,
                    stdout=io.StringIO()) == 0
    assert f"@{BOT}</text>" in (tmp_path / "q.svg").read_text()


LONG_Q = "Bagaimana kepala daerah memakai paradiplomasi untuk menarik investasi asing ke daerah?"


@pytest.mark.parametrize("state", ["missing", "unused", "other bot"])
def test_link_refuses_a_database_no_bot_reads(tmp_path, bot_settings, capsys, state):
    """A long question is not stored where the bot would never find it: no database (none is
    created), one no bot has used, or another bot's; one line saying what to do, exit 1."""
    settings = bot_settings.model_copy(update={"telegram_bot_username": BOT})
    path = settings.database_path
    if state == "unused":
        SQLiteStore(path).close()
    elif state == "other bot":
        _served(path, "SomeOtherBot")
    out = io.StringIO()
    assert bot_main(["link", "-q", LONG_Q], settings=settings, stdout=out) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and out.getvalue() == ""
    assert ("/link QUESTION" in err and "DATABASE_PATH" in err) if state != "other bot" else \
        "@SomeOtherBot" in err
    assert path.exists() == (state != "missing")


@pytest.mark.parametrize("state", ["missing", "unused"])
def test_report_refuses_a_missing_or_unused_database(tmp_path, bot_settings, capsys, state,
                                                     monkeypatch):
    """`report` on a laptop without the bot's database writes no empty report: one line,
    exit 1, and no database is created."""
    monkeypatch.chdir(tmp_path)
    if state == "unused":
        SQLiteStore(bot_settings.database_path).close()
    assert bot_main(["report"], settings=bot_settings, stdout=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DATABASE_PATH" in err
    assert not list(tmp_path.glob("report-*"))
    assert bot_settings.database_path.exists() == (state == "unused")


def test_link_username_from_get_me(fake_tg, bot_settings):
    """Without TELEGRAM_BOT_USERNAME the username comes from Telegram's getMe."""
    out = io.StringIO()
    assert bot_main(["link", "--lang", "en"], settings=bot_settings, stdout=out) == 0
    assert out.getvalue().strip() == f"https://t.me/{BOT}?start=le"


def test_link_needs_a_username(bot_settings, capsys):
    """No username and no token: one clear line, exit 1."""
    settings = bot_settings.model_copy(update={"telegram_bot_token": None})
    assert bot_main(["link"], settings=settings, stdout=io.StringIO()) == 1
    assert "TELEGRAM_BOT_USERNAME" in capsys.readouterr().err


async def test_report_command_writes_html_and_csv(fake_tg, bot_settings, fake_engine, student,
                                                  tmp_path):
    """`report` writes the page and the CSV for a date range from what the bot stored."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        for q in ["Apa itu paradiplomasi?", "Siapa presiden pertama Indonesia?"]:
            fake_tg.send_text(chat, user, q)
        await fake_tg.until(fake_tg.replies(chat["id"], count=2))
    # (the report's days are the configured zone's, WIB: after 17:00 UTC it is tomorrow there)
    today = dt.datetime.now(bot_settings.zone()).date().isoformat()
    out = io.StringIO()
    code = await asyncio.to_thread(
        bot_main, ["report", "--from", today, "--to", today, "--html", str(tmp_path / "r.html"),
                   "--csv", str(tmp_path / "r.csv")], bot_settings, None, None, out)
    assert code == 0
    assert out.getvalue().startswith("2 questions")
    assert "Apa itu paradiplomasi" in (tmp_path / "r.html").read_text()
    with open(tmp_path / "r.csv", newline="", encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) == 3  # a header and two questions
