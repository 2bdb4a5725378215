"""Who is speaking: speaker embeddings from Resemblyzer's GE2E encoder (shipped as ONNX, run on
onnxruntime) and a book of enrolled voices that names the closest one or says "unknown". Pure: no
I/O besides loading the model."""

from jibsa.voice.speaker.book import DEFAULT_THRESHOLD, SpeakerBook, SpeakerMatch
from jibsa.voice.speaker.encoder import EMBEDDING_SIZE, SpeakerModelError, embed

__all__ = ["DEFAULT_THRESHOLD", "EMBEDDING_SIZE", "SpeakerBook", "SpeakerMatch", "SpeakerModelError", "embed"]
