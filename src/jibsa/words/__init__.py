"""The only code that turns facts into sentences: the catalogue of each language (ko.yaml, en.yaml),
particles, numbers and durations. The core hands out `Said(key, fields)`; the edges (api, cli, the
conversation's answers) word it here in the reader's language."""

from jibsa.domain.said import Said
from jibsa.words.catalogue import LANGUAGES, MissingWords, catalogue, say, sentences, word

__all__ = ["LANGUAGES", "MissingWords", "Said", "catalogue", "say", "sentences", "word"]
