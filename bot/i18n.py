"""Everything the bot says, in Indonesian and English."""

from __future__ import annotations

from index import DEFAULT_LANGUAGE

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "welcome": ("Halo{name}! Saya <b>Tanya Paradiplomasi</b>. Saya menjawab pertanyaan tentang "
                    "artikel <i>{title}</i> ({authors}, {year}).\n\n"
                    "Tulis pertanyaan dalam bahasa Indonesia atau Inggris, atau pilih salah satu:"),
        "help": ("<b>Cara memakai</b>\n"
                 "• Tulis pertanyaan tentang artikel, misalnya <i>Apa itu paradiplomasi?</i> "
                 "Boleh santai: <i>paradiplomasi tuh apaan sih?</i>\n"
                 "• Minta <i>rangkum dong</i>, <i>kesimpulannya apa?</i> atau <i>cara "
                 "sitasinya gimana?</i>; lanjutkan dengan <i>lanjut</i>, <i>kenapa itu "
                 "penting?</i> atau <i>in English please</i>.\n"
                 "• Di grup: <code>/tanya pertanyaan</code>, <code>/ask question</code>, sebut "
                 "@{bot}, atau balas pesan saya.\n"
                 "• Di chat mana pun: ketik <code>@{bot} pertanyaan</code>.\n\n"
                 "/about — tentang artikel\n/abstrak — abstrak lengkap (Indonesia)\n"
                 "/abstract — abstrak lengkap (Inggris)\n/sitasi — sitasi (APA, MLA, BibTeX, …)\n"
                 "/kuis — kuis tentang artikel\n/hasil — hasil kuis\n/bahasa — bahasa jawaban\n"
                 "/forget — hapus semua data Anda"),
        "other_language": "🇬🇧 English",
        "more": "➕ Lebih banyak",
        "more_title": "Bagian lain yang relevan:",
        "also_relevant": "Juga relevan:",
        "item_authors": "Penulis ke-{n} dari {total}: {item}",
        "item_keywords": "Kata kunci ke-{n} dari {total}: {item}",
        "item_missing_authors": "Artikel ini hanya punya {total} penulis:",
        "item_missing_keywords": "Artikel ini hanya punya {total} kata kunci:",
        "only_text": "Saya hanya bisa menjawab pertanyaan berupa teks. 🙂",
        "ask_needs_question": "Tulis pertanyaannya setelah perintah, misalnya: <code>/tanya apa itu paradiplomasi?</code>",
        "stale_button": "Tombol ini sudah kedaluwarsa. Silakan tanya lagi.",
        "error": "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi.",
        "language_prompt": "Pilih bahasa jawaban (sekarang: {current}).",
        "language_set": "Bahasa jawaban: {current}.",
        "lang_auto": "Otomatis (ikuti pertanyaan)",
        "lang_id": "Bahasa Indonesia",
        "lang_en": "English",
        "about_title": "<b>Tentang artikel</b>",
        "about_fields": ("<b>Judul:</b> {title}\n<b>Penulis:</b> {authors}\n<b>Afiliasi:</b> "
                         "{affiliations}\n<b>Terbit:</b> {date}\n<b>Kata kunci:</b> {keywords}"),
        "no_abstract": "Abstrak dalam bahasa ini tidak tersedia.",
        "unknown_command": "Perintah itu tidak saya kenal. Lihat /help.",
        "inline_none": "Tidak ada di artikel ini",
        "inline_none_text": "Artikel ini tidak membahas hal itu.",
        "translation_note": "terjemahan kami",
        "slow_down": "Pelan-pelan ya 🙂 Tunggu sebentar sebelum bertanya lagi.",
        "reload_ok": "Indeks dimuat ulang: {detail}",
        "reload_refused": "Indeks baru DITOLAK, indeks lama tetap dipakai: {detail}",
        "vote_thanks": "Terima kasih atas penilaiannya!",
        "vote_changed": "Penilaian diubah.",
        "vote_same": "Penilaian sudah tercatat.",
        "forgotten": "Semua data tentang Anda (pertanyaan, penilaian, pilihan bahasa, jawaban kuis) sudah dihapus.",
        "forget_anonymous": "Dikirim sebagai grup atau kanal, /forget tidak menghapus apa pun "
                            "(data anonim dipakai bersama). Kirim /forget dari akun Anda sendiri.",
        "link_usage": ("Tulis pertanyaannya setelah perintah, misalnya: <code>/link apa itu "
                       "paradiplomasi?</code> Saya balas dengan tautan dan kode QR-nya: siapa "
                       "pun yang membukanya langsung mendapat jawabannya."),
        # Class quizzes (bot/telegram/quiz.py): /kuis, the round's score, /hasil.
        "quiz_start_private": "🧠 Kuis: {n} soal tentang artikel, satu per satu. Pilih jawabanmu!",
        "quiz_start_group": ("🧠 Kuis kelas: {n} soal tentang artikel. Jawab semuanya; dosen "
                             "melihat hasilnya dengan /hasil."),
        "quiz_admins_only": "Kuis kelas hanya bisa dimulai oleh admin grup.",
        "quiz_results_admins_only": "Hasil kuis kelas hanya bisa dilihat oleh admin grup.",
        "quiz_unavailable": "Maaf, kuis belum tersedia untuk artikel ini.",
        "quiz_score": "Selesai! Skor: {correct}/{total}.",
        "quiz_perfect": "Semua benar. 🎉 Ketik /kuis untuk ronde berikutnya.",
        "quiz_reread": "Baca lagi kalimat berikut, lalu coba /kuis lagi:",
        "quiz_no_round": "Belum ada kuis di sini. Mulai dengan /kuis.",
        "quiz_results_title": "<b>Hasil kuis</b> ({answers} jawaban dari {students} peserta)",
        "quiz_result_line": "{n}. {share}% benar ({correct}/{answers}). Jawaban: <i>{answer}</i>",
        "quiz_top_wrong": "   Salah terbanyak: <i>{option}</i> ({count})",
        "quiz_no_answers": "   belum ada jawaban",
        # Answers (plain text: the terminal shows them as they are, Telegram escapes them).
        "not_in_article": "Maaf, artikel ini tidak membahas hal itu. Coba tanyakan, misalnya:",
        "place": "Maaf, artikel ini tidak menyebut {place}. Coba tanyakan, misalnya:",
        "setting": "Artikel ini hanya menyebut {term} sebagai latar zamannya, tanpa "
                   "menjelaskan apa itu. Coba tanyakan, misalnya:",
        "again": "Kalimat tadi juga menjawabnya:",
        "undefined": "Abstrak ini tidak mendefinisikan {term}; yang dikatakannya:",
        "clarify": "Ini kalimat tadi lagi, dengan kalimat abstrak yang paling berkaitan:",
        "means": "Abstrak ini tidak memberi contoh kasus tertentu; bentuk kegiatan yang "
                 "disebutkannya:",
        "other_works": ("Saya hanya mengenal artikel ini, jadi tidak bisa merekomendasikan "
                        "bacaan lain. Tentang artikel ini, coba tanyakan, misalnya:"),
        "opinion": ("Saya tidak punya pendapat sendiri; saya hanya menyampaikan isi artikel "
                    "ini. Coba tanyakan, misalnya:"),
        "homework": ("Saya tidak bisa mengerjakan tugas, makalah, atau skripsi, tapi bisa "
                     "membantu memahami artikel ini. Coba tanyakan, misalnya:"),
        "more_exhausted": "Itu saja yang dikatakan artikel ini tentang hal itu. Coba tanyakan hal lain, misalnya:",
        "not_a_question": "Silakan tulis pertanyaan tentang artikel ini, misalnya:",
        "too_long": "Pesannya terlalu panjang. Tulis pertanyaan singkat tentang artikel ini, misalnya:",
        "greeting_hello": "Halo!",
        "greeting_fine": "Baik, terima kasih!",
        "greeting_salam": "Wa'alaikumsalam, halo!",
        "greeting_time": "Halo, selamat {time}!",
        "greeting_salam_time": "Wa'alaikumsalam, selamat {time}!",
        "greeting": "{hello} 👋 Saya Tanya Paradiplomasi. Tanyakan apa saja tentang artikel “{title}”, misalnya:",
        "thanks": "Sama-sama! 😊 Senang bisa membantu. Ada lagi yang ingin ditanyakan? Misalnya:",
        "praise": "Terima kasih! 😊 Senang kalau membantu. Ada lagi yang ingin ditanyakan? Misalnya:",
        "apology": "Tidak apa-apa! 😊 Silakan tanyakan apa saja tentang artikel ini, misalnya:",
        "ack": "Oke! 👍 Kalau masih ada yang ingin ditanyakan tentang artikel ini, silakan. Misalnya:",
        "goodbye": "Sampai jumpa! 👋 Semoga lancar belajarnya. Kapan saja mau bertanya lagi, saya di sini.",
        "about": ("Saya bot yang menjawab pertanyaan tentang artikel “{title}” ({authors}, {year}). "
                  "Tulis pertanyaan dalam bahasa Indonesia atau Inggris; saya menjawab dengan "
                  "kalimat dari artikel beserta sumbernya. Saya juga bisa meringkas, memberi "
                  "kesimpulan, membuat sitasi (APA, MLA, Chicago, IEEE, Harvard, BibTeX, RIS), "
                  "dan menjawab pertanyaan lanjutan seperti “lanjut” atau “in English please”. "
                  "Coba tanyakan, misalnya:"),
        "not_stated": ("Abstrak artikel ini tidak menyebutkan {what}. Yang dibahas abstraknya: "
                       "{covers}. Coba tanyakan, misalnya:"),
        "summary_lead": "Ringkasan abstrak:",
        "conclusion_lead": "Inti argumen artikel ini:",
        "abstract_lead": "Abstrak lengkap:",
        "citation_lead": "Sitasi {style}:",
        "citation_in_text_lead": "Sitasi dalam teks ({style}):",
        "citation_unsupported": "Gaya {asked} belum tersedia di sini; ini sitasi {style}:",
        "citation_styles": "Format lain: APA, MLA, Chicago, IEEE, Harvard, BibTeX, RIS (tulis misalnya “sitasi MLA”).",
        "citation_incomplete": ("Catatan: data artikel ini belum memuat nama jurnal, volume, "
                                "halaman, atau DOI-nya; lengkapi dari halaman jurnalnya."),
        "whole_abstract": "📄 Abstrak lengkap",
        "field_method": "metode penelitiannya",
        "field_data": "data atau sumber datanya",
        "field_sample": "sampel, responden, atau informannya",
        "field_place": "lokasi penelitiannya",
        "field_theory": "teori yang dipakai",
        "field_funding": "sumber dana penelitiannya",
        "field_contact": "kontak atau email penulisnya",
        "field_journal": "nama jurnal tempat artikel ini terbit",
        "field_volume": "volume dan nomor terbitannya",
        "field_doi": "DOI atau tautannya",
        "field_pages": "jumlah atau nomor halamannya",
        "field_references": "daftar pustaka atau sumber yang dirujuknya",
        "field_impact": "berapa kali artikel ini dikutip, atau peringkat dan indeks jurnalnya",
        "unreadable_language": ("Maaf, saya hanya memahami bahasa Indonesia dan bahasa Inggris. / "
                                "Sorry, I only understand Indonesian and English. Contoh / for "
                                "example:"),
        "field_limitations": "keterbatasan penelitiannya atau saran untuk penelitian selanjutnya",
        "field_examples": "contoh konkret (kasus, daerah, atau negara tertentu)",
        "field_figures": "angka atau statistik hasilnya",
        "field_types": "jenis-jenis atau klasifikasinya",
        "field_challenges": "tantangan atau hambatannya",
        "field_history": "sejarah, asal-usul, atau tahun-tahun peristiwanya",
        "field_keywords": "kata kuncinya",
    },
    "en": {
        "welcome": ("Hello{name}! I am <b>Tanya Paradiplomasi</b>. I answer questions about the "
                    "article <i>{title}</i> ({authors}, {year}).\n\n"
                    "Type a question in English or Indonesian, or pick one:"),
        "help": ("<b>How to use</b>\n"
                 "• Type a question about the article, e.g. <i>What is paradiplomacy?</i> "
                 "Casual is fine: <i>whats paradiplomacy?</i>\n"
                 "• Ask for a <i>summary</i>, <i>the conclusion</i> or <i>how to cite this</i>; "
                 "follow up with <i>tell me more</i>, <i>why is that important?</i> or "
                 "<i>bahasa indonesianya?</i>\n"
                 "• In groups: <code>/ask question</code>, <code>/tanya pertanyaan</code>, mention "
                 "@{bot}, or reply to my message.\n"
                 "• In any chat: type <code>@{bot} question</code>.\n\n"
                 "/about — about the article\n/abstract — the full abstract (English)\n"
                 "/abstrak — the full abstract (Indonesian)\n/cite — citation (APA, MLA, "
                 "BibTeX, …)\n/quiz — a quiz on the article\n/results — quiz results\n"
                 "/language — answer language\n/forget — delete all your data"),
        "other_language": "🇮🇩 Bahasa Indonesia",
        "more": "➕ More",
        "more_title": "Other relevant passages:",
        "also_relevant": "Also relevant:",
        "item_authors": "Author {n} of {total}: {item}",
        "item_keywords": "Keyword {n} of {total}: {item}",
        "item_missing_authors": "The article has only {total} authors:",
        "item_missing_keywords": "The article has only {total} keywords:",
        "only_text": "I can only answer text questions. 🙂",
        "ask_needs_question": "Put the question after the command, e.g. <code>/ask what is paradiplomacy?</code>",
        "stale_button": "This button has expired. Please ask again.",
        "error": "Sorry, something went wrong. Please try again in a moment.",
        "language_prompt": "Choose the answer language (now: {current}).",
        "language_set": "Answer language: {current}.",
        "lang_auto": "Automatic (follow the question)",
        "lang_id": "Bahasa Indonesia",
        "lang_en": "English",
        "about_title": "<b>About the article</b>",
        "about_fields": ("<b>Title:</b> {title}\n<b>Authors:</b> {authors}\n<b>Affiliation:</b> "
                         "{affiliations}\n<b>Published:</b> {date}\n<b>Keywords:</b> {keywords}"),
        "no_abstract": "The abstract is not available in this language.",
        "unknown_command": "I don't know that command. See /help.",
        "inline_none": "Not in this article",
        "inline_none_text": "The article does not cover that.",
        "translation_note": "our translation",
        "slow_down": "Slow down a little 🙂 Please wait a moment before asking again.",
        "reload_ok": "Index reloaded: {detail}",
        "reload_refused": "New index REFUSED, still serving the old one: {detail}",
        "vote_thanks": "Thank you for the feedback!",
        "vote_changed": "Vote changed.",
        "vote_same": "Your vote is already recorded.",
        "forgotten": "Everything stored about you (questions, votes, language choice, quiz answers) has been deleted.",
        "forget_anonymous": "Sent as a group or channel, /forget deletes nothing (anonymous "
                            "data is shared). Send /forget from your own account.",
        "link_usage": ("Write the question after the command, e.g. <code>/link what is "
                       "paradiplomacy?</code> I reply with a link and its QR code: whoever "
                       "opens it gets the answer at once."),
        # Class quizzes (bot/telegram/quiz.py): /kuis, the round's score, /hasil.
        "quiz_start_private": ("🧠 Quiz: {n} questions about the article, one at a time. Pick your "
                               "answer!"),
        "quiz_start_group": ("🧠 Class quiz: {n} questions about the article. Answer them all; "
                             "the lecturer sees the results with /results."),
        "quiz_admins_only": "Only the group's admins can start a class quiz.",
        "quiz_results_admins_only": "Only the group's admins can see the class quiz results.",
        "quiz_unavailable": "Sorry, no quiz is available for this article yet.",
        "quiz_score": "Done! Score: {correct}/{total}.",
        "quiz_perfect": "All correct. 🎉 Send /quiz for another round.",
        "quiz_reread": "Reread these sentences, then try /quiz again:",
        "quiz_no_round": "No quiz here yet. Start one with /quiz.",
        "quiz_results_title": "<b>Quiz results</b> ({answers} answers from {students} students)",
        "quiz_result_line": "{n}. {share}% correct ({correct}/{answers}). Answer: <i>{answer}</i>",
        "quiz_top_wrong": "   Most chosen wrong option: <i>{option}</i> ({count})",
        "quiz_no_answers": "   no answers yet",
        # Answers (plain text: the terminal shows them as they are, Telegram escapes them).
        "not_in_article": "Sorry, the article does not cover that. You could ask, for example:",
        "place": "Sorry, the article does not mention {place}. You could ask, for example:",
        "setting": "The article mentions {term} only as the era of its topic; it does not "
                   "explain what it is. You could ask, for example:",
        "again": "The sentence above answers this too:",
        "undefined": "The abstract does not define {term}; what it says:",
        "clarify": "Here is that sentence again, with the abstract's most related one:",
        "means": "The abstract gives no particular cases; the forms of activity it names:",
        "other_works": ("I only know this article, so I can't recommend other reading. "
                        "About this one, you could ask, for example:"),
        "opinion": ("I have no opinion of my own; I only report what the article says. "
                    "You could ask, for example:"),
        "homework": ("I can't write assignments, essays or theses, but I can help you "
                     "understand this article. You could ask, for example:"),
        "more_exhausted": "That is all the article says about it. You could ask something else, for example:",
        "not_a_question": "Please type a question about the article, for example:",
        "too_long": "That message is too long. Please ask a short question about the article, for example:",
        "greeting_hello": "Hello!",
        "greeting_fine": "I'm fine, thanks!",
        "greeting_salam": "Peace be upon you too, hello!",
        "greeting_time": "Hello, good {time}!",
        "greeting_salam_time": "Peace be upon you too, good {time}!",
        "greeting": "{hello} 👋 I am Tanya Paradiplomasi. Ask me anything about the article “{title}”, for example:",
        "thanks": "You're welcome! 😊 Glad to help. Anything else you would like to ask? For example:",
        "ack": "Okay! 👍 If there is anything else you would like to know about the article, just ask. For example:",
        "apology": "No problem! 😊 Ask me anything about the article, for example:",
        "praise": "Thank you! 😊 Glad it helps. Anything else you would like to ask? For example:",
        "goodbye": "Goodbye! 👋 Good luck with your studies. I am here whenever you want to ask again.",
        "about": ("I am a bot that answers questions about the article “{title}” ({authors}, "
                  "{year}). Ask in English or Indonesian; I answer with the article's own "
                  "sentence and where it comes from. I can also summarise it, give its "
                  "conclusion, format a citation (APA, MLA, Chicago, IEEE, Harvard, BibTeX, RIS) "
                  "and follow up on “tell me more” or “in Indonesian please”. You could ask, "
                  "for example:"),
        "not_stated": ("The abstract does not state {what}. What it does cover: {covers}. You "
                       "could ask, for example:"),
        "summary_lead": "Summary of the abstract:",
        "conclusion_lead": "The article's main argument:",
        "abstract_lead": "The whole abstract:",
        "citation_lead": "{style} reference:",
        "citation_in_text_lead": "In-text citation ({style}):",
        "citation_unsupported": "{asked} is not available here; this is the {style} reference:",
        "citation_styles": "Other styles: APA, MLA, Chicago, IEEE, Harvard, BibTeX, RIS (write, for example, “MLA citation”).",
        "citation_incomplete": ("Note: this article's record lacks the journal name, volume, "
                                "pages or DOI; complete them from the journal's page."),
        "whole_abstract": "📄 Whole abstract",
        "field_method": "the research method",
        "field_data": "the data or its sources",
        "field_sample": "the sample, respondents or informants",
        "field_place": "where the research was done",
        "field_theory": "the theory used",
        "field_funding": "who funded the research",
        "field_contact": "how to contact the authors",
        "field_journal": "the journal it was published in",
        "field_volume": "the volume and issue",
        "field_doi": "a DOI or link",
        "field_pages": "the number of pages or the page range",
        "field_references": "its reference list or the sources it cites",
        "field_impact": "how often it has been cited, or the journal's rank and indexing",
        "unreadable_language": ("Sorry, I only understand Indonesian and English. / Maaf, saya "
                                "hanya memahami bahasa Indonesia dan bahasa Inggris. For "
                                "example / contoh:"),
        "field_limitations": "the study's limitations or what future research should do",
        "field_examples": "concrete examples (particular cases, regions or countries)",
        "field_figures": "figures or statistics on its results",
        "field_types": "types or a classification",
        "field_challenges": "challenges or obstacles",
        "field_history": "the history or origin of the concept, or when things happened",
        "field_keywords": "its keywords",
    },
}

COMMANDS = {
    "id": [("tanya", "Tanya tentang artikel (di grup)"), ("about", "Tentang artikel"),
           ("abstrak", "Abstrak lengkap (Indonesia)"), ("abstract", "Abstrak lengkap (Inggris)"),
           ("sitasi", "Sitasi artikel (APA, MLA, BibTeX, …)"),
           ("kuis", "Kuis tentang artikel (5 soal)"), ("hasil", "Hasil kuis"),
           ("bahasa", "Pilih bahasa jawaban"), ("help", "Cara memakai"),
           ("link", "Tautan + kode QR sebuah pertanyaan"),
           ("forget", "Hapus data saya"), ("start", "Mulai")],
    "en": [("ask", "Ask about the article (in groups)"), ("about", "About the article"),
           ("abstract", "Full abstract (English)"), ("abstrak", "Full abstract (Indonesian)"),
           ("cite", "Cite the article (APA, MLA, BibTeX, …)"),
           ("quiz", "Quiz on the article (5 questions)"), ("results", "Quiz results"),
           ("language", "Choose the answer language"), ("help", "How to use"),
           ("link", "Link + QR code of a question"),
           ("forget", "Delete my data"), ("start", "Start")],
}


def language_of(language_code: str | None) -> str:
    """The UI language for a Telegram ``language_code`` ("id", "en-GB", ...)."""
    if language_code:
        base = language_code.split("-")[0].lower()
        if base in TEXTS:
            return base
    return DEFAULT_LANGUAGE


def t(language: str, key: str, **values: object) -> str:
    text = TEXTS.get(language, TEXTS[DEFAULT_LANGUAGE])[key]
    return text.format(**values) if values else text
