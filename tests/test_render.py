from telegram import InlineKeyboardMarkup, InputTextMessageContent

from bot.telegram import callbacks, render
from bot.telegram.callbacks import More, Suggestion, Translate
from tests.fake_telegram import ApiError, parse_html


def _valid(text: str) -> str:
    """Telegram (our fake's strict parser) accepts it; returns the visible text."""
    visible = parse_html(text)
    assert render.visible_length(text) == len(visible.encode("utf-16-le")) // 2
    assert render.visible_length(text) <= 4096
    return visible


def test_answer_has_passage_citation_and_buttons(fake_engine):
    """An answer shows the passage, a citation, 'other language' and 'more' buttons."""
    answer = fake_engine.answer("Apa itu paradiplomasi?")
    rendered = render.render_answer(answer, fake_engine)
    visible = _valid(rendered.text)
    assert answer.passages[0].passage.text in visible
    assert "Agustina dkk. (2025)" in visible
    assert rendered.keyboard is not None
    buttons = [b for row in rendered.keyboard.inline_keyboard for b in row]
    actions = [callbacks.decode(str(b.callback_data)) for b in buttons]
    assert isinstance(actions[0], Translate) and isinstance(actions[1], More)
    partners = [fake_engine.passage_at(p).id for p in actions[0].positions]
    assert partners == [p.partner for p in answer.shown_passages]
    shown_next = [fake_engine.passage_at(p) for p in actions[1].positions]
    assert shown_next == [sp.passage for sp in answer.passages[answer.shown:]]


def test_refusal_offers_suggestions_as_buttons(built, fake_embedder):
    """A refusal is one polite line and suggested questions as buttons."""
    from index.answerability import FEATURES, Answerability
    from tests.conftest import make_engine

    engine = make_engine(built, fake_embedder, Answerability((0,) * len(FEATURES), -10.0))
    rendered = render.render_answer(engine.answer("What is the boiling point of water?"), engine)
    assert _valid(rendered.text).startswith("Sorry, the article does not cover that.")
    assert rendered.keyboard is not None
    buttons = [b for row in rendered.keyboard.inline_keyboard for b in row]
    assert [b.text for b in buttons] == list(engine.suggestions("en", n=4))
    assert all(isinstance(callbacks.decode(str(b.callback_data)), Suggestion) for b in buttons)


def test_everything_user_supplied_is_escaped(fake_engine):
    """HTML in questions or corpus text never reaches Telegram unescaped."""
    answer = fake_engine.answer("<b>apa</b> & <script>alert(1)</script> paradiplomasi?")
    for result in render.render_inline(answer, fake_engine):
        content = result.input_message_content
        assert isinstance(content, InputTextMessageContent)
        _valid(content.message_text)
    text = render.render_welcome(fake_engine, "id", "<Budi & Sari>").text
    assert "&lt;Budi &amp; Sari&gt;" in text
    _valid(text)


def test_long_text_is_split_at_block_boundaries():
    """Blocks join into messages under 4096 characters; none is cut unless it must be."""
    blocks = [f"<b>{i}</b> " + "kalimat panjang " * 30 for i in range(40)]
    messages = render.split_blocks(blocks)
    assert len(messages) > 1
    for m in messages:
        _valid(m)
    assert sum(m.count("<b>") for m in messages) == 40
    huge = render.split_blocks(["x " * 5000])
    assert len(huge) == 3 and all(render.visible_length(m) <= 4096 for m in huge)


def test_about_and_abstract_are_valid_html(fake_engine):
    """/about lists title, authors, affiliation, date, keywords; /abstrak is the whole text."""
    about = "\n".join(_valid(m) for m in render.render_about(fake_engine, "en"))
    for part in ["Istiq Agustina", "Universitas Sultan Ageng Tirtayasa", "30 December 2025",
                 "Regional Autonomy", "our translation"]:
        assert part in about
    abstract = "\n".join(_valid(m) for m in render.render_abstract(fake_engine, "id"))
    doc = next(iter(fake_engine.documents.values()))
    assert " ".join(doc.abstract["id"].split()) in " ".join(abstract.split())


def test_language_keyboard_offers_three_choices():
    """/bahasa offers auto, Indonesian and English."""
    keyboard = render.language_keyboard("id")
    assert isinstance(keyboard, InlineKeyboardMarkup)
    assert [row[0].callback_data for row in keyboard.inline_keyboard] == ["lg:auto", "lg:id", "lg:en"]


def test_fake_parser_rejects_what_telegram_rejects():
    """The fake server's HTML check refuses unknown tags, bad nesting, bare & and <."""
    for bad in ["<div>x</div>", "<b>x", "<b><i>x</b></i>", "a & b", "a < b", "<a>x</a>"]:
        try:
            parse_html(bad)
        except ApiError as err:
            assert err.description.startswith("Bad Request: can't parse entities")
        else:
            raise AssertionError(f"accepted {bad!r}")
    assert parse_html('<b>a</b> &amp; <a href="https://t.me">b</a>') == "a & b"


def test_a_near_tie_shows_both_passages_and_translates_both(fake_engine, monkeypatch):
    """Two near-tied sentences: both with citations, the second under "Juga relevan:"; the
    language button carries both partners, "more" only the passages not shown."""
    monkeypatch.setattr("index.answer.NEAR_TIE", 10.0)  # every pair of sentences is a tie
    answer = fake_engine.answer("kapasitas kelembagaan kerangka hukum")
    one, two = answer.shown_passages
    rendered = render.render_answer(answer, fake_engine)
    visible = _valid(rendered.text)
    assert visible.index(one.text) < visible.index("Juga relevan:") < visible.index(two.text)
    assert visible.count("Agustina dkk. (2025)") == 2
    assert rendered.keyboard is not None
    rows = rendered.keyboard.inline_keyboard
    translate, more = (callbacks.decode(str(b.callback_data)) for b in rows[0][:2])
    assert isinstance(translate, Translate) and isinstance(more, More)
    partners = [fake_engine.passage_at(p) for p in translate.positions]
    assert partners == [fake_engine.partner(one), fake_engine.partner(two)]
    assert [fake_engine.passage_at(p) for p in more.positions] == [
        sp.passage for sp in answer.passages[2:]]
    swapped = _valid(render.render_translation(fake_engine, partners, rows).text)
    assert partners[0].text in swapped and "Also relevant:" in swapped
    assert partners[1].text in swapped


def test_a_list_item_is_led_by_its_name(fake_engine):
    """"yg terakhir?" after the authors: "Penulis ke-4 dari 4: …" in bold above the author
    line and its citation."""
    from index.conversation import Conversation

    conversation = Conversation()
    fake_engine.answer("siapa penulisnya?", conversation=conversation)
    answer = fake_engine.answer("yg terakhir?", conversation=conversation)
    rendered = render.render_answer(answer, fake_engine)
    assert rendered.text.startswith("<b>Penulis ke-4 dari 4: Luki Oka Prasetio</b>\n\n")
    visible = _valid(rendered.text)
    assert answer.best.text in visible and "Agustina dkk. (2025)" in visible


def test_two_record_fields_are_both_the_answer(fake_engine):
    """The author line and the date asked together are shown one after the other, each with
    its citation, neither under "Juga relevan:" (that marks an aside)."""
    from index.answer import Answer, ScoredPassage

    doc = "paradiplomasi-kepala-daerah"
    shown = [fake_engine.searcher.passage(f"{doc}:id:{s}:1") for s in ("authors", "published")]
    answer = Answer("siapa penulisnya dan kapan terbit?", "id", "passage",
                    tuple(ScoredPassage(p, 1.0) for p in shown if p is not None), 2,
                    detail="authors")
    text = _valid(render.render_answer(answer, fake_engine).text)
    assert all(p is not None and p.text in text for p in shown)
    assert "Juga relevan" not in text and text.count("📄") == 2
