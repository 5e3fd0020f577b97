"""Student-style messages (../shared/eval/students-dev.jsonl) with the real model: every
category at its bar, as ``score_students.py`` scores ``ask --json``."""

import pytest

from bot.replies import plain_text, reply_for
from index.conversation import Conversation
from index.evaluate import STUDENT_BARS, evaluate_students, read_student_items
from tests.conftest import ROOT

STUDENTS_DEV = ROOT.parent / "shared" / "eval" / "students-dev.jsonl"


@pytest.mark.real_model
def test_students_dev_meets_every_bar(e5_engine):
    """At least 0.90 overall and every category at its bar (content 0.95, cite 0.85, ...)."""
    assert STUDENTS_DEV.exists(), f"{STUDENTS_DEV} is missing (shared/ sits beside the clone)"
    categories, failures = evaluate_students(
        e5_engine, read_student_items(STUDENTS_DEV),
        lambda answer: plain_text(reply_for(answer, e5_engine)))
    right = sum(r for r, _ in categories.values())
    total = sum(n for _, n in categories.values())
    report = "; ".join(f"{item.turns!r}: {', '.join(why)}" for item, _, why in failures)
    assert right / total >= 0.90, report
    for name, (r, n) in categories.items():
        assert r / n >= STUDENT_BARS[name], f"{name} {r}/{n}: {report}"


@pytest.mark.real_model
def test_a_short_follow_up_is_a_question_not_a_summary_request(e5_engine):
    """"and investment?" after an answer is searched with the last question, not taken for
    "summarise the article" (its nearest intent examples)."""
    conversation = Conversation()
    e5_engine.answer("what is paradiplomacy?", conversation=conversation)
    answer = e5_engine.answer("and investment?", conversation=conversation)
    assert answer.kind == "passage" and "investment promotion" in answer.best.text


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail", [
    (["paradiplomasi lewat promosi investasi ya?", "contohnya apa kak?"], "not_stated",
     "examples"),
    (["berapa persen ekspor daerah naik?"], "not_stated", "figures"),
    (["contoh instrumen diplomasi ekonomi apa aja?"], "passage", None),
    (["kepala daerah harus ngarahin birokrasi ya?", "biar apa?"], "passage", "again"),
    (["apa itu paradiplomasi?", "oh ok. btw judulnya apa?"], "passage", "title"),
    (["kasih contoh paradiplomasi dong"], "not_stated", "examples"),
    (["sejarah paradiplomasi gimana sih"], "not_stated", "history"),
    (["paradiplomasi ada berapa jenis?"], "not_stated", "types"),
    (["what are the challenges of paradiplomacy?"], "not_stated", "challenges"),
    (["paradiplomasi muncul di era apa?"], "passage", None),
    (["peran kepala daerah misalnya apa aja?"], "passage", None),
])
def test_examples_figures_and_chat_around_questions(e5_engine, turns, kind, detail):
    """"contohnya?", "berapa persen", the topic's history, types or challenges ask for what
    the abstract does not give, while an example of something it lists, or the era it
    names, is searched; "biar apa?" asks rather than acknowledges; "oh ok. btw" is chatter
    before a record question."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["what is paradiplomacy?", "what about in indonesia"], "passage", "again", "en"),
    (["apa itu paradiplomasi?", "harvard"], "citation", "harvard", "id"),
    (["apa itu paradiplomasi?", "bye"], "smalltalk", "goodbye", "id"),
    (["citation for my thesis"], "citation", "apa", "en"),
    (["apa kabar kak"], "smalltalk", "greeting", "id"),
    (["judul english nya apa"], "passage", "title", "en"),
    (["kata kunci dlm bhs inggris"], "passage", "keywords", "en"),
    (["siapa aktor utama paradiplomasi?", "kenapa?"], "passage", "again", "id"),
    (["full abstract please"], "summary", "abstract", "en"),
    (["abstrak lengkapnya dong"], "summary", "abstract", "id"),
    (["apa saran penulis?"], "summary", "conclusion", "id"),
    (["what's the research question?"], "summary", "summary", "en"),
    (["rekomendasi laptop buat kuliah dong"], "not_in_article", None, "id"),
])
def test_second_review_of_chat_messages(e5_engine, turns, kind, detail, language):
    """"in indonesia" names the country, not a language; a word or two keeps the
    conversation's language; a citation asked for a thesis is a citation; "apa kabar" greets;
    "english nya", "dlm bhs inggris" name a language; a follow-up answered by the sentence
    just shown says so and adds the next one; the whole abstract can be asked for; the
    authors' advice is their conclusion (but not a laptop recommendation)."""
    *earlier, answer = _conversation(e5_engine, turns)
    before = earlier[-1] if earlier else None
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer
    if detail == "again":  # the sentence shown before, then one not shown yet
        first, second = answer.shown_passages
        assert before is not None and first == before.best and second != before.best


@pytest.mark.real_model
@pytest.mark.parametrize("first, then, kind", [
    ("apa tujuan paradiplomasi?", "caranya gimana?", "passage"),
    ("what is paradiplomacy?", "how do they do it?", "passage"),
    ("what is paradiplomacy?", "give me an example", "passage"),
    ("apa itu paradiplomasi?", "metodenya apa?", "not_stated"),
    ("what is paradiplomacy?", "what can you do?", "smalltalk"),
    ("what is paradiplomacy?", "ok, summarize the article", "summary"),
])
def test_follow_ups_near_an_intent_without_its_words(e5_engine, first, then, kind):
    """After an answer, "caranya gimana?" (no word of a method) and "how do they do it?"
    (about them, not the bot) are follow-up questions, and "give me an example" (no word of
    a summary) is no summary request but one for examples (answered with the sentence
    listing the means, detail "means"); with the intent's own words, the intent stands."""
    conversation = Conversation()
    e5_engine.answer(first, conversation=conversation)
    assert e5_engine.answer(then, conversation=conversation).kind == kind


@pytest.mark.real_model
@pytest.mark.parametrize("first, then, detail, expected", [
    ("is paradiplomacy only symbolic?", "so what should it turn into?", "again", "measurable"),
    ("apa itu paradiplomasi?", "jelaskan lebih lanjut tentang investasi", None,
     "promosi investasi"),
    ("what is paradiplomacy?", "tell me more about paradiplomacy", "more", None),
    ("siapa aktor utama paradiplomasi?", "selain itu apa lagi perannya?", None, None),
    ("bikinin sitasi dong", "kalo versi bibtex?", "bibtex", "@article"),
])
def test_follow_ups_that_ask_more_or_ask_something_new(e5_engine, first, then, detail,
                                                       expected):
    """After an answer, a follow-up naming something new is searched (with the last
    question), "tell me more about <the same topic>" is the next passage, "apa lagi …?"
    shows something not shown yet, and a citation style asked in chat Indonesian stays in
    Indonesian."""
    conversation = Conversation()
    before = e5_engine.answer(first, conversation=conversation)
    answer = e5_engine.answer(then, conversation=conversation)
    assert answer.answered and answer.detail == detail and answer.language == before.language
    if expected is not None:
        shown = answer.reference or " ".join(p.text for p in answer.shown_passages)
        assert expected in shown, answer
    else:
        assert answer.best not in before.shown_passages, answer


@pytest.mark.real_model
@pytest.mark.parametrize("question, section", [
    ("ini artikel karya siapa sih", "authors"), ("kapan dirilisnya artikel ini", "published"),
    ("which campus are the writers from", "authors"), ("what's this paper titled", "title"),
    ("who wrote The Hobbit?", None), ("siapa pengarang buku Ronggeng Dukuh Paruk?", None),
])
def test_record_questions_in_chat_words_and_questions_about_other_works(e5_engine, question,
                                                                        section):
    """Informal questions about the article's record get the record's sentence; the same
    question about another work is refused."""
    answer = e5_engine.answer(question)
    if section is None:
        assert answer.kind == "not_in_article", answer
    else:
        assert answer.kind == "passage" and answer.best.section == section, answer


@pytest.mark.real_model
@pytest.mark.parametrize("question, item", [
    ("penulis pertamanya siapa", "Istiq Agustina"), ("who is the last author?", "Luki Oka Prasetio"),
    ("kata kunci keempat apa?", "Otonomi Daerah"),
])
def test_the_nth_author_or_keyword(e5_engine, question, item):
    """"penulis pertamanya siapa" names the first author (for a citation's "et al."), with
    the author line as its source."""
    answer = e5_engine.answer(question)
    assert answer.detail == "item" and answer.item is not None and answer.item.text == item


@pytest.mark.real_model
@pytest.mark.parametrize("message, declined", [
    ("bikinin makalah tentang diplomasi ekonomi daerah dong", True),
    ("can you write my essay on regional autonomy", True),
    ("jelasin peran kepala daerah buat tugasku dong", False),
])
def test_homework_requests_are_declined(e5_engine, message, declined):
    """An assignment to write is declined even when it is about the article's topic; a
    question asked for an assignment is answered."""
    answer = e5_engine.answer(message)
    assert (answer.detail == "homework" and not answer.answered) is declined, answer
    assert answer.answered is not declined


@pytest.mark.real_model
@pytest.mark.parametrize("question, language, section", [
    ("kata kunci dalam bahasa inggris apa?", "en", "keywords"),
    ("judul bahasa inggrisnya apa?", "en", "title"),
    ("apa kunci paradiplomasi?", "id", "abstract"),
    ("apa yang ditulis tentang ekspor?", "id", "abstract"),
    ("when did it come out", "en", "published"),
    ("judul lengkapnya apa? mau ku tulis di tugas", "id", "title"),
    ("apakah kerangka hukum penting?", "id", "abstract"),
])
def test_record_and_content_questions_that_looked_alike(e5_engine, question, language,
                                                        section):
    """A record field asked for in the other language gets that language's record
    sentence; "kunci" and "ditulis tentang" questions get the text, not the keyword list or
    the author line; an example's own words ("come out") and the student's situation ("mau
    ku tulis di tugas") are no unknown name; "kerangka hukum" is the text's, not a theory."""
    answer = e5_engine.answer(question)
    assert answer.language == language and answer.best is not None, answer
    assert answer.best.section == section and answer.best.language == language, answer


@pytest.mark.real_model
@pytest.mark.parametrize("question, sections", [
    ("siapa penulisnya dan kapan terbit?", ["authors", "published"]),
    ("judul sama penulisnya apa", ["title", "authors"]),
    ("kapan terbit?", ["published"]),
])
def test_a_question_about_two_record_fields_gets_both(e5_engine, question, sections):
    """"siapa penulisnya dan kapan terbit?" names two fields: both record sentences are
    shown, not only the first."""
    answer = e5_engine.answer(question)
    assert sorted(p.section for p in answer.shown_passages) == sorted(sections), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["paradiplomasi di jepang gimana", "in english pls"], "not_in_article", "place", "en"),
    (["apa itu paradiplomasi?", "bisa pake bahasa yg lebih simpel?"], "summary", "summary",
     "id"),
    (["peran kepala daerah apa?", "contohnya apa aja?", "terus?"], "passage", "more", "id"),
    (["what is paradiplomacy?", "what do you mean?"], "passage", "again", "en"),
])
def test_third_review_of_conversations(e5_engine, turns, kind, detail, language):
    """A translated place refusal still names the place; "bahasa yg lebih simpel" asks for
    no other language but the simplest account, the summary; "terus?" after a not-stated reply goes on with the topic before it;
    "what do you mean?" is about the answer, not the bot."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer
    if detail == "place":
        assert answer.named == "Jepang"


def _conversation(engine, turns: list[str]) -> list:
    """The answers to ``turns``, asked in order in one conversation."""
    conversation = Conversation()
    return [engine.answer(turn, conversation=conversation) for turn in turns]


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["is investment discussed in the abstract?"], "passage", None, "en"),
    (["apakah artikel ini ada membahas ekspor?"], "passage", None, "id"),
    (["what's the paper about, briefly?"], "summary", "summary", "en"),
    (["berapa jumlah referensinya?"], "not_stated", "references", "id"),
    (["how many sources does it cite?"], "not_stated", "references", "en"),
])
def test_fourth_review_of_chat_messages(e5_engine, turns, kind, detail, language):
    """"does the article mention/discuss X" asks about X (the verb is no word the corpus
    lacks); "briefly"/"in short" ask for a summary; a count of the references is not stated,
    not a request for a citation."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer
    if kind == "passage":
        assert answer.best is not None and answer.best.id.endswith("abstract:2"), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind", [
    (["paradiplomasi bisa jadi kebijakan publik gak?", "syaratnya apa?"], "passage"),
    (["is paradiplomacy only symbolic?", "what else besides leadership is needed?"], "passage"),
    (["siapa aktor utama paradiplomasi?", "tugasnya apa aja?"], "passage"),
])
def test_follow_ups_that_point_back_with_nya_or_ask_what_else_is_needed(e5_engine, turns, kind):
    """"syaratnya apa?" (its requirement) leans on the last question; "what else besides X
    is needed?" is asked with words that name no content; "tugasnya" (their tasks) after a
    question about the actors is no homework."""
    answer = _conversation(e5_engine, turns)[-1]
    assert answer.kind == kind, answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["How does paradiplomacy strengthen regional competitiveness?",
      "singkatnya dlm bhs indonesia?"], "passage", "translation", "id"),
    (["apa itu paradiplomasi", "rangkum dalam bahasa inggris"], "summary", "summary", "en"),
    (["rangkum dalam bahasa inggris"], "summary", "summary", "en"),
    (["summary in indonesian please"], "summary", "summary", "id"),
])
def test_a_language_named_with_a_request(e5_engine, turns, kind, detail, language):
    """"singkatnya dlm bhs indonesia?" (in short, in Indonesian) after an answer asks for that
    answer in Indonesian; "rangkum dalam bahasa inggris" asks for the summary in English."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail", [
    (["contoh kepala daerah yg sukses paradiplomasi siapa aja?"], "not_stated", "examples"),
    (["which countries do the regions cooperate with?"], "not_stated", "examples"),
    (["peran kepala daerah misalnya apa aja?"], "passage", None),
    (["tl;dr artikel ini apa kak"], "summary", "summary"),
    (["apa yg nentuin keberhasilan paradiplomasi", "jelasin lagi dong, kurang ngerti"],
     "passage", "clarify"),
    (["what is paradiplomacy", "i dont understand"], "passage", "clarify"),
    (["apa itu paradiplomasi", "lanjut", "kurang ngerti"], "passage", "clarify"),
    (["apa itu paradiplomasi", "oke paham"], "smalltalk", "ack"),
])
def test_named_instances_tldr_and_not_understood(e5_engine, turns, kind, detail):
    """Examples asked by who or which ("… siapa aja?", "which countries …") are named
    instances the text never gives, though the message names its terms; "tl;dr" is one word
    (not "tl" + "dari"); "kurang ngerti" after an answer shows that answer again with the
    next best, while "oke paham" acknowledges."""
    *earlier, answer = _conversation(e5_engine, turns)
    assert (answer.kind, answer.detail) == (kind, detail), answer
    if detail == "clarify":  # the sentence just shown (not the first answer's), then another
        assert earlier and answer.shown_passages[0] == earlier[-1].shown_passages[-1]
        assert len(answer.shown_passages) == 2


@pytest.mark.real_model
@pytest.mark.parametrize("question", [
    "siapa aktor utama paradiplomasi?",
    "what exactly do governors and mayors do in paradiplomacy",
])
def test_the_sentence_that_names_paradiplomacy_as_this_practice(e5_engine, question):
    """Sentence 3 says "praktik ini" / "this practice": read as paradiplomacy, it answers
    questions about regional heads in paradiplomacy."""
    answer = e5_engine.answer(question)
    assert answer.best is not None and answer.best.id.endswith("abstract:3"), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, detail, first", [
    (["apa kunci paradiplomasi yang efektif?", "jelasin lebih detail dong"], "clarify", 6),
    (["what is paradiplomacy", "can you elaborate?"], "clarify", 1),
    (["apa itu paradiplomasi", "jelaskan lebih lanjut dong"], "more", 2),
    (["kepala daerah di artikel ini dianggap penting ga", "trus peran dia apa?"], "again", None),
])
def test_elaborating_going_on_and_pointing_back(e5_engine, turns, detail, first):
    """"lebih detail"/"elaborate" ask about the point just made (shown again with its
    nearest other sentence), "lebih lanjut" goes on to the next; "peran dia" (his role) is
    searched with the question before it, whose subject it points at (sentence 3, shown
    for the first question, again, with the next best)."""
    answer = _conversation(e5_engine, turns)[-1]
    assert answer.kind == "passage" and answer.detail == detail, answer
    shown = [p.id.rsplit(":", 1)[1] for p in answer.shown_passages]
    if first is not None:
        assert shown[0] == str(first), answer
    else:  # regional heads' role: sentence 3 or 6, not sentence 2's "paradiplomasi berperan"
        assert "2" not in shown and {"3", "6"} & set(shown), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail", [
    (["berapa nilai ekspor indonesia tahun 2024"], "not_stated", "figures"),
    (["daftar pustakanya ada brp referensi?"], "not_stated", "references"),
    (["kerja sama surabaya dgn kitakyushu hasilnya apa aja sih"], "not_in_article", "place"),
    (["apa kesimpulannya?"], "summary", "conclusion"),
])
def test_figures_counts_and_places_in_requests(e5_engine, turns, kind, detail):
    """A figure the text never gives is not stated though it names a text term ("nilai
    ekspor"); counting the references is not a citation; a conclusion asked about a place
    the article never mentions is declined by name."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, expected", [
    ("malam kak", "Halo, selamat malam! 👋"),
    ("assalamualaikum kak", "Wa'alaikumsalam, halo! 👋"),
    ("good evening", "Hello, good evening! 👋"),
    ("hai", "Halo! 👋"),
    ("hallo", "Halo! 👋"),
    ("wassalam", "Sampai jumpa! 👋"),
])
def test_greetings_are_returned_in_kind(e5_engine, message, expected):
    """A greeting with a salam or a time of day is answered in kind; "hallo" is Indonesian;
    "wassalam" says goodbye."""
    answer = e5_engine.answer(message)
    assert plain_text(reply_for(answer, e5_engine)).startswith(expected), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail, language", [
    ("main argument?", "summary", "conclusion", "en"),
    ("main finding?", "summary", "conclusion", "en"),
    ("what is the main message of the paper", "summary", "conclusion", "en"),
    ("what did the authors find out", "summary", "conclusion", "en"),
    ("penulisnya bilang apa sih", "summary", "conclusion", "id"),
    ("who are the authors", "passage", "authors", "en"),
])
def test_what_the_authors_found_is_their_conclusion(e5_engine, message, kind, detail,
                                                    language):
    """"main finding?" is English (an English-only request word decides two words); "main
    message" asks for the conclusion; what the authors found or say is their conclusion,
    while "who are the authors" is the author line."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["siapa aktor utamanya", "kesimpulannya apa ya"], "summary", "conclusion", "id"),
    (["apa itu paradiplomasi", "rangkumannya dong"], "summary", "summary", "id"),
    (["apa itu paradiplomasi", "kalo pariwisata?"], "not_in_article", None, "id"),
    (["what is paradiplomacy", "what about climate change?"], "not_in_article", None, "en"),
    (["apa itu paradiplomasi", "kenapa itu penting?"], "passage", "again", "id"),
    (["apa itu paradiplomasi", "terus di Bali?"], "not_in_article", "place", "id"),
    (["siapa penulisnya?", "yang kedua?", "mereka dari mana?"], "passage", None, "id"),
    (["apa itu paradiplomasi?", "in english pls", "rangkum dong"], "summary", "summary", "id"),
    (["who is the main actor?"], "passage", None, "en"),
    (["abstraknya mana"], "summary", "abstract", "id"),
    (["what is the purpose of this research"], "summary", "summary", "en"),
    (["bupati bisa kerja sama sama negara lain gak"], "passage", None, "id"),
])
def test_fourth_review_of_conversations(e5_engine, turns, kind, detail, language):
    """A request with its own word after an answer is that request; a follow-up turning to a
    topic the corpus does not know, or to a place, is declined (not answered with the last
    sentence again); an item of the author list keeps the authors as the topic; Indonesian
    words after an English answer get Indonesian; "main actor" is the text's "primary
    actors"; "abstraknya mana" is the whole abstract; "bupati" names the text's regional
    heads, so a request for examples about them is searched."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer
    if turns[-1] == "mereka dari mana?":  # the author line (with the affiliation)
        assert answer.best is not None and answer.best.section == "authors", answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, language", [
    ("paradiplomsi artinya apa ya", "passage", "id"),
    ("pradiplomasi apa", "passage", "id"),
    ("paradiplomcy definition", "passage", "en"),
    ("who is the current foreign minister of indonesia", "not_in_article", "en"),
])
def test_misspelt_key_terms_are_read_as_meant(e5_engine, message, kind, language):
    """A misspelt title or keyword word is mended by default; the frame of the keyword
    sentence ("translated from Indonesian") is no key term, so "of indonesia" stays."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.language) == (kind, language), answer
    if kind == "passage":
        assert answer.best is not None and answer.best.id.endswith("abstract:1"), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail", [
    ("give me an example of paradiplomacy", "not_stated", "examples"),
    ("contoh paradiplomasi di indonesia apa", "not_stated", "examples"),
    ("contoh instrumen diplomasi ekonomi apa", "passage", None),
    ("saran untuk penelitian selanjutnya", "not_stated", "limitations"),
    ("パラディプロマシーとは何ですか", "not_a_question", "language"),
])
def test_examples_future_research_and_other_scripts(e5_engine, message, kind, detail):
    """A request for the topic's examples by its own word is not stated though its vector is
    nearer a question about the subject (but "contoh instrumen diplomasi ekonomi" names
    sentence 2's list); future research is among the limitations; a message in another
    script is told which languages the bot reads."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer
    if detail == "language":
        text = plain_text(reply_for(answer, e5_engine))
        assert "Indonesia" in text and "English" in text


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["ringkasan singkat pls"], "summary", "summary", "id"),
    (["apa itu paradiplomasi?", "in english pls", "kesimpulannya?"], "summary", "conclusion",
     "id"),
    (["apa pendapat Jokowi soal paradiplomasi"], "not_in_article", None, "id"),
    (["apa pendapat Istiq Agustina tentang paradiplomasi?"], "passage", None, "id"),
    (["peran DPRD dalam paradiplomasi"], "not_in_article", None, "id"),
    (["what is the role of universities in paradiplomacy"], "not_in_article", None, "en"),
    (["peran bupati apa"], "passage", None, "id"),
    (["how does catalonia do paradiplomacy"], "not_in_article", "place", "en"),
    (["paradiplomacy in west java"], "not_in_article", "place", "en"),
    (["maaf ganggu kak"], "smalltalk", "greeting", "id"),
    (["mantap, paham sekarang"], "smalltalk", "praise", "id"),
])
def test_second_review_of_the_day(e5_engine, turns, kind, detail, language):
    """"pls" is Indonesian chat too; a "-nya" word is Indonesian; the view of a person the
    corpus never names and the role of an actor the text never names are declined (an
    author's view is the text's; a bupati is a regional head); Catalonia and West Java are
    places by their English names; "maaf ganggu" greets, "mantap, paham" praises."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer


@pytest.mark.real_model
def test_a_summary_in_the_other_language_is_its_translation(e5_engine):
    """"in english pls" after a summary shows the same sentences in English (parallel
    abstracts share one centrality), not another choice of sentences."""
    first, second = _conversation(e5_engine, ["rangkum dong", "in english pls"])
    assert [p.position for p in second.shown_passages] \
        == [p.position for p in first.shown_passages]
    assert {p.language for p in second.shown_passages} == {"en"}


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind", [
    (["paradiplomasi bisa jadi kebijakan publik?", "siapa yg ngelakuin?"], "passage"),
    (["apa itu paradiplomasi", "apa yang bisa kamu lakukan?"], "smalltalk"),
])
def test_who_does_it_is_about_the_answer(e5_engine, turns, kind):
    """"siapa yg ngelakuin?" after an answer asks who does what it was about; "apa yang bisa
    kamu lakukan?" names "kamu" and asks about the bot."""
    answer = _conversation(e5_engine, turns)[-1]
    assert answer.kind == kind, answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail", [
    ("tq", "smalltalk", "thanks"),
    ("trims", "smalltalk", "thanks"),
    ("cool thanks", "smalltalk", "thanks"),
    ("hey what's up", "smalltalk", "greeting"),
    ("selamat pagi kak, semoga harimu menyenangkan", "smalltalk", "greeting"),
    ("tolong", "smalltalk", "about"),
    ("apa yang kamu rekomendasikan untuk makan malam nanti", "not_in_article", None),
])
def test_more_small_talk(e5_engine, message, kind, detail):
    """Short thanks ("tq", "trims"), "hey what's up", a greeting with wishes and a bare
    "tolong" are small talk; a question near small talk naming things neither its examples
    nor the corpus know, without a greeting word, is declined as a question."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, language", [
    (["gotta go"], "en"),
    (["later!"], "en"),
    (["pamit dulu"], "id"),
    (["apa itu paradiplomasi?", "gotta go"], "id"),
])
def test_small_talk_nothing_else_decides_is_in_its_nearest_examples_language(e5_engine, turns,
                                                                            language):
    """A goodbye no word or language model decides ("gotta go") is answered in the language
    of its nearest example; in a conversation it keeps the conversation's language."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.language) == ("smalltalk", language), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind", [
    (["what is paradiplomacy", "and why is that important?"], "passage"),
    (["apa itu paradiplomasi", "lalu tujuannya apa?"], "passage"),
    (["apa itu paradiplomasi", "kalo pariwisata?"], "not_in_article"),
    (["apa itu paradiplomasi", "kalo ekspor?"], "passage"),
])
def test_a_follow_up_pointing_back_is_no_new_topic(e5_engine, turns, kind):
    """"and why is that important?" and "lalu tujuannya apa?" point back at the answer (a
    pronoun, "why", "-nya"), so their unknown words are no new topic; "kalo pariwisata?"
    turns to one the corpus does not know, "kalo ekspor?" to one it does."""
    answer = _conversation(e5_engine, turns)[-1]
    assert answer.kind == kind, answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail, named", [
    ("apa itu globalisasi?", "not_in_article", "setting", "globalisasi"),
    ("desentralisasi itu apa sih artinya?", "not_in_article", "setting", "desentralisasi"),
    ("what is globalization", "not_in_article", "setting", "globalization"),
    ("apa itu paradiplomasi?", "passage", None, None),
    ("what does multi-level governance mean here?", "passage", None, None),
    ("Apa itu multi-level governance dalam konteks paradiplomasi?", "passage", None, None),
    ("apa itu otonomi daerah?", "passage", "undefined", "otonomi daerah"),
])
def test_a_term_named_only_as_the_era_is_not_defined(e5_engine, message, kind, detail, named):
    """"apa itu globalisasi?": the text names globalisation only as the era of its topic
    ("di era globalisasi dan desentralisasi"), so it is declined by name; a term the text
    says something of, or one asked of the article, is answered."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail, answer.named) == (kind, detail, named), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail", [
    ("otonomi daerah mulai berlaku tahun berapa di indonesia", "not_stated", "history"),
    ("since when do regions do paradiplomacy", "not_stated", "history"),
    ("tahun berapa artikel ini terbit?", "passage", "published"),
    ("kapan paradiplomasi efektif?", "passage", None),
    ("does the paper give an example of a city that did paradiplomacy successfully",
     "not_stated", "examples"),
    ("contoh instrumen diplomasi ekonomi apa?", "passage", None),
    ("why would a city or province do diplomacy on its own?", "passage", None),
    ("kota mana yang diteliti?", "not_stated", "place"),
    ("apa bedanya paradiplomasi sama diplomasi publik?", "not_in_article", None),
    ("paradiplomasi simbolik vs kebijakan publik", "passage", None),
])
def test_years_instances_places_and_phrases_the_text_never_makes(e5_engine, message, kind,
                                                                  detail):
    """A year asked of a text that names none is not stated (the article's own date is the
    record's); an example of a city is a named instance; a place question asks where or
    which ("why would a city …" asks why); a comparison with a phrase the text's words never
    make together ("diplomasi publik") is declined."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, sentence", [
    ("peran kepala daerah dalam paradiplomasi apa?", "abstract:3"),
    ("what role do regional heads play in paradiplomacy", "abstract:3"),
    ("paradiplomasi tuh maksudnya apa ya kak, dosen nyebut terus tp aku blm ngerti",
     "abstract:1"),
    ("gmn caranya kepentingan daerah nyambung sama peluang di luar negeri", "abstract:5"),
    ("is paradiplomacy just for show?", "abstract:4"),
])
def test_roles_definitions_and_relations_find_their_sentence(e5_engine, message, sentence):
    """The role of the text's actors is what it says of them as actors (sentence 3, not
    sentence 6's synergy); a definition question gets the defining sentence despite chatter;
    "nyambung sama" asks for a relation, not sentence 1's "hubungan"; "for show" is
    "symbolic"."""
    answer = e5_engine.answer(message)
    assert answer.kind == "passage" and answer.best.id.endswith(sentence), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["oke paham, thx kak"], "smalltalk", "thanks", "id"),
    (["oke see you"], "smalltalk", "goodbye", "en"),
    (["see ya"], "smalltalk", "goodbye", "en"),
    (["gmn cara nyitasi artikel ini di skripsi"], "citation", "apa", "id"),
    (["paradiplomasi ngapain aja buat diplomasi ekonomi",
      "sorry, could you answer in english? my friend cant read indo"],
     "passage", "translation", "en"),
])
def test_small_talk_saying_two_things_colloquial_cues_and_the_language_asked(
        e5_engine, turns, kind, detail, language):
    """Thanks outweighs an acknowledgement and a goodbye an "ok"; "see ya" is English;
    "nyitasi" is "sitasi" (a colloquial nasal prefix); the language asked for in a phrase
    ("answer in english") wins over one named in passing ("can't read indo")."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail", [
    ("What is the boiling point of water?", "not_in_article", None),
    ("tolong rangkumin abstraknya kak, lg buru2", "summary", "summary"),
    ("pesan pokok yg mau disampein penulis tuh apa ya", "summary", "conclusion"),
    ("key points?", "summary", "conclusion"),
    ("ringkesan artikel", "summary", "summary"),
    ("penelitian ini dilakukan di mana?", "not_stated", "place"),
    ("i dont have time to read, what's it about", "summary", "summary"),
    ("mantap botnya, keren", "smalltalk", "praise"),
    ("oke dh gitu aja, byee", "smalltalk", "goodbye"),
])
def test_misspelt_requests_chatter_and_praise(e5_engine, message, kind, detail):
    """A misspelt request word is mended ("ringkesan"), but a right word is never mended
    into one ("penelitian"); "point" alone is no request for the main point ("the boiling
    point of water"); chatter around a request leaves it a request; praise is thanked;
    "byee" says goodbye."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["kepemimpinan kepala daerah sepenting itu ya?", "kok bisa?"], "passage", "again", "id"),
    (["paradiplomasi artinya apa kak", "oh oke", "eh bisa pake english ga? buat tugas"],
     "passage", "translation", "en"),
    (["ieee format pls", "apa style instead"], "citation", "apa", "en"),
    (["rangkum dong abstraknya", "dari situ yg paling penting apa?"], "summary", "conclusion",
     "id"),
])
def test_fifth_review_of_conversations(e5_engine, turns, kind, detail, language):
    """"kok bisa?" after an answer asks why, not what the bot can do (the two sentences
    shown, near-tied, answer it again: the best is shown with the next); "pake english" asks
    for English even for an assignment; "apa style" names the style, so the message is
    English; "the most important" of a summary is the conclusion."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, detail", [
    (["👍"], "ack"),
    (["🙏🙏"], "thanks"),
    (["👋"], "greeting"),
    (["apa itu paradiplomasi?", "👋"], "goodbye"),
    (["sorry kak salah ketik"], "apology"),
    (["maaf typo"], "apology"),
    (["maaf ganggu kak"], "greeting"),
    (["tes tes"], "greeting"),
    (["gpp kak"], "ack"),
    (["are you chatgpt?"], "about"),
])
def test_emoji_apologies_and_pings_are_small_talk(e5_engine, turns, detail):
    """An emoji sent alone says something ("👍" okay, "🙏" thanks, "👋" hello, or goodbye
    after an answer); an apology for a typo is answered "no problem"; "tes tes" and "gpp"
    are small talk, not questions the article does not cover."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == ("smalltalk", detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["metode penelitiannya apa", "terus datanya?"], "not_stated", "data", "id"),
    (["sitasi harvard", "kalo apa?"], "citation", "apa", "id"),
    (["cite in chicago", "what about apa?"], "citation", "apa", "en"),
    (["judulnya apa", "english title?"], "passage", "title", "en"),
    (["kesimpulannya apa", "maksudnya gmn?"], "passage", "clarify", "id"),
    (["kepala daerah harus ngapain aja biar paradiplomasi sukses", "kenapa?"], "passage",
     "again", "id"),
    (["paradiplomasi lewat apa aja jadi diplomasi ekonomi?", "and investment?"], "passage",
     "again", "id"),
])
def test_new_user_review_of_follow_ups(e5_engine, turns, kind, detail, language):
    """"terus datanya?" names the data (not "more"); "kalo apa?" after a reference is APA;
    "english title?" is the English title; "maksudnya gmn?" after a conclusion shows it again
    with its nearest sentence; "kenapa?" after two near-tied sentences adds a third rather
    than repeating both; an English follow-up word in an Indonesian conversation leans on it."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer
    if detail == "again":
        shown = [p.id for p in answer.shown_passages]
        assert len(set(shown)) == len(shown) == 2, answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail, language, sentence", [
    ("berapa 2+2", "not_in_article", None, "id", None),
    ("tell me about the article", "summary", "summary", "en", None),
    ("main idea?", "summary", "conclusion", "en", None),
    ("kapan otonomi daerah mulai berlaku", "not_stated", "history", "id", None),
    ("keplaa daerah perannya apa", "passage", None, "id", "abstract:3"),
    ("kepaladaerah perannya apa", "passage", None, "id", "abstract:3"),
    ("cara donor darah", "not_in_article", None, "id", None),
    ("/start", "smalltalk", "about", "id", None),
    ("misal bupati aku ke jepang buat kerja sama dagang, itu termasuk paradiplomasi gak sih",
     "passage", None, "id", "abstract:1"),
    ("how can a province attract foreign investors based on this paper", "passage", None,
     "en", "abstract:2"),
])
def test_new_user_review_of_single_messages(e5_engine, message, kind, detail, language,
                                            sentence):
    """A sum is no question about the article's figures; "tell me about the article" and
    "main idea?" are requests (in English); "kapan … mulai berlaku" asks a date the text
    lacks; short key words typed wrong or run together are mended ("keplaa", "kepaladaerah")
    but a five-letter word is never ("darah"); a command is in the default language; "is
    that paradiplomacy?" about a student's own example gets the definition; "based on this
    paper" frames the question."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer
    if sentence is not None:
        assert answer.best is not None and answer.best.id.endswith(sentence), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind", [
    ("jelasin diplomasi publik dong", "not_in_article"),
    ("apa itu diplomasi budaya", "not_in_article"),
    ("apa itu diplomasi ekonomi", "passage"),
    ("what is public policy", "passage"),
    ("apa itu paradiplomasi sebenarnya", "passage"),
])
def test_a_phrase_the_text_never_makes_is_not_defined(e5_engine, message, kind):
    """"apa itu diplomasi budaya", "jelasin diplomasi publik": the text has "diplomasi" and
    "publik", never together, so it cannot define the phrase; a phrase it has ("diplomasi
    ekonomi", "public policies") is answered."""
    assert e5_engine.answer(message).kind == kind


@pytest.mark.real_model
def test_how_are_you_is_answered_before_the_greeting(e5_engine):
    """"apa kabar min?" gets "Baik, terima kasih!" before the greeting, in its language."""
    answer = e5_engine.answer("apa kabar min?")
    assert plain_text(reply_for(answer, e5_engine)).startswith("Baik, terima kasih! Halo!")


@pytest.mark.real_model
@pytest.mark.parametrize("message, detail, named", [
    ("apa itu birokrasi", "undefined", "birokrasi"),
    ("what does bureaucracy mean", "undefined", "bureaucracy"),
    ("what is multi-level governance", "undefined", "multi-level governance"),
    ("apa itu paradiplomasi", None, None),
    ("what is the role of regional heads", None, None),
    ("multi level governance maksudnya apa di artikel ini kak", None, None),
])
def test_a_term_the_text_never_defines_is_said_so(e5_engine, message, detail, named):
    """A definition asked of a term the abstract names but never defines is answered with
    what it says of it, under a lead that says so; the subject it defines, a role, and a
    meaning asked of the article are answered plainly."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail, answer.named) == ("passage", detail, named), answer
    if detail:
        from bot.i18n import t

        lead = t(answer.language, "undefined", term=named)
        assert plain_text(reply_for(answer, e5_engine)).startswith(lead), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail", [
    ("berapa kali artikel ini disitasi", "not_stated", "impact"),
    ("impact factor jurnalnya berapa", "not_stated", "impact"),
    ("berapa jumlah referensinya?", "not_stated", "references"),
    ("rekomendasi jurnal lain ttg paradiplomasi dong", "not_in_article", "other_works"),
    ("can you recommend similar articles", "not_in_article", "other_works"),
    ("ada artikel lain dari penulis yg sama gak", "not_in_article", "other_works"),
    ("penulis lain selain istiq siapa", "passage", "authors"),
    ("rekomendasi buat kepala daerah apa", "passage", None),
    ("apa rekomendasi penulis?", "summary", "conclusion"),
])
def test_citation_counts_and_other_reading(e5_engine, message, kind, detail):
    """How often the article was cited (or the journal's rank) is not stated, unlike how
    many references it has; other reading cannot be recommended (the bot knows only its
    corpus), while what the article or its authors recommend is the text's."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind", [
    ("siapa walikota bandung", "not_in_article"),
    ("gubernur sekarang siapa", "not_in_article"),
    ("yg mulai ngajak kerja sama ke luar negeri biasanya siapa? walikota?", "passage"),
    ("what should the governor or mayor actually do?", "passage"),
])
def test_who_holds_an_office_is_a_name_the_text_never_gives(e5_engine, message, kind):
    """"siapa walikota bandung", "gubernur sekarang siapa" ask an office holder's name,
    which the text never gives; "who starts the cooperation, the mayor?" asks who acts.
    (Whether the search then answers it is the answerability model's call: "yg mulai
    ngajak kerja sama …" sits at p 0.53, under the threshold fitted on all read sets.)"""
    searched, _ = e5_engine.prepare(message)
    language = e5_engine.detect_language(message)
    declined = e5_engine.limits.asks_who_holds_an_office(searched, language)
    assert declined == (kind == "not_in_article")
    if declined:
        assert e5_engine.answer(message).kind == kind


@pytest.mark.real_model
@pytest.mark.parametrize("message, sentence", [
    ("walkot ngapain aja dlm paradiplomasi", 3),
    ("apa tugas kepala daerah dalam paradiplomasi", 3),
    ("what do regional heads do in paradiplomacy?", 3),
    ("what makes paradiplomacy work well according to the authors", 6),
    ("how can a province attract foreign investor with this", 2),
    ("ada tugas kuliah nih, apa itu paradiplomasi", 1),
])
def test_what_someone_does_and_everyday_words(e5_engine, message, sentence):
    """"X ngapain aja", "apa tugas X", "what do X do" ask what the text's actors do (its
    sentence on them as actors); "work well" is effective, "attract investor" investment
    promotion; "ada tugas kuliah" names homework and asks no one's duty."""
    answer = e5_engine.answer(message)
    assert answer.kind == "passage", answer
    assert answer.best.id.endswith(f"abstract:{sentence}"), answer.best.id


@pytest.mark.real_model
@pytest.mark.parametrize("turns, detail", [
    (["who wrote this?", "when?"], "published"),
    (["siapa penulisnya", "kapan ya?"], "published"),
    (["judulnya apa", "kapan"], "published"),
])
def test_a_lone_when_after_the_record_asks_the_date(e5_engine, turns, detail):
    """"when?" right after an answer from the record (authors, title) asks when the article
    appeared, not again who wrote it."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == ("passage", detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind", [
    ("what is constructivism in international relations theory", "not_in_article"),
    ("apa itu realisme dalam hubungan internasional", "not_in_article"),
    ("gimana cara jadi kepala daerah? syaratnya apa aja", "not_in_article"),
    ("how do i become a governor", "not_in_article"),
    ("whats the goal of the cross border collaborations", "passage"),
    ("what is the meaning of paradiplomacy in this article?", "passage"),
    ("gimana biar jadi efektif", "passage"),
])
def test_a_term_the_corpus_never_names_and_how_to_become_an_office_holder(
        e5_engine, message, kind):
    """A definition of a word no passage has, placed in a field the text names ("… in
    international relations"), and how to become a regional head, are declined; "the goal
    of", "the meaning of" ask something of what follows."""
    assert e5_engine.answer(message).kind == kind


@pytest.mark.real_model
@pytest.mark.parametrize("message, sentence", [
    ("pemda jalan sendiri atau ngelengkapin pusat?", 5),
    ("kalo dijalanin bener, paradiplomasi bisa jadi alat buat pembangunan apa?", 6),
    ("ujung2nya biar daerahnya lebih kompetitif ya kak?", 2),
])
def test_the_glossary_reads_students_everyday_words(e5_engine, message, sentence):
    """"ngelengkapin" is the text's "komplementer", "alat" its "instrumen", "kompetitif"
    its "daya saing" (index/glossary.toml)."""
    answer = e5_engine.answer(message)
    assert answer.kind == "passage", answer
    assert any(p.id.endswith(f"abstract:{sentence}") for p in answer.shown_passages), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, language, lead", [
    ("sitasi vancouver dong", "id", "Gaya Vancouver belum tersedia di sini; ini sitasi APA 7:"),
    ("cite in vancouver style", "en", "Vancouver is not available here; this is the APA 7"),
])
def test_a_style_that_is_not_built_says_so(e5_engine, message, language, lead):
    """A reference asked in a style the bot does not format comes in APA under a lead that
    says so, not as if it were the one asked for."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail, answer.named) == ("citation", "apa", "Vancouver")
    assert plain_text(reply_for(answer, e5_engine)).startswith(lead)


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, named", [
    (["penulis pertamanya siapa", "kapan?"], "passage", "published", None),
    (["siapa yg nulis", "mereka dari mana?", "kapan ya?"], "passage", "published", None),
    (["sitasi mla", "kalo vancouver?"], "citation", "apa", "Vancouver"),
    (["AMA style please"], "citation", "apa", "AMA"),
    (["sitasi APA edisi 6"], "citation", "apa", "APA 6"),
    (["apa itu vancouver?"], "not_in_article", None, None),
    (["gw bingung"], "smalltalk", "about", None),
    (["i dont understand"], "smalltalk", "about", None),
    (["bantu aku dong"], "smalltalk", "about", None),
    (["पैराडिप्लोमेसी क्या है"], "not_a_question", "language", None),
])
def test_new_user_review_of_this_session(e5_engine, turns, kind, detail, named):
    """"kapan?" after any reply from the record asks the date; a style the bot does not
    format, asked after a reference or with a word for styles, is named (a city asked about
    is not a style); a student lost before anything was answered is told what the bot does;
    Devanagari is another script, not "no word"."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == (kind, detail), answer
    if named:
        assert answer.named == named


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail", [
    (["apa peran kepala daerah dalam paradiplomasi", "contohnya?", "terus?",
      "kenapa itu penting?"], "passage", None),
    (["paradiplomasi tuh buat apa sih", "siapa yang mulai?"], "passage", "again"),
    (["pemda ngapain aja dlm kerjasama luar negeri"], "passage", None),
])
def test_topics_kept_through_not_stated_replies_and_what_x_does(e5_engine, turns, kind,
                                                                  detail):
    """A not-stated reply keeps the topic's question, so a "why" two turns later leans on
    it; "siapa yang mulai?" after an answer asks who starts what it was about, not who the
    bot is; "X ngapain aja" is no definition question ("the abstract does not define …")."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, detail, shows", [
    (["in-text citation apa"], "apa", "(Agustina et al., 2025)"),
    (["sitasi MLA", "in-text nya gimana?"], "mla", "(Agustina et al.)"),
    (["sitasi dalam teks harvard"], "harvard", "(Agustina et al., 2025)"),
])
def test_in_text_citations_are_given_when_asked(e5_engine, turns, detail, shows):
    """"in-text citation APA", "sitasi dalam teks", or "in-text nya?" after a reference
    (in its style) give the citation inside the student's text, not the list entry."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.in_text) == ("citation", detail, True)
    assert shows in plain_text(reply_for(answer, e5_engine))


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, sentence", [
    # examples of what is done: the sentence listing the means, once, under a lead
    (["apa itu paradiplomasi", "contoh kegiatannya apa aja?"], "passage", "means", 2),
    (["what is paradiplomacy", "any examples?"], "passage", "means", 2),
    (["contoh kegiatan paradiplomasi apa aja?"], "passage", "means", 2),
    (["paradiplomasi bisa lewat promosi investasi ya?", "contohnya gimana?"],
     "not_stated", "examples", None),
    (["apa itu paradiplomasi", "contoh kota yang sukses apa aja?"],
     "not_stated", "examples", None),
    (["apa itu paradiplomasi", "contohnya di jepang gimana?"], "not_stated", "examples", None),
    # "tugas" as someone's duty after an answer, not homework
    (["siapa aktor utama paradiplomasi?", "oke. trus dia tugasnya ngapain aja?"],
     "passage", "again", 3),
    # the duties of an institution the text never names, about nothing else it says
    (["tugas pokok kemenlu apa aja sih"], "not_in_article", None, None),
    (["what does the foreign ministry do?"], "not_in_article", None, None),
    (["tugas gubernur apa aja"], "passage", None, 3),
    (["peran kemenlu dalam paradiplomasi apa"], "passage", None, 5),
    # a language named as an adjective, or as the one not understood
    (["how do indonesian regions attract investors?"], "passage", None, 2),
    (["what is paradiplomacy?", "translate ke indo"], "passage", "translation", 1),
    # "dalam kerangka X" frames a question; "kerangka teori" asks the theory
    (["dlm kerangka otda, peran strategis paradiplomasi tuh apa ya kak"], "passage", None, 2),
    (["kerangka teorinya apa"], "not_stated", "theory", None),
    # a clause about the student beside a field asked
    (["judul lengkapnya apa ya, sy lupa nyatet"], "passage", "title", None),
    (["siapa penulis buku laskar pelangi"], "not_in_article", None, None),
])
def test_examples_duties_languages_and_frames(e5_engine, turns, kind, detail, sentence):
    """"contoh kegiatannya?" gets the sentence listing the subject's means (the abstract
    names no particular case), unless it was just shown or a place or person is asked;
    "dia tugasnya ngapain?" asks a duty; the duties of a ministry the text never names are
    not in it; "indonesian regions" asks no translation; "dalam kerangka otonomi daerah"
    asks no theory; "sy lupa nyatet" is chatter beside the title asked."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == (kind, detail), answer
    if sentence is not None:
        assert answer.shown_passages[0].id.endswith(f"abstract:{sentence}"), answer


@pytest.mark.real_model
def test_examples_lead_and_a_language_not_understood(e5_engine):
    """The means sentence comes under a lead saying the abstract names no particular case;
    "english pls, my friend dont understand indo" asks for English."""
    answer = _conversation(e5_engine, ["apa itu paradiplomasi", "contohnya apa aja?"])[-1]
    assert plain_text(reply_for(answer, e5_engine)).startswith(
        "Abstrak ini tidak memberi contoh kasus tertentu")
    answer = _conversation(e5_engine, [
        "apa itu paradiplomasi",
        "english pls, my friend from exchange program dont understand indo"])[-1]
    assert (answer.detail, answer.language) == ("translation", "en")


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail", [
    ("in your opinion is paradiplomacy dangerous for national unity", "not_in_article",
     "opinion"),
    ("kamu setuju gak sama penulisnya?", "not_in_article", "opinion"),
    ("apa pendapat kamu tentang paradiplomasi", "not_in_article", "opinion"),
    ("menurut kamu apa itu paradiplomasi", "passage", None),
    ("what do you think the main argument is?", "summary", "conclusion"),
])
def test_the_bots_own_view_is_not_given(e5_engine, message, kind, detail):
    """Asked its own view, yes or no, the bot says it has none and reports the article
    ("do you agree with the authors?" used to get the author line); a question the article
    answers, asked "menurut kamu", is answered."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail, sentence", [
    ("kalimat kedua abstraknya maksudnya apa", "passage", None, 2),
    ("what does the last sentence mean", "passage", None, 6),
    ("sinergi yg disebut di kalimat terakhir abstrak itu antara apa aja", "passage", None, 6),
    ("summarize the abstract in 2-3 sentences", "summary", "summary", None),
    ("ini artikel terbit kapan ya, takut kelamaan buat referensi", "passage", "published",
     None),
    ("kapan terbit? buat sitasi", "passage", "published", None),
    ("sitasi buat referensi skripsi", "citation", "apa", None),
])
def test_sentences_by_place_and_what_a_request_is_for(e5_engine, message, kind, detail,
                                                     sentence):
    """A sentence named by its place is shown ("kalimat kedua …"; "in 2-3 sentences"
    counts them); a record field asked "buat referensi" is the field, the reference only
    what it is for."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer
    if sentence is not None:
        assert answer.best.id.endswith(f"abstract:{sentence}"), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail", [
    (["rekomendasi buku paradiplomasi dong"], "not_in_article", "other_works"),
    (["ada artikel lain ttg paradiplomasi?"], "not_in_article", "other_works"),
    (["rekomendasi buat kepala daerah apa"], "passage", None),
    (["isi UU 23 tahun 2014 ttg pemda apa"], "not_in_article", None),
    (["pasal 363 isinya apa"], "not_in_article", None),
    (["paradiplomasi tahun 2025 gimana"], "passage", None),
    (["apa itu paradiplomasi", "trus ASEAN itu apa?"], "not_in_article", None),
    (["kunci paradiplomasi?", "terus Ridwan Kamil gimana?"], "not_in_article", None),
    (["apa itu paradiplomasi", "lanjut bestie"], "passage", "more"),
    (["who is the main actor in paradiplomacy", "why is that important?"], "passage", "again"),
    (["daya saing menurut Porter apa"], "not_in_article", None),
    (["Prabowo ngomong apa soal paradiplomasi?"], "not_in_article", None),
    (["penulis bilang apa soal kepala daerah?"], "passage", None),
    (["menurut dosenku paradiplomasi itu penting, bener gak?"], "passage", None),
    (["menurut artikel ini apa itu paradiplomasi"], "passage", None),
])
def test_other_reading_laws_years_and_names_the_corpus_never_has(e5_engine, turns, kind,
                                                                 detail):
    """A book or "artikel lain" is other reading; a numbered law or a year no passage names
    is not in the article (the record's 2025 is); "terus X itu apa?" naming something no
    passage mentions nor the Indonesian dictionary has is a new question (refused), not
    "more" ("lanjut bestie" still is); "menurut Porter" cites a name the corpus lacks
    ("menurut dosenku" someone of the student's own)."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail, language", [
    (["tahun berapa?"], "passage", "published", "id"),
    (["siapa penulisnya", "tahun berapa?"], "passage", "published", "id"),
    (["bisa minta sitasi harvard tp bahasa inggris"], "citation", "harvard", "en"),
    (["cara nulis dapus artikel ini"], "citation", "apa", "id"),
    (["rilisnya kapan nih artikel, mau sy masukin ke dapus"], "passage", "published", "id"),
    (["paradiplomasi fungsinya apa dalam otda",
      "maksudnya gmn kak, jelasin pake bahasa simpel"], "passage", "clarify", "id"),
    (["apa itu paradiplomasi", "rangkum pake bahasa simpel"], "summary", "summary", "id"),
    (["apa itu good governance"], "not_in_article", None, "id"),
    (["apa itu city diplomacy"], "not_in_article", None, "id"),
    (["jelaskan pengertian paradiplomasi"], "passage", None, "id"),
    (["pegawai pemda harus adaptif sama apa"], "passage", None, "id"),
])
def test_second_new_user_review(e5_engine, turns, kind, detail, language):
    """"tahun berapa?" alone asks the article's year; a reference asked "tp bahasa inggris"
    comes in English; "dapus" asks for a reference, unless it is what another answer is
    for; "jelasin pake bahasa simpel" after an answer explains that answer; "good
    governance", "city diplomacy" are phrases the text never makes; "pegawai pemda" reaches
    the glossary as the normaliser writes it ("pegawai pemerintah daerah": bureaucracy)."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail, answer.language) == (kind, detail, language), answer
    if turns[-1].startswith("pegawai"):
        assert answer.best.id.endswith("abstract:3"), answer


@pytest.mark.real_model
def test_the_summary_names_what_the_title_is_about_and_a_preamble_is_chatter(e5_engine):
    """The summary keeps the sentence on the regional heads the title names ("Peran
    Strategis Kepala Daerah …"), in both languages; chatter before a colon is no part of the
    question ("maaf ganggu kak, mau nanya buat laporan bacaan: …")."""
    for message in ("rangkum dong", "summarize the paper"):
        answer = e5_engine.answer(message)
        assert answer.kind == "summary"
        assert [p.id.rsplit(":", 1)[1] for p in answer.shown_passages] == ["1", "2", "3"]
    answer = e5_engine.answer("maaf ganggu kak, mau nanya buat laporan bacaan: daerah pake "
                              "paradiplomasi buat ningkatin apa?")
    assert answer.kind == "passage", answer
    answer = e5_engine.answer("sorry english is easier for me: what does the abstract say "
                              "about bureaucracy?")
    assert (answer.kind, answer.best.id.rsplit(":", 1)[1]) == ("passage", "3"), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message", [
    "dosenku nanya apakah paradiplomasi itu bertentangan sm politik luar negeri RI, "
    "jawabannya apa menurut artikel",
    "does paradiplomacy conflict with foreign policy?",
])
def test_conflict_with_foreign_policy_is_answered_by_the_complementary_role(e5_engine,
                                                                             message):
    """"politik luar negeri", "foreign policy" are national diplomacy; whether paradiplomacy
    conflicts with it is what sentence 5 (complementary) answers."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.best.id.rsplit(":", 1)[1]) == ("passage", "5"), answer


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, detail", [
    ("siapa bupati pertama di indonesia", "not_in_article", None),
    ("siapa gubernur terbaik", "not_in_article", None),
    ("siapa yang pertama memulai kerja sama, gubernur?", "passage", None),
    ("siapa yg pertama kali memperkenalkan istilah paradiplomasi", "not_stated", "history"),
    ("who coined the term paradiplomacy", "not_stated", "history"),
])
def test_ranked_office_holders_and_who_started_the_idea(e5_engine, message, kind, detail):
    """An office ranked ("bupati pertama", "gubernur terbaik") asks a name the text never
    gives; who first introduced or coined the term is its history, not stated; "siapa yang
    pertama memulai kerja sama" asks who acts (the regional heads)."""
    answer = e5_engine.answer(message)
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
@pytest.mark.parametrize("turns, kind, detail", [
    (["what do you think, is paradiplomacy a good idea?"], "not_in_article", "opinion"),
    (["is paradiplomacy dangerous in your view?"], "not_in_article", "opinion"),
    (["paradiplomacy good or bad, what's your take?"], "not_in_article", "opinion"),
    (["kalau menurut kamu sendiri gimana, paradiplomasi perlu ga?"], "not_in_article",
     "opinion"),
    (["bot, kamu pro atau kontra paradiplomasi?"], "not_in_article", "opinion"),
    (["menurut kamu bagaimana cara daerah menarik investasi?"], "passage", None),
    (["what does sentence three say?"], "passage", None),
    (["what's the 4th sentence?"], "passage", None),
    (["siapa wali kota paling sukses menarik investasi asing"], "not_in_article", None),
    (["apa itu paradiplomasi", "trus kalo WTO?"], "not_in_article", None),
    (["apa itu paradiplomasi", "bisa dijelasin lebih simpel ga? aku ga paham"], "passage",
     "clarify"),
    (["apa aja bentuk paradiplomasi?"], "passage", "means"),
    (["cara bikin CV yang bagus"], "not_in_article", None),
    (["how nice, thanks"], "smalltalk", "thanks"),
])
def test_focused_review_of_this_sessions_behaviours(e5_engine, turns, kind, detail):
    """More ways to ask the bot's view ("your take", "in your view", "kamu pro atau
    kontra", "menurut kamu sendiri gimana"); a sentence by place in English words; an
    office holder ranked with "paling"; "trus kalo WTO?" naming what the corpus lacks; "bisa
    dijelasin lebih simpel?" after an answer; the forms of the subject; "cara bikin CV yang
    bagus" is a how-to question, not praise."""
    answer = _conversation(e5_engine, turns)[-1]
    assert (answer.kind, answer.detail) == (kind, detail), answer


@pytest.mark.real_model
def test_translate_to_english_before_a_colon_answers_in_english(e5_engine):
    """"translate to english: apa itu paradiplomasi" says how to answer: the preamble stays."""
    answer = e5_engine.answer("translate to english: apa itu paradiplomasi")
    assert (answer.kind, answer.language) == ("passage", "en"), answer
    assert answer.best.id.endswith("abstract:1")


@pytest.mark.real_model
@pytest.mark.parametrize("message, kind, sentence", [
    ("gmn caranya kerjasama luar negeri gak cuma seremonial doang", "passage", 4),
    ("do the civil servants need to change to handle global things", "passage", 3),
    ("is it related with globalisation and decentralisation or smth?", "passage", 1),
    ("what is multi level governance role here", "passage", 5),
    ("UU nomor berapa yg ngatur kerja sama luar negeri pemda?", "not_in_article", None),
    ("resep nasi goreng dong", "not_in_article", None),
])
def test_students_words_reach_the_dense_model_as_the_texts_terms(e5_engine, message, kind,
                                                                 sentence):
    """The dense model reads a question also through the glossary ("seremonial" as the
    text's "simbolik", "civil servants" as "bureaucracy"), when the question names a word
    of the text as typed: "resep nasi goreng" names none, so "resep" is no "kunci". Two
    index words typed as one ("kerjasama") and British spellings are read as the index
    has them; which law, asked by its number, is not in an article that names none."""
    answer = e5_engine.answer(message)
    assert answer.kind == kind, answer
    if sentence is not None:
        assert answer.best.id.endswith(f"abstract:{sentence}"), answer
