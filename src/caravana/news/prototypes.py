"""A few rescorer features from sentence embeddings: how much a figure's words resemble each quantity
(issue 13 point 4; session 25, change F).

Session 25's change W gave the rescorer the 384 components of each window's embedding and over-fitted
(news_crossval-2026-11-28-session25-s25model-outcome.txt). Here the embedding is reduced, before any
model sees it, to 12 numbers: the cosine of the figure's window (``embed.window_text``) to the
prototype of each of the 11 kinds below, and the cosine to the prototype of the quantity the rules
read. A prototype is the normalised mean of the embeddings of a few sentences written by hand from
the definitions of tests/data/news/LABELLING.md (C8-C10, C12, C16, C17), in Spanish and English,
not copied from any report. Each cosine is taken relative to the window's mean cosine over the 11
kinds (what counts is which kind the words resemble most, not how much they resemble caravan news
at all), times ``SCALE`` so that it is of the size of the rescorer's other features.
"""

from __future__ import annotations

from functools import lru_cache

from .embed import vectors, window_text

PREFIX = "proto_"  # the features' names: proto_<kind>, proto_own
SCALE = 5.0  # the relative cosines are within about +-0.2: times 5 they are within about +-1

# Written for this module from LABELLING.md's definitions; towns and figures varied on purpose so
# that no prototype is about one place or one size.
SENTENCES: dict[str, tuple[str, ...]] = {
    "present": (
        "About 2,000 migrants spent the night in the main square of Tapachula.",
        "Some 1,500 people remain camped at the shelter in Mexico City, waiting for buses.",
        "Around 800 migrants are stuck at the border bridge, held back by the police.",
        "Unos 2.000 migrantes pasaron la noche en la plaza central de Huixtla.",
        "Cerca de 1.500 personas permanecen en el albergue de Juchitán a la espera de transporte.",
        "Alrededor de 800 migrantes se encuentran varados en el puente fronterizo.",
    ),
    "caravan_size": (
        "A caravan of some 3,000 migrants walks north along the highway.",
        "The group is made up of about 1,200 Hondurans travelling together toward the United States.",
        "Nearly 5,000 people are now marching in the caravan, organisers said.",
        "Una caravana de unos 3.000 migrantes avanza por la carretera rumbo al norte.",
        "El grupo está integrado por cerca de 1.200 hondureños que viajan juntos hacia Estados Unidos.",
        "Casi 5.000 personas caminan ya en la caravana, según los organizadores.",
    ),
    "arrived": (
        "The caravan arrived in Oaxaca on Tuesday afternoon after a long walk.",
        "The migrants reached the city late at night and entered the shelter.",
        "La caravana llegó a Oaxaca el martes por la tarde tras una larga caminata.",
        "Los migrantes arribaron a la ciudad por la noche y entraron al albergue.",
    ),
    "departed": (
        "The caravan left Tapachula before dawn and set off toward the north.",
        "The migrants departed from the shelter early on Monday morning.",
        "La caravana salió de Tapachula antes del amanecer y emprendió el camino hacia el norte.",
        "Los migrantes partieron del albergue la madrugada del lunes.",
    ),
    "detained": (
        "Immigration agents detained about 300 migrants at a checkpoint on the highway.",
        "Police arrested 150 people from the caravan and took them to the migration station.",
        "Agentes de migración detuvieron a unos 300 migrantes en un retén de la carretera.",
        "Fueron asegurados 150 integrantes de la caravana y trasladados a la estación migratoria.",
    ),
    "returned": (
        "About 400 migrants gave up and returned home to Honduras on buses.",
        "Some 250 people went back to El Salvador under the assisted return programme.",
        "Unos 400 migrantes desistieron y regresaron a Honduras en autobuses.",
        "Cerca de 250 personas fueron devueltas a El Salvador en un retorno asistido.",
    ),
    "deported": (
        "Mexico deported 200 members of the caravan to Guatemala.",
        "The authorities expelled about 90 migrants on a flight to San Pedro Sula.",
        "México deportó a 200 integrantes de la caravana a Guatemala.",
        "Las autoridades expulsaron a unos 90 migrantes en un vuelo a San Pedro Sula.",
    ),
    "crossed": (
        "About 100 migrants crossed the border into the United States overnight.",
        "Some 60 people from the caravan jumped the fence and entered the United States.",
        "Unos 100 migrantes cruzaron la frontera hacia Estados Unidos durante la noche.",
        "Cerca de 60 personas de la caravana saltaron el muro y entraron a Estados Unidos.",
    ),
    "dead": (
        "Two migrants of the caravan died on the road when they fell from a truck.",
        "One man travelling with the caravan drowned while crossing the river.",
        "Dos migrantes de la caravana murieron en la carretera al caer de un camión.",
        "Un hombre que viajaba con la caravana murió ahogado al cruzar el río.",
    ),
    "asylum_requests": (
        "About 1,000 migrants applied for asylum in Mexico at the migration office.",
        "Some 300 members of the caravan filed refugee claims at the port of entry.",
        "Unos 1.000 migrantes solicitaron asilo en México ante la oficina de migración.",
        "Cerca de 300 integrantes de la caravana pidieron refugio en el puerto de entrada.",
    ),
    # not a count of the caravan's people (C6, C12, C16, C17)
    "distractor": (
        "The city is 40 kilometres from the border and temperatures reach 35 degrees.",
        "Some 2,500 police officers and soldiers were deployed along the highway.",
        "The shelter has room for 300 people.",
        "Last year more than 100,000 migrants were detained in the country, official figures show.",
        "Among them are 500 children and 200 pregnant women.",
        "More caravans of up to 10,000 people are expected to form next month.",
        "La ciudad está a 40 kilómetros de la frontera y la temperatura llega a 35 grados.",
        "Unos 2.500 policías y soldados fueron desplegados en la carretera.",
        "El albergue tiene capacidad para 300 personas.",
        "El año pasado más de 100.000 migrantes fueron detenidos en el país, según cifras oficiales.",
        "Entre ellos hay 500 niños y 200 mujeres embarazadas.",
        "Se espera que se formen nuevas caravanas de hasta 10.000 personas el próximo mes.",
    ),
}
KINDS = tuple(SENTENCES)


@lru_cache(maxsize=1)
def _prototypes() -> dict[str, tuple[float, ...]]:
    """Each kind's prototype: the normalised mean of its sentences' vectors."""
    out = {}
    for kind, sentences in SENTENCES.items():
        vs = vectors(list(sentences))
        mean = [sum(c) / len(vs) for c in zip(*vs, strict=True)]
        norm = sum(x * x for x in mean) ** 0.5
        out[kind] = tuple(x / norm for x in mean)
    return out


def similarities(vector: tuple[float, ...]) -> dict[str, float]:
    """The cosine of ``vector`` (``embed.vectors``' scaled vector) to each kind's prototype."""
    norm = sum(x * x for x in vector) ** 0.5 or 1.0
    return {kind: sum(a * b for a, b in zip(vector, proto, strict=True)) / norm
            for kind, proto in _prototypes().items()}


def features(proposals: list) -> list[dict[str, float]]:
    """The 12 prototype features of each proposal (its figure's window), in order."""
    texts = [window_text(p.sentence, p.evidence) for p in proposals]
    out = []
    for p, v in zip(proposals, vectors(texts), strict=True):
        cos = similarities(v)
        mean = sum(cos.values()) / len(cos)
        f = {f"{PREFIX}{kind}": round((c - mean) * SCALE, 6) for kind, c in cos.items()}
        f[f"{PREFIX}own"] = f.get(f"{PREFIX}{p.quantity.value}", 0.0)
        out.append(f)
    return out
