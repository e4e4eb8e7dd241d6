"""Reading the news: reports in Spanish and English become proposed observations.

The pipeline, one module per step (``docs/news.md``)::

    loading     files, folders, HTML, standard input -> Report (text, publication date, language)
    sentences   Report -> sentences with their character spans
    numbers     a sentence -> numbers of people (digits, words, ranges, bounds)
    dates       a sentence -> dates it names, resolved against the publication date
    places      a sentence -> places of the scenario (aliases, accents, fuzzy)
    distractors why a number is not a count of migrants (distance, police, capacity...)
    quantities  which observation quantity a count is (present, detained, dead...)
    extract     all of the above -> Proposal rows
    rescore     a learned confidence for the rows (``extract --learned``; model in rescorer.json)
    candidates  other readings of the rules' figures (the chooser experiment of benchmarks/news_crossval.py)
    train       fitting the rescorer from the labelled reports (scikit-learn; training only)
    proposals   the proposals CSV, read and written
    review      proposals -> accepted observations (docs/observations.md)

Its libraries (dateparser, text2num, rapidfuzz, selectolax, pysbd) are the ``news``
extra, imported only here and only by ``caravana news``.
"""
