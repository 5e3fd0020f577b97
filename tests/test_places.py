from index.places import Places, fold, gazetteer

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
