"""Language concepts shared by the corpus and the query side: words, names, calendar."""
