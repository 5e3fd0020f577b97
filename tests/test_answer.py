import json
import re

import pytest

from bot.chat import parse_line, to_json
from bot.i18n import t
from bot.replies import incomplete_reference_note, plain_text, reply_for
from index.answer import ANSWERED, KINDS, MAX_QUESTION_CHARS, Engine
from index.answerability import FEATURES, Answerability
from index.conversation import Conversation
from index.intents import Intent
from tests.conftest import make_engine


def test_answer_rests_on_first_passage(fake_engine):
    """An answered question shows passages[0], in the question's language, kind passage."""
    answer = fake_engine.answer("Apa itu paradiplomasi?")
    assert answer.answered and answer.kind == "passage" and answer.language == "id"
    assert plain_text(reply_for(answer, fake_engine)) == answer.passages[0].passage.text
    assert answer.best == answer.passages[0].passage and answer.shown == 1
    scores = [sp.score for sp in answer.passages]
    assert scores == sorted(scores, reverse=True)
    assert len(answer.passages) == fake_engine.top_k


def test_refusal_is_polite_in_language_with_suggestions(built, fake_embedder):
    """When the model says 'not answerable', the reply says so and offers answerable questions."""
    never = Answerability((0.0,) * len(FEATURES), -10.0)
    engine = make_engine(built, fake_embedder, never)
    for question, lang in [("Siapa presiden pertama Indonesia?", "id"),
                           ("What is the boiling point of water?", "en")]:
        answer = engine.answer(question)
        assert not answer.answered and answer.language == lang
        assert answer.kind == answer.reason == "not_in_article"
        text = plain_text(reply_for(answer, engine))
        assert text.startswith(t(lang, "not_in_article"))
        assert 2 <= len(answer.suggestions) <= 3
        assert all(s in text for s in answer.suggestions)
        assert answer.best is None


def test_suggestions_come_from_the_corpus_in_language(fake_engine):
    """Suggested questions are the document's own, in the asked language."""
    assert fake_engine.suggestions("id")[0] == "Apa itu paradiplomasi?"
    assert fake_engine.suggestions("en")[0] == "What is paradiplomacy?"


def test_empty_and_junk_questions_do_not_search(fake_engine, fake_embedder):
    """Blank, invisible or symbol-only input gets a hint and never reaches the embedder."""
    for junk in ["", "   ", "\u200b\u200b", "?!?", "😀", "1234", "a b c", "\u0301\u0301"]:
        answer = fake_engine.answer(junk)
        assert answer.kind == "not_a_question" and answer.passages == ()
        text = plain_text(reply_for(answer, fake_engine))
        assert text.startswith(t(answer.language, "not_a_question"))
    assert fake_embedder.queries == []


def test_an_emoji_that_says_something_is_small_talk_without_search(fake_engine, fake_embedder):
    """"👍" alone acknowledges and "🙏" thanks, in the default language, without embedding;
    a mix that says two things ("👍🙏") or nothing ("😀") is no gesture."""
    assert (fake_engine.answer("👍").kind, fake_engine.answer("👍").detail) == ("smalltalk", "ack")
    assert fake_engine.answer("🙏 🙏").detail == "thanks"
    assert fake_engine.answer("👍🙏").kind == "not_a_question"
    assert fake_embedder.queries == []


def test_long_question_is_cut_and_answered(fake_engine, fake_embedder):
    """A 1,400-character question is cut to the limit at a word boundary and still answered."""
    answer = fake_engine.answer("paradiplomasi " * 100)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert answer.question.endswith("paradiplomasi")
    assert fake_embedder.queries[-1] == answer.question


def test_pasted_text_is_not_searched(fake_engine, fake_embedder):
    """10,000 characters: a polite 'too long' with suggestions, and no search at all."""
    answer = fake_engine.answer("paradiplomasi " * 720)
    assert answer.kind == answer.reason == "too_long" and answer.passages == ()
    assert plain_text(reply_for(answer, fake_engine)).startswith(t("id", "too_long"))
    assert fake_embedder.queries == []


def test_json_contract(fake_engine):
    """to_json has exactly the CLI contract's fields and types, "kind" among them ("page"
    only for full text)."""
    for question in ("What are the keywords?", "?!", "x" * 3000):
        data = to_json(fake_engine.answer(question), fake_engine)
        assert set(data) == {"question", "language", "answered", "kind", "detail", "shown",
                             "answer", "passages"}
        assert data["detail"] is None or isinstance(data["detail"], str)
        assert data["language"] in ("id", "en") and isinstance(data["answered"], bool)
        assert data["kind"] in KINDS and data["answered"] == (data["kind"] in ANSWERED)
        for p in data["passages"]:
            assert set(p) == {"text", "score", "language", "document", "section"}
            assert isinstance(p["score"], float) and p["document"] == "paradiplomasi-kepala-daerah"
        json.dumps(data)


def test_ask_lines_are_text_or_json_objects():
    """A JSON object line carries question, conversation and language; anything else is text."""
    line = parse_line('{"question": "lanjut", "conversation": 7, "language": "en"}\n')
    assert (line.question, line.conversation, line.language) == ("lanjut", "7", "en")
    assert parse_line('{"question": "x", "language": "fr"}').language is None
    assert parse_line("apa itu {paradiplomasi}?\r\n").question == "apa itu {paradiplomasi}?"
    assert parse_line('{"not": "a question"}').question == '{"not": "a question"}'
    assert parse_line("{broken json").question == "{broken json"


def test_citation_names_section_sentence_authors_year(fake_engine):
    """Citations read like 'Abstrak, kalimat 2 — Agustina dkk. (2025)'."""
    passage = fake_engine.passage("paradiplomasi-kepala-daerah:id:abstract:2")
    assert fake_engine.citation(passage) == "Abstrak, kalimat 2 — Agustina dkk. (2025)"
    partner = fake_engine.partner(passage)
    assert fake_engine.citation(partner) == "Abstract, sentence 2 — Agustina et al. (2025)"


def test_engine_loads_from_settings(built, fake_embedder):
    """Engine.load reads index and corpus named by the settings, with a given embedder."""
    engine = Engine.load(built, embedder=fake_embedder)
    assert engine.answer("siapa penulisnya?").language == "id"


def test_more_follows_the_previous_answer_without_repeating(fake_engine):
    """"lanjut" after an answer shows the next passage of that search, never one shown."""
    conversation = Conversation()
    first = fake_engine.answer("Kapan artikel ini diterbitkan?", conversation=conversation)
    seen = [first.best]
    for _ in range(3):
        more = fake_engine.answer("lanjut", conversation=conversation)
        assert more.kind == "passage" and more.detail == "more"
        assert more.best not in seen and more.language == "id"
        seen.append(more.best)


def test_translate_gives_the_previous_answer_in_the_other_language(fake_engine):
    """"in English please" after an Indonesian answer: its partner, language "en"."""
    conversation = Conversation()
    first = fake_engine.answer("Kapan artikel ini diterbitkan?", conversation=conversation)
    again = fake_engine.answer("in English please", conversation=conversation)
    assert again.kind == "passage" and again.language == "en"
    assert again.best == fake_engine.partner(first.best)


def test_follow_up_without_a_conversation_is_not_a_question(fake_engine):
    """"lanjut" out of the blue is no question: a hint with suggestions, nothing invented."""
    answer = fake_engine.answer("lanjut")
    assert answer.kind == "not_a_question" and not answer.passages


def test_summary_is_abstract_sentences_in_article_order(fake_engine):
    """A summary: 2-3 abstract sentences of the question's language, in article order."""
    answer = fake_engine.answer("rangkum dong")
    assert answer.kind == "summary" and answer.detail == "summary" and answer.answered
    shown = answer.shown_passages
    assert 2 <= len(shown) <= 3 and all(p.section == "abstract" for p in shown)
    assert [p.position for p in shown] == sorted(p.position for p in shown)
    assert shown[0].position == 1 and all(p.language == "id" for p in shown)


def test_citation_request_gives_a_reference_in_the_named_style(fake_engine):
    """"how do I cite this in MLA?" gives the MLA reference of the article."""
    answer = fake_engine.answer("how do I cite this article in MLA?")
    assert answer.kind == "citation" and answer.detail == "mla" and answer.answered
    assert answer.reference.startswith("Agustina, Istiq, et al.")


def test_not_stated_names_what_the_abstract_does_cover(fake_engine):
    """A method question gets "the abstract does not state ..." with the keywords, never a
    passage, and answered false."""
    answer = fake_engine.answer("metode penelitian apa yang digunakan?")
    assert answer.kind == "not_stated" and answer.detail == "method" and not answer.answered
    text = plain_text(reply_for(answer, fake_engine))
    assert "tidak menyebutkan metode" in text and "Paradiplomasi" in text


def test_smalltalk_is_friendly_and_never_a_refusal(fake_engine):
    """Greetings, thanks and a plain "ok" get a short reply in the user's language with
    suggestions ("ok" is no thanks: no "you're welcome")."""
    for message, lang, word in [("halo", "id", "Halo"), ("makasih ya", "id", "Sama-sama"),
                                ("thanks!", "en", "welcome"), ("oke kak", "id", "Oke!"),
                                ("got it", "en", "Okay!")]:
        answer = fake_engine.answer(message)
        assert answer.kind == "smalltalk" and answer.language == lang
        text = plain_text(reply_for(answer, fake_engine))
        assert word in text and t(lang, "not_in_article") not in text


def test_more_says_when_everything_has_been_shown(fake_engine):
    """"lanjut" after every passage was shown: "that is all the article says", not "the
    article does not cover that"."""
    conversation = Conversation()
    fake_engine.answer("Kapan artikel ini diterbitkan?", conversation=conversation)
    for _ in range(fake_engine.passage_count):
        last = fake_engine.answer("lanjut", conversation=conversation)
        if last.kind != "passage":
            break
    assert last.kind == "not_in_article" and last.detail == "exhausted" and not last.answered
    text = plain_text(reply_for(last, fake_engine))
    assert text.startswith(t("id", "more_exhausted")) and t("id", "not_in_article") not in text


def test_a_style_named_alone_is_a_citation_request(fake_engine):
    """"APA format pls", "yg MLA dong": a style and nothing about the content → that style's
    reference; "APA itu paradiplomasi?" is still a question."""
    for message, style in [("APA format pls", "apa"), ("yg MLA dong", "mla"), ("RIS", "ris")]:
        answer = fake_engine.answer(message)
        assert answer.kind == "citation" and answer.detail == style, message
    assert fake_engine.answer("APA itu paradiplomasi?").kind != "citation"


def test_an_undecided_language_follows_the_conversation(fake_engine):
    """"RIS" alone says nothing about language: in an English conversation the reply is
    English, in a fresh one Indonesian (the default)."""
    conversation = Conversation()
    fake_engine.answer("Who wrote this article?", conversation=conversation)
    assert fake_engine.answer("RIS", conversation=conversation).language == "en"
    assert fake_engine.answer("RIS").language == "id"


def test_a_not_stated_or_summary_intent_without_its_words_needs_more_evidence(fake_engine):
    """Near a not-stated or summary example but with none of its cue words ("berapa 2+2",
    "give me an example"): search decides unless the match is clearly above the threshold;
    with a cue word it stands; other intents are left alone."""
    threshold = fake_engine.recognizer.model.threshold
    near = Intent("not_stated.volume", threshold + 0.01)
    clear = Intent("not_stated.volume", threshold + 0.1)
    assert fake_engine._weak_without_cue(near, "berapa 2+2")
    assert not fake_engine._weak_without_cue(clear, "berapa 2+2")
    assert not fake_engine._weak_without_cue(near, "volume berapa")
    assert not fake_engine._weak_without_cue(Intent("summary", threshold + 0.01), "rangkum")
    assert fake_engine._weak_without_cue(Intent("summary", threshold + 0.01),
                                         "give me an example")
    assert not fake_engine._weak_without_cue(Intent("thanks", threshold + 0.01), "mantap")


def test_a_citation_warns_when_the_record_lacks_journal_and_doi(fake_engine):
    """The reference invents nothing, so a record without journal, volume, pages or DOI gets
    a note saying so; a complete record does not."""
    answer = fake_engine.answer("format APA")
    assert answer.kind == "citation"
    assert t("id", "citation_incomplete") in plain_text(reply_for(answer, fake_engine))
    doc = fake_engine.document(answer.document or "")
    assert doc is not None
    complete = doc.model_copy(update={"journal": "Jurnal Ilmu Pemerintahan", "volume": "7",
                                      "pages": "1-12", "doi": "10.1234/jip.v7i1.1"})
    assert incomplete_reference_note(complete, "id") is None
    assert incomplete_reference_note(doc, "en") == t("en", "citation_incomplete")


def _hit(passage, score):
    from index.search import Hit
    return Hit(passage, score, score, 0.0)


def test_only_text_sentences_scored_within_the_margin_are_a_near_tie(fake_engine):
    """Two abstract sentences closer than NEAR_TIE: a tie; further apart, or a metadata
    sentence among the two: not."""
    from index.answer import NEAR_TIE, _near_tie

    abstract = [p for p in fake_engine.searcher.passages
                if p.section == "abstract" and p.language == "en"]
    keywords = next(p for p in fake_engine.searcher.passages if p.section == "keywords")
    assert _near_tie([_hit(abstract[0], 0.9), _hit(abstract[1], 0.9 - NEAR_TIE / 2)])
    assert not _near_tie([_hit(abstract[0], 0.9), _hit(abstract[1], 0.9 - NEAR_TIE * 2)])
    assert not _near_tie([_hit(abstract[0], 0.9), _hit(keywords, 0.9)])
    assert not _near_tie([_hit(abstract[0], 0.9)])


def test_a_near_tie_shows_both_and_follow_ups_know_it(fake_engine, monkeypatch):
    """Two near-tied sentences: both shown, the second under "Juga relevan:"; "in English
    please" gives both partners; "lanjut" gives a third, neither of the two."""
    monkeypatch.setattr("index.answer.NEAR_TIE", 10.0)  # every pair of sentences is a tie
    conversation = Conversation()
    first = fake_engine.answer("kapasitas kelembagaan kerangka hukum",
                               conversation=conversation)
    assert first.kind == "passage" and first.shown == 2
    one, two = first.shown_passages
    text = plain_text(reply_for(first, fake_engine))
    assert text == f"{one.text}\n{t('id', 'also_relevant')} {two.text}"
    english = fake_engine.answer("in English please", conversation=conversation)
    assert english.language == "en" and english.shown == 2
    assert english.shown_passages == (fake_engine.partner(one), fake_engine.partner(two))
    assert "Also relevant:" in plain_text(reply_for(english, fake_engine))
    conversation = Conversation()
    fake_engine.answer("kapasitas kelembagaan kerangka hukum", conversation=conversation)
    more = fake_engine.answer("lanjut", conversation=conversation)
    assert more.kind == "passage" and more.shown == 1 and more.best not in (one, two)


def test_a_record_question_is_answered_from_the_record(fake_engine):
    """"siapa penulisnya?" (a field.authors example) gets the authors sentence as a passage,
    detail "authors", whatever the answerability model would say of its words."""
    answer = fake_engine.answer("siapa penulisnya?")
    assert answer.kind == "passage" and answer.detail == "authors" and answer.answered
    assert answer.best.section == "authors" and answer.best.language == "id"


def test_a_record_question_about_something_else_goes_to_search(fake_engine):
    """"who wrote Harry Potter?" names things the corpus does not know, "what do the authors
    say about leadership" a topic of the text: not this article's record; "siapa
    penulisnya?" and "artikelnya terbit kapan" name nothing else."""
    authors = Intent("field.authors", 0.99)
    assert fake_engine._is_content(authors, "siapa penulis novel laskar pelangi", "id", None)
    assert fake_engine._is_content(authors, "who wrote harry potter", "en", None)
    assert not fake_engine._is_content(authors, "siapa penulisnya", "id", None)
    published = Intent("field.published", 0.99)
    assert not fake_engine._is_content(published, "artikelnya terbit kapan", "id", None)
    assert fake_engine._is_content(authors, "who wrote hobbit", "en", None)
    assert fake_engine._is_content(authors, "yang nulis naruto siapa", "id", None)
    # one word of the Indonesian dictionary is chatter, not the name of another work
    title = Intent("field.title", 0.99)
    assert not fake_engine._is_content(title, "judul artikelnya apa ya lupa", "id", None)
    # a topic of the text makes it a content question that mentions the authors
    assert fake_engine._is_content(authors, "apa kata penulis tentang kepemimpinan", "id", None)
    assert fake_engine._is_content(authors, "what do the writers say about regional autonomy",
                                   "en", None)


def test_calibration_labels_record_questions_with_their_field(fake_engine):
    """Tuning questions answered by a record sentence are field.* for the intent fit; content
    and out-of-scope questions are none."""
    from index.calibrate import record_field_label
    from index.evaluate import Labelled

    def label(question, language, expect):
        return record_field_label(fake_engine, Labelled(question, language, expect))

    assert label("siapa penulisnya?", "id", [["Istiq Agustina"]]) == "field.authors"
    assert label("when was it published?", "en", [["2025"]]) == "field.published"
    assert label("apa itu paradiplomasi?", "id", [["keterlibatan pemerintah daerah"]]) == "none"
    assert label("siapa presiden pertama?", "id", None) == "none"


def test_the_intent_threshold_is_the_middle_of_the_best_run():
    """Neighbouring thresholds with the same best accuracy: the fit takes the middle one,
    not the edge; the longest run of the maximum wins."""
    import numpy as np

    from index.intents import THRESHOLDS, _best_run, fit

    assert _best_run([1, 2, 3, 3, 3, 2, 3]) == (2, 3)
    assert _best_run([0.5, 0.5, 0.1, 0.5, 0.5, 0.5]) == (3, 3)
    assert _best_run([0.7]) == (0, 1)
    # two examples of "a" (cosine 0.883) and one "none" far away: every threshold up to
    # 0.883 labels all three right
    xb = np.eye(3, dtype=np.float32)
    xb[1] = [0.883, np.sqrt(1 - 0.883**2), 0]
    model, accuracy = fit(["a", "a", "none"], xb, ["x", "y", "z"], {})
    assert accuracy == 1.0
    right = [t for t in THRESHOLDS if t <= 0.883]
    assert model.threshold == round(float(right[(len(right) - 1) // 2]), 3)


def test_more_after_an_answer_from_the_text_skips_the_record(fake_engine):
    """"lanjut" after a sentence of the abstract gives more of the text, never the keyword
    list or the author line; after a record answer, anything not yet shown."""
    conversation = Conversation()
    fake_engine.answer("Apa itu paradiplomasi?", conversation=conversation)
    for _ in range(5):
        more = fake_engine.answer("lanjut", conversation=conversation)
        assert more.kind == "passage" and more.best.section == "abstract"
    assert fake_engine.answer("lanjut", conversation=conversation).detail == "exhausted"


def test_contact_details_are_not_stated(fake_engine):
    """"alamat email penulisnya apa?" is no question about the author line: the abstract
    does not state how to contact them."""
    answer = fake_engine.answer("alamat email penulisnya apa?")
    assert answer.kind == "not_stated" and answer.detail == "contact" and not answer.answered
    assert "kontak atau email penulisnya" in plain_text(reply_for(answer, fake_engine))


def test_an_ordinal_after_a_list_names_its_item(fake_engine):
    """After the keywords, "yang ketiga apa?" is the third keyword, "yg terakhir?" the last,
    "yang kesepuluh?" says how many there are; each with the keywords sentence as source."""
    conversation = Conversation()
    first = fake_engine.answer("kata kuncinya apa aja", conversation=conversation)
    assert first.best.section == "keywords"
    keywords = fake_engine.document(first.best.document).keywords
    third = fake_engine.answer("yang ketiga apa?", conversation=conversation)
    assert third.kind == "passage" and third.detail == "item" and third.best == first.best
    assert plain_text(reply_for(third, fake_engine)).startswith(
        f"Kata kunci ke-3 dari {len(keywords)}: {keywords[2]}\n")
    last = fake_engine.answer("yg terakhir?", conversation=conversation)
    assert last.item.number == len(keywords) and last.item.text == keywords[-1]
    missing = fake_engine.answer("yang kesepuluh?", conversation=conversation)
    assert plain_text(reply_for(missing, fake_engine)).startswith(
        f"Artikel ini hanya punya {len(keywords)} kata kunci:")


def test_an_ordinal_needs_a_list_before_it(fake_engine):
    """"yang pertama apa?" after a sentence of the abstract is searched, not an item; so is
    an ordinal inside a longer question after a list."""
    conversation = Conversation()
    fake_engine.answer("Apa itu paradiplomasi?", conversation=conversation)
    assert fake_engine.answer("yang pertama apa?", conversation=conversation).detail != "item"
    conversation = Conversation()
    fake_engine.answer("kata kuncinya apa aja", conversation=conversation)
    answer = fake_engine.answer("apa yang pertama kali dilakukan kepala daerah dalam paradiplomasi?",
                                conversation=conversation)
    assert answer.detail != "item"


def test_more_after_a_translation_shows_nothing_seen_before(fake_engine):
    """"lanjut", "in English please", "tell me more": the third answer is neither of the two
    sentences seen before (in either language)."""
    conversation = Conversation()
    first = fake_engine.answer("Apa itu paradiplomasi?", conversation=conversation)
    second = fake_engine.answer("lanjut", conversation=conversation)
    fake_engine.answer("in English please", conversation=conversation)
    third = fake_engine.answer("tell me more", conversation=conversation)
    seen = {first.best, second.best} | {fake_engine.partner(p) for p in (first.best, second.best)}
    assert third.kind == "passage" and third.best not in seen


def test_a_chosen_language_carries_the_conversation_over(fake_engine):
    """A follow-up with a language chosen (the /bahasa setting, "language" in ask --json)
    other than the last answer's: in that language, and nothing already seen comes back."""
    conversation = Conversation()
    first = fake_engine.answer("Apa itu paradiplomasi?", conversation=conversation)
    more = fake_engine.answer("tell me more", language="en", conversation=conversation)
    assert more.kind == "passage" and more.language == "en" and more.best.language == "en"
    assert more.best != fake_engine.partner(first.best)


def test_chatter_is_allowed_only_when_the_field_is_named(fake_engine):
    """"judul artikelnya apa ya lupa" names the title ("judul"): "lupa" is chatter; "kunci
    suksesnya apa aja" names no field ("kunci" alone is no "kata kunci"): "sukses" makes it
    a question for search."""
    assert not fake_engine._is_content(Intent("field.title", 0.99),
                                       "judul artikelnya apa ya lupa", "id", None)
    assert fake_engine._is_content(Intent("field.keywords", 0.99), "kunci suksesnya apa aja",
                                   "id", None)


@pytest.mark.parametrize("question, language, place", [
    ("how does Quebec do paradiplomacy?", "en", "Quebec"),
    ("paradiplomasi di jepang kayak gimana?", "id", "Jepang"),
    ("kalau paradiplomasi di Jawa Barat?", "id", "Jawa Barat"),
])
def test_a_place_the_article_never_mentions_is_named_in_the_refusal(fake_engine, question,
                                                                   language, place):
    """A question about paradiplomacy somewhere the corpus never names is declined, naming
    the place: the abstract's general definition is no answer about Quebec."""
    answer = fake_engine.answer(question)
    assert answer.kind == "not_in_article" and answer.detail == "place", answer
    assert answer.named == place and answer.language == language
    text = plain_text(reply_for(answer, fake_engine))
    assert text.startswith(t(language, "place", place=place)) and answer.suggestions[0] in text


def test_the_articles_own_country_is_no_unknown_place(fake_engine):
    """An Indonesian article about "otonomi daerah" is about Indonesia, though the abstract
    never names it: "paradiplomasi di Indonesia" is searched, not declined."""
    assert fake_engine.places.unknown("paradiplomasi di indonesia gimana") == []
    assert fake_engine.answer("paradiplomasi di indonesia gimana").detail != "place"


def test_more_reads_on_from_the_sentence_shown(fake_engine):
    """"terus?" after sentence 1 is sentence 2 (an abstract is an argument), even when the
    first search ranked sentence 4 next; after the last sentence, or once the next one was
    seen, the next-best of the first search."""
    from index.conversation import Turn

    doc = "paradiplomasi-kepala-daerah:id:abstract:"
    ranked = [f"{doc}{n}" for n in (1, 4, 2, 6)]
    after_first = Turn("apa itu paradiplomasi", "id", "passage", None, tuple(ranked),
                       (f"{doc}1",))
    assert [p.id for p in fake_engine._not_shown(ranked, after_first)][:2] == [f"{doc}2",
                                                                             f"{doc}4"]
    after_last = Turn("q", "id", "passage", None, tuple(ranked), (f"{doc}6",))
    assert fake_engine._not_shown(ranked, after_last)[0].id == f"{doc}1"
    seen = Turn("q", "id", "passage", None, tuple(ranked), (f"{doc}2", f"{doc}1"))
    assert fake_engine._not_shown(ranked, seen)[0].id == f"{doc}4"


def test_a_not_stated_cue_in_a_phrase_of_the_text_is_the_texts_word(fake_engine):
    """"kerangka" names the theory ("kerangka teorinya apa") unless it stands in a phrase of
    the text: "apakah kerangka hukum penting?" asks about sentence 6's legal framework."""
    theory = Intent("not_stated.theory", 0.99)
    assert fake_engine._is_content(theory, "apakah kerangka hukum penting?", "id", None)
    assert fake_engine._is_content(theory, "does the legal framework matter?", "en", None)
    assert not fake_engine._is_content(theory, "kerangka teorinya apa", "id", None)
    assert not fake_engine._is_content(theory, "what theoretical framework is used?", "en",
                                       None)


def test_homework_is_declined_but_a_question_for_an_assignment_is_answered(fake_engine):
    """"bikinin makalah tentang paradiplomasi dong" is declined (not answered, with
    suggestions); a question that mentions an assignment, or a message that names none, is
    a question for search."""
    answer = fake_engine.answer("bikinin makalah tentang paradiplomasi dong")
    assert answer.kind == "not_in_article" and answer.detail == "homework"
    assert not answer.answered and answer.suggestions
    text = plain_text(reply_for(answer, fake_engine))
    assert text.startswith(t("id", "homework")) and answer.suggestions[0] in text
    homework = Intent("homework", 0.99)
    assert fake_engine._is_content(homework, "jelaskan peran kepala daerah buat tugasku", "id",
                                   None)
    assert fake_engine._is_content(homework, "paradiplomasi saingan diplomasi pusat gak", "id",
                                   None)
    assert not fake_engine._is_content(homework, "bikinin makalah paradiplomasi dong", "id", None)


def test_cue_words_are_matched_without_the_nya_suffix():
    """"dirilisnya", "penulisnya" carry the cue words "dirilis", "penulis"; short words
    ending in "nya" are left alone; neighbours make two-word cues."""
    from index.intents import cue_forms

    assert {"dirilis", "dirilisnya", "artikel"} <= cue_forms("kapan dirilisnya artikel")
    assert "penulis" in cue_forms("Penulisnya siapa?")
    assert cue_forms("tanya") == {"tanya"}
    assert "kata kunci" in cue_forms("kata kuncinya apa aja")  # two-word cues


def test_cue_words_are_matched_under_a_colloquial_nasal_prefix():
    """"nyitasi" carries "sitasi", "ngutip" "kutip", "ngerangkum" "rangkum"; short words
    ("ngga") are no prefixed forms."""
    from index.intents import cue_forms

    assert "sitasi" in cue_forms("gmn cara nyitasi artikel ini")
    assert "kutip" in cue_forms("ngutip artikel ini gimana")
    assert "rangkum" in cue_forms("bisa ngerangkum?")
    assert cue_forms("ngga") == {"ngga"}
    assert "bye" in cue_forms("byee")  # a letter held at the end


def test_numbers_written_as_ordinals():
    """"ke-2", "no. 4", "nomor 3", "#3", "3rd" (also as normalised, "3 rd") and words, in
    the order written; a bare number is none."""
    from index.reading import ordinals

    assert ordinals("penulis ke-2 siapa") == [2]
    assert ordinals("kata kunci no. 4") == [4] and ordinals("nomor 3 apa") == [3]
    assert ordinals("keyword #3") == [3] and ordinals("who is the 3rd author") == [3]
    assert ordinals("the 3 rd?") == [3] and ordinals("yang ketiga dan terakhir") == [3, -1]
    assert ordinals("tahun 2025 ada 5 kata kunci") == []


def test_a_lone_question_word_after_the_record_names_its_field():
    """"when?" right after the record's authors asks the date; after a content answer (no
    record section shown), a longer message or the date itself it asks nothing of it."""
    from index.reading import record_field_asked

    assert record_field_asked(["kapan", "ya"], {"authors"}) == "published"
    assert record_field_asked(["when"], {"authors", "title"}) == "published"
    assert record_field_asked(["kapan", "terbit", "ulang"], {"authors"}) is None
    assert record_field_asked(["kapan"], set()) is None
    assert record_field_asked(["kapan"], {"published"}) is None


def test_the_language_a_message_wants_and_its_clauses_about_the_student():
    """The last language named is wanted, unless named as not understood; "tugas" asked
    what it is is a duty; a clause opening with "saya"/"aku"/"I" is about the student."""
    from index.reading import asks_a_duty, language_wanted, without_own_clauses
    from index.text import words

    assert language_wanted(words("translate ke indo dong")) == "id"
    assert language_wanted(words("english pls, my friend dont understand indo")) == "en"
    assert language_wanted(words("ga ngerti inggris")) == "id"
    assert language_wanted(words("jelasin lagi")) is None
    assert asks_a_duty("terus dia tugasnya melakukan apa saja?")
    assert asks_a_duty("apa saja tugas kepala daerah")
    assert not asks_a_duty("ada tugas kuliah nih, bantu dong")
    assert without_own_clauses("judul lengkapnya apa, saya lupa nyatet") == "judul lengkapnya apa"
    assert without_own_clauses("siapa penulis buku laskar pelangi") \
        == "siapa penulis buku laskar pelangi"
    assert without_own_clauses("aku lupa") == "aku lupa"  # nothing else: all of it


def test_an_ordinal_with_a_topic_after_a_list_is_a_question(fake_engine):
    """After the keywords, "yang pertama kali dilakukan kepala daerah apa?" is searched (it
    names a topic of the text); "yang ke-2?" is the second keyword."""
    conversation = Conversation()
    fake_engine.answer("kata kuncinya apa aja", conversation=conversation)
    topic = fake_engine.answer("yang pertama kali dilakukan kepala daerah apa?",
                               conversation=conversation)
    assert topic.detail != "item"
    conversation = Conversation()
    fake_engine.answer("kata kuncinya apa aja", conversation=conversation)
    second = fake_engine.answer("yang ke-2?", conversation=conversation)
    assert second.detail == "item" and second.item is not None and second.item.number == 2


def test_more_looks_further_when_the_text_runs_out(fake_engine):
    """"lanjut" keeps giving sentences of the text until all six were shown, even when the
    first search's five were mostly the record."""
    conversation = Conversation()
    first = fake_engine.answer("Apa itu paradiplomasi?", conversation=conversation)
    seen = {first.best}
    for _ in range(5):
        more = fake_engine.answer("lanjut", conversation=conversation)
        assert more.kind == "passage" and more.best.section == "abstract"
        seen.add(more.best)
    assert len(seen) == 6


def test_a_question_asked_in_a_named_language(fake_engine):
    """"kata kunci dalam bahasa inggris apa?" is "kata kunci apa?" answered in English; "in
    English please" alone still translates the last answer; "indonesia" naming the country
    is no language request."""
    answer = fake_engine.answer("kata kunci dalam bahasa inggris apa?")
    assert answer.language == "en" and answer.question == "kata kunci apa?"
    assert answer.best is not None and answer.best.language == "en"
    conversation = Conversation()
    first = fake_engine.answer("Apa itu paradiplomasi?", conversation=conversation)
    again = fake_engine.answer("in English please", conversation=conversation)
    assert again.detail == "translation" and again.best == fake_engine.partner(first.best)
    assert fake_engine.answer("paradiplomasi di indonesia apa?").language == "id"


def test_the_threshold_is_the_middle_of_the_near_best_band():
    """Thresholds within one question's balanced accuracy of the best form a band, and the
    threshold is its middle, not the first best (which wanders with any small change)."""
    import numpy as np

    from index.calibrate import best_threshold

    # 4 in-scope, 4 out-of-scope: one question is 0.125 of balanced accuracy
    prob = np.array([0.9, 0.8, 0.7, 0.6, 0.55, 0.3, 0.2, 0.1])
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    # best (1.0) for 0.56-0.60; one question off (0.875) for 0.31-0.55 and 0.61-0.70:
    # the band is 0.31-0.70, its middle 0.5 (the first best would be 0.56)
    assert best_threshold(prob, y) == 0.5


def test_the_bots_view_asked_yes_or_no():
    """"in your opinion is X …?", "kamu setuju gak", "what do you think about X" ask the
    bot's view; "menurut kamu apa itu X" and "what do you think the main point is" ask what
    the article says; "menurut penulis" is the authors' view."""
    from index.reading import asks_for_an_opinion

    assert asks_for_an_opinion("in your opinion is paradiplomacy dangerous?")
    assert asks_for_an_opinion("kamu setuju gak sama penulisnya")
    assert asks_for_an_opinion("gimana pendapat kamu ttg paradiplomasi, bagus ga?")
    assert not asks_for_an_opinion("menurut kamu bagaimana peran kepala daerah?")
    assert asks_for_an_opinion("what do you think about paradiplomacy")
    assert not asks_for_an_opinion("menurut kamu apa itu paradiplomasi")
    assert not asks_for_an_opinion("what do you think the main point is?")
    assert not asks_for_an_opinion("menurut penulis apa itu paradiplomasi")


def test_a_sentence_named_by_its_place():
    """"kalimat kedua", "kalimat ke-3", "sentence 2", "the last sentence" name a sentence's
    place; "in 2-3 sentences" and "rangkum 3 kalimat" count them."""
    from index.reading import sentence_named

    assert sentence_named("kalimat kedua abstraknya maksudnya apa") == 2
    assert sentence_named("kalimat ke-3 apa") == 3 and sentence_named("sentence 2 please") == 2
    assert sentence_named("what does the last sentence mean") == -1
    assert sentence_named("the 3rd sentence") == 3
    assert sentence_named("summarize the whole abstract in 2-3 sentences then") is None
    assert sentence_named("rangkum 3 kalimat") is None


def test_authorities_named_after_menurut_or_according_to():
    """The word after "menurut"/"according to" is whose word a question cites."""
    from index.text import authorities_named

    assert authorities_named("daya saing menurut Porter apa") == ["porter"]
    assert authorities_named("what is soft power according to Nye") == ["nye"]
    assert authorities_named("apa itu paradiplomasi") == []


def test_whose_view_a_question_asks():
    """"pendapat X tentang", "what does X say about" and "X bilang/ngomong apa soal" name
    whose view is asked; a question with none names nobody."""
    from index.text import persons_asked

    assert persons_asked("apa pendapat Jokowi tentang paradiplomasi") == ["jokowi"]
    assert persons_asked("what did Obama say about paradiplomacy") == ["obama"]
    assert persons_asked("Prabowo ngomong apa soal paradiplomasi?") == ["prabowo"]
    assert persons_asked("penulis bilang apa soal kepala daerah?") == ["penulis"]
    assert persons_asked("apa itu paradiplomasi, bilang apa dong") == []


def test_a_numbered_law_or_a_year_the_corpus_never_names(fake_engine):
    """"UU 23 tahun 2014", "pasal 363", "law no. 37" and a year no passage has are not in
    the article; a year some passage names is."""
    limits = fake_engine.limits
    years = {w for p in fake_engine.searcher.passages for w in p.text.split()
             if w.strip(".,").isdigit() and len(w.strip(".,")) == 4}
    assert limits.names_a_law_or_year_not_in_it("isi UU 23 tahun 2014 apa")
    assert limits.names_a_law_or_year_not_in_it("pasal 363 isinya apa")
    assert limits.names_a_law_or_year_not_in_it("what does law no. 37 say")
    assert not limits.names_a_law_or_year_not_in_it("apa itu paradiplomasi")
    for year in years:
        assert not limits.names_a_law_or_year_not_in_it(f"paradiplomasi {year.strip('.,')}")


def test_which_law_asked_when_the_corpus_names_none(fake_engine):
    """"uu nomor berapa yg ngatur …", "which law regulates it?": the text names no law by
    its number, so which one is not in it; its legal framework is still asked about."""
    limits = fake_engine.limits
    assert not any(re.search(r"\b(?:uu|law|pasal)\s*(?:no\.?\s*)?\d", p.text, re.I)
                   for p in fake_engine.searcher.passages)
    assert limits.names_a_law_or_year_not_in_it("UU nomor berapa yg ngatur kerja sama daerah?")
    assert limits.names_a_law_or_year_not_in_it("uu apa yang mengatur otonomi daerah")
    assert limits.names_a_law_or_year_not_in_it("which law regulates paradiplomacy?")
    assert not limits.names_a_law_or_year_not_in_it("apa peran kerangka hukum")
    assert not limits.names_a_law_or_year_not_in_it("what is the legal framework for?")
