"""Natural-language understanding: Korean and English requests to commands for one home.

`Parser(home).parse(text, room=None, session=None)` gives an `Understanding`; `describe_results`
turns what the hub did back into a sentence.
"""

from jibsa.nlu.parser import Parser, Understanding
from jibsa.nlu.replies import describe_results

__all__ = ["Parser", "Understanding", "describe_results"]
