"""Natural-language understanding: Korean and English requests to commands for one home.

`Parser(home).parse(text, room=None, session=None)` gives an `Understanding`; `describe_results`
says what the hub did, as facts (`Said`s) that `jibsa.words.replies` words.
"""

from jibsa.nlu.parser import Parser, Understanding
from jibsa.nlu.replies import describe_results

__all__ = ["Parser", "Understanding", "describe_results"]
