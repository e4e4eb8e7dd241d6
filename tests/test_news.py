"""The pieces of `caravana news`: numbers, dates, places, distractors, quantities, extraction.

Each test gives sentences as a reporter writes them and checks what is read from them;
the distractor tests put a count to take next to the number to leave out, so that an
extractor taking nothing fails them."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.dates import find_dates  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report, detect_language, html_to_text, text_date  # noqa: E402
from caravana.news.numbers import find_numbers  # noqa: E402
from caravana.news.sentences import split_sentences  # noqa: E402


def values(sentence, language="es"):
    return [(n.value, n.low, n.high) for n in find_numbers(sentence, language)]


def extracted(gazetteer, text, published="2018-10-22", language="es"):
    report = Report("r.txt", text, dt.date.fromisoformat(published), language)
    return [(p.quantity.value, p.place, p.date.isoformat(), p.value) for p in extract_report(report, gazetteer)]


# --- numbers --------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, language, value", [
    ("llegaron 7,200 migrantes", "es", 7200),
    ("llegaron 7.200 migrantes", "es", 7200),
    ("llegaron 3 300 migrantes", "es", 3300),
    ("llegaron 3\u00a0300 migrantes", "es", 3300),
    ("llegaron 7 mil 233 migrantes", "es", 7233),
    ("llegaron 1,5 mil migrantes", "es", 1500),
    ("llegaron dos mil migrantes", "es", 2000),
    ("llegaron unos cinco mil migrantes", "es", 5000),
    ("llegaron siete mil doscientos migrantes", "es", 7200),
    ("about two thousand Hondurans", "en", 2000),
    ("six Guatemalan immigrants died", "en", 6),
])
def test_numbers_in_digits_with_either_separator_and_in_words(sentence, language, value):
    assert values(sentence, language) == [(value, None, None)]


def test_a_decimal_point_is_not_a_thousands_separator():
    assert values("The 3.5-mile-long caravan", "en") == [(3.5, None, None)]
    assert values("1,5 millones de personas") == [(1_500_000, None, None)]


def test_vague_amounts_are_orders_of_magnitude():
    (n,) = find_numbers("cientos de migrantes", "es")
    assert n.vague and n.low == 200 and n.high == 900
    (n,) = find_numbers("thousands of migrants", "en")
    assert n.vague and n.low == 2000
    assert find_numbers("1,100 miles to the border", "en")[0].value == 1100  # English miles: a distance


def test_articles_are_not_numbers():
    assert values("un grupo de migrantes y una caravana") == []
    assert values("one of the caravans", "en") == []


@pytest.mark.parametrize("sentence, language, expected", [
    ("the caravan of more than 7,200 refugees", "en", (7200, 7200, None)),
    ("más de 7.200 migrantes", "es", (7200, 7200, None)),
    ("al menos 300 migrantes", "es", (300, 300, None)),
    ("hasta 7.200 personas", "es", (7200, None, 7200)),
    ("up to 7,200 people", "en", (7200, None, 7200)),
    ("entre 4.000 y 5.000 personas", "es", (4500, 4000, 5000)),
    ("between 4,000 and 5,000 people", "en", (4500, 4000, 5000)),
    ("entre 4 y 5 mil personas", "es", (4500, 4000, 5000)),
    ("5,100-7,200 registered", "en", (6150, 5100, 7200)),
    ("de 3.000 a 4.001 personas", "es", (3500, 3000, 4001)),
])
def test_ranges_and_bounds(sentence, language, expected):
    assert values(sentence, language) == [expected]


def test_clock_times_and_dates_are_not_numbers():
    published = dt.date(2018, 10, 22)
    sentence = "Llegaron el 20 de octubre a las 7:00 horas"
    masked = [(d.start, d.end) for d in find_dates(sentence, published, "es")]
    assert find_numbers(sentence, "es", masked) == []


# --- dates ----------------------------------------------------------------------------

MONDAY = dt.date(2018, 10, 22)


@pytest.mark.parametrize("sentence, language, day", [
    ("llegaron ayer", "es", "2018-10-21"),
    ("anteayer salieron", "es", "2018-10-20"),
    ("el domingo salieron", "es", "2018-10-21"),
    ("el sábado cruzaron", "es", "2018-10-20"),
    ("este lunes llegaron", "es", "2018-10-22"),
    ("hace diez días", "es", "2018-10-12"),
    ("el 13 de octubre", "es", "2018-10-13"),
    ("yesterday they arrived", "en", "2018-10-21"),
    ("on Saturday they crossed", "en", "2018-10-20"),
    ("reached the border Friday", "en", "2018-10-19"),
    ("ten days ago", "en", "2018-10-12"),
    ("on Oct. 19", "en", "2018-10-19"),
    ("on October 19, 2018", "en", "2018-10-19"),
])
def test_relative_and_absolute_dates_in_both_languages(sentence, language, day):
    (found,) = [d for d in find_dates(sentence, MONDAY, language) if d.date]
    assert found.date.isoformat() == day


def test_this_week_is_the_publication_day_marked_vague():
    for sentence, language in (("esta semana", "es"), ("this week", "en")):
        (found,) = find_dates(sentence, MONDAY, language)
        assert found.date == MONDAY and found.vague


def test_a_day_without_a_year_is_the_latest_before_publication():
    (found,) = find_dates("on October 20", dt.date(2019, 1, 15), "en")
    assert found.date == dt.date(2018, 10, 20)


# --- places ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, place", [
    ("Llegaron a Tecún Umán", "Tecun Uman"),
    ("Llegaron a Tecun Uman", "Tecun Uman"),
    ("Llegaron a la CDMX", "Mexico City"),
    ("Llegaron a la Ciudad de México", "Mexico City"),
    ("They reached Mexico City", "Mexico City"),
    ("Llegaron a Juchitán de Zaragoza", "Juchitan"),
    ("Llegaron a San Pedro de Sula", "San Pedro Sula"),
    ("Llegaron a Tapachulla", "Tapachula"),  # misspelt: fuzzy
    ("Llegaron a la capital guatemalteca", "Guatemala City"),
    ("Entraron a México", "MX"),
])
def test_place_names_aliases_accents_and_misspellings(gazetteer, sentence, place):
    found, _ = gazetteer.find(sentence)
    assert [p.place for p in found] == [place]


def test_words_that_look_like_places_are_not(gazetteer):
    for sentence in ("Vivían en la isla", "They told us", "They went to New Mexico", "Calle Benito Juárez"):
        assert gazetteer.find(sentence)[0] == [], sentence


def test_the_state_capital_only_when_the_state_is_known(gazetteer):
    assert gazetteer.find("Llegaron a la capital del estado")[0] == []
    found, state = gazetteer.find("La caravana cruzó Chiapas")
    found, _ = gazetteer.find("Llegaron a la capital del estado", state)
    assert [p.place for p in found] == ["Tuxtla Gutierrez"]


# --- distractors: each next to a count that must be taken -------------------------------

TAKE = "Unos 3.000 migrantes llegaron ayer a Tapachula. "


@pytest.mark.parametrize("kind, sentence, language", [
    ("distance", "La caravana avanzó 40 kilómetros.", "es"),
    ("distance", "They still have 1,100 miles to walk.", "en"),
    ("temperature", "Caminaron bajo 35 grados.", "es"),
    ("police", "Unos 400 policías federales bloquearon el puente.", "es"),
    ("police", "They were attacked by 400 Mexican riot police.", "en"),
    ("capacity", "El albergue tiene capacidad para 500 personas.", "es"),
    ("statistic", "En 2017, México recibió 14.596 solicitudes de asilo.", "es"),
    ("statistic", "So far this year, 60 migrants have died in Chiapas.", "en"),
    ("future", "Se espera que lleguen 2.500 migrantes más.", "es"),
    ("future", "Officials said 2,500 more migrants could arrive.", "en"),
    ("part", "Entre ellos viajan 2.300 niños y 2.200 mujeres.", "es"),
    ("part", "The caravan includes about 2,300 children and 2,200 women.", "en"),
    ("money", "Pagaron 2.000 dólares a los traficantes.", "es"),
])
def test_distractors_are_left_out(gazetteer, kind, sentence, language):
    got = extracted(gazetteer, TAKE + sentence, language=language)
    assert ("present", "Tapachula", "2018-10-21", 3000) in got  # the count to take is taken
    taken = {v for _, _, _, v in got} - {None}
    assert taken == {3000}, (kind, got)


# --- quantities, places and dates together ---------------------------------------------------

@pytest.mark.parametrize("text, language, row", [
    ("Las autoridades detuvieron ayer a 300 migrantes en Tapachula.", "es", ("detained", "Tapachula", "2018-10-21", 300)),
    ("Mexican authorities deported 150 migrants on Saturday.", "en", ("deported", "MX", "2018-10-20", 150)),
    ("Unos 495 migrantes solicitaron el retorno asistido desde Tapachula.", "es", ("returned", "MX", "2018-10-22", 495)),
    ("Two migrants died on Sunday when they fell from a truck.", "en", ("dead", "", "2018-10-21", 2)),
    ("Un total de 1.699 migrantes solicitaron refugio el domingo.", "es", ("asylum_requests", "", "2018-10-21", 1699)),
    ("About 300 members of the caravan crossed into the United States.", "en", ("crossed", "US", "2018-10-22", 300)),
    ("La caravana, de unos 7.000 migrantes, salió el domingo de Tapachula.", "es", ("caravan_size", "", "2018-10-21", 7000)),
    ("La Comar recibió 1.700 solicitudes de refugio de integrantes de la caravana.", "es",
     ("asylum_requests", "", "2018-10-22", 1700)),
    ("Hasta ayer, 1.028 migrantes habían solicitado asilo en México.", "es", ("asylum_requests", "MX", "2018-10-21", 1028)),
    ("La Policía Federal y agentes del INM retuvieron a 200 migrantes en un punto de revisión en Arriaga.", "es",
     ("detained", "Arriaga", "2018-10-22", 200)),
    ("The INM said it had rescued 150 migrants who were traveling in a trailer in Veracruz.", "en",
     ("detained", "Veracruz", "2018-10-22", 150)),
    ("Unos 2.000 hondureños de la caravana regresaron a su país el domingo.", "es", ("returned", "", "2018-10-21", 2000)),
    # deported or sent back: counted in the country they left, named by its authorities if not by a place
    ("El INM informó que 300 migrantes de la caravana fueron deportados a Honduras.", "es",
     ("deported", "MX", "2018-10-22", 300)),
    ("About 2,500 migrants from the caravan were sent back to Honduras by Guatemala.", "en",
     ("returned", "GT", "2018-10-22", 2500)),
    ("Mexico's migration institute said 1,743 caravan members had applied for refugee status.", "en",
     ("asylum_requests", "MX", "2018-10-22", 1743)),
    ("Los agentes de migración aseguraron a 400 centroamericanos que viajaban en la caravana.", "es",
     ("detained", "", "2018-10-22", 400)),
    # a state is not a town: its country
    ("El INM informó que 1.500 migrantes fueron asegurados en Chiapas el sábado.", "es",
     ("detained", "MX", "2018-10-20", 1500)),
])
def test_each_quantity(gazetteer, text, language, row):
    assert row in extracted(gazetteer, text, language=language)


def test_arrivals_and_departures_are_dated_places(gazetteer):
    got = extracted(gazetteer, "La caravana salió el domingo de Ciudad Hidalgo y llegó ayer a Tapachula.")
    assert ("departed", "Ciudad Hidalgo", "2018-10-21", None) in got
    assert ("arrived", "Tapachula", "2018-10-21", None) in got
    got = extracted(gazetteer, "La caravana llegó este miércoles a Mapastepec.", "2018-10-25")
    assert ("arrived", "Mapastepec", "2018-10-24", None) in got
    got = extracted(gazetteer, "Some 2,000 migrants departed the southern Mexican city of Tapachula.", language="en")
    assert ("departed", "Tapachula", "2018-10-22", None) in got
    assert extracted(gazetteer, "La caravana se dirige rumbo a Tapachula.") == []


def test_a_date_in_a_paragraph_dates_the_sentences_after_it(gazetteer):
    text = "El sábado la caravana llegó a Tapachula. Unos 5.000 migrantes durmieron en la plaza."
    assert ("present", "Tapachula", "2018-10-20", 5000) in extracted(gazetteer, text)


def test_every_proposal_keeps_its_sentence_and_span(gazetteer):
    text = "Titular\n\nAyer llegaron 7.000 migrantes a Tapachula. Hoy descansan."
    report = Report("r.txt", text, MONDAY, "es")
    (p,) = [p for p in extract_report(report, gazetteer) if p.value]
    assert text[p.start:p.end] == p.sentence == "Ayer llegaron 7.000 migrantes a Tapachula."
    assert p.evidence == "7.000" and 0 < p.confidence <= 1


# --- loading --------------------------------------------------------------------------

def test_sentences_keep_their_spans():
    text = "Primera frase con 3 migrantes. Segunda frase del Sr. López con 4 personas.\n\nOtro párrafo."
    for s in split_sentences(text, "es"):
        assert text[s.start:s.end] == s.text
    assert len(split_sentences(text, "es")) >= 3


def test_html_gives_paragraph_text_date_and_language():
    html = """<html lang="es"><head><meta property="article:published_time" content="2018-10-22T08:00:00-05:00">
    <script>var x = "1,000 migrantes";</script></head><body><nav>Inicio | 5,000 visitas</nav>
    <h1>La caravana llega</h1><p>Unos <b>7.000</b> migrantes llegaron a Tapachula.</p></body></html>"""
    text, date, language = html_to_text(html)
    assert date == dt.date(2018, 10, 22) and language == "es"
    assert "Unos 7.000 migrantes llegaron a Tapachula." in text
    assert "1,000" not in text and "5,000" not in text


def test_date_line_and_language_of_plain_text():
    assert text_date("Title\n\nOctober 26, 2021\n\nThe caravan left") == dt.date(2021, 10, 26)
    assert text_date("Title\n\nThe caravan of 2021 left on Monday") is None
    assert detect_language("La caravana de los migrantes llegó a la ciudad") == "es"
    assert detect_language("The caravan of the migrants arrived in the city") == "en"


# --- the labelling rules (tests/data/news/README.md) -------------------------------------

@pytest.mark.parametrize("text, language, published, row", [
    # people on the move are the caravan's size, even where a place is named
    ("About 5,000 migrants resumed their advance toward the U.S. border Sunday in southern Mexico.", "en",
     "2018-10-22", ("caravan_size", "", "2018-10-21", 5000)),
    # the caravan of N crossed into a country: still its size
    ("The caravan of more than 7,200 refugees has crossed into Mexico.", "en", "2018-10-22",
     ("caravan_size", "", "2018-10-22", 7200)),
    # people who entered a country are present there
    ("As many as 9,000 Honduran migrants crossed into Guatemala on Saturday.", "en", "2021-01-17",
     ("present", "GT", "2021-01-16", 9000)),
    # a dateline's date is not the day of the figure
    ("TAPACHULA, Mexico, November 30, 2021 (Reuters) – Some 2,000 migrants departed Tapachula on Sunday.", "en",
     "2021-11-30", ("caravan_size", "", "2021-11-28", 2000)),
    # a date inside a relative clause is not the figure's date
    ("Es una caravana conformada por más de 9 mil personas, misma que había salido el 13 de enero.", "es",
     "2021-01-19", ("caravan_size", "", "2021-01-19", 9000)),
    # two sources, one sentence: one range
    ("Organizers said the caravan had swelled to some 7,000 people while the government estimated it at 3,500 people.",
     "en", "2023-11-06", ("caravan_size", "", "2023-11-06", 5250)),
    # one death, told in words
    ("Un joven que participó en la caravana migrante murió este lunes en el trayecto entre Tapachula y Huixtla.",
     "es", "2018-10-23", ("dead", "MX", "2018-10-22", 1)),
    # "esta mañana" is this morning, not tomorrow
    ("La caravana de unas seis mil personas partió esta mañana de San Pedro Sula.", "es", "2021-01-15",
     ("caravan_size", "", "2021-01-15", 6000)),
])
def test_labelling_rules(gazetteer, text, language, published, row):
    assert row in extracted(gazetteer, text, published, language)


def test_two_sources_give_low_and_high(gazetteer):
    report = Report("r.txt", "Organizers said the caravan had swelled to some 7,000 people while the government "
                    "estimated it at 3,500 people.", dt.date(2023, 11, 6), "en")
    (p,) = extract_report(report, gazetteer)
    assert (p.low, p.value, p.high) == (3500, 5250, 7000)


@pytest.mark.parametrize("text, language", [
    ("The center of Huixtla, a small town of about 30,000 people, was teeming with migrants.", "en"),
    ("Otras 11 personas, entre ellas cuatro menores, resultaron lesionadas.", "es"),
    ("Los otros 3 mil hondureños que conformaban la caravana habían logrado avanzar.", "es"),
    ("Yesterday, six Guatemalan immigrants died in a crash in a truck full of 40 people.", "en"),  # not the caravan
    ("About 20,000 Hondurans reached the USA by caravan during the last 15 months.", "en"),
])
def test_more_numbers_not_to_take(gazetteer, text, language):
    """Not proposed, or proposed below the confidence the review shows by default."""
    report = Report("r.txt", text, dt.date(2018, 10, 25), language)
    assert [p for p in extract_report(report, gazetteer) if p.value is not None and p.confidence >= 0.5] == []


def test_more_labelling_rules(gazetteer):
    # "medio millar" is 500
    assert ("caravan_size", "", "2018-10-22", 500) in extracted(
        gazetteer, "Una caravana de medio millar de migrantes salió de Tapachula.")
    # people stuck in a city are not a caravan's people; several caravans together are no one caravan
    assert extracted(gazetteer, "Unos 30 mil migrantes permanecen varados en Tapachula a la espera de papeles.") == []
    assert [r for r in extracted(gazetteer, "Las tres caravanas suman unos 10 mil migrantes.") if r[3]] == []
    # a departure in phases has no one day
    assert [r for r in extracted(gazetteer, "Salieron en distintas fases desde San Pedro Sula.") if r[0] == "departed"] == []
    # a neighbourhood stands for its city; people waiting at San Ysidro are on the Mexican side
    assert gazetteer.find("Llegaron al INM en Polanco")[0][0].place == "Mexico City"
    got = extracted(gazetteer, "About 200 migrants from the caravan camped outside the San Ysidro port of entry.",
                    language="en")
    assert ("present", "Tijuana El Chaparral", "2018-10-22", 200) in got


def test_a_headline_repeating_the_body_is_one_observation(gazetteer):
    text = "Caravana de 2.000 migrantes sale de Tapachula\n\nUnos 2.000 migrantes salieron el sábado de Tapachula."
    got = [r for r in extracted(gazetteer, text) if r[0] == "caravan_size"]
    assert got == [("caravan_size", "", "2018-10-20", 2000)]
