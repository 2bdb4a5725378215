"""The voice path: speech to text (faster-whisper with Silero VAD, model from PyPI), home-aware
choice among the recogniser's hypotheses, text to speech (espeak-ng, Korean read aloud properly),
the Wyoming server for Home Assistant, and the service that bounds how many recognitions run."""
