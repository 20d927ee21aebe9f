"""The one way reading an upload fails: ``UnreadableFile``, answered in the request as a 4xx."""

from __future__ import annotations


class UnreadableFile(ValueError):
    """The upload is not a file this import reads; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, zh: str, en: str) -> None:
        self.status, self.zh, self.en = status, zh, en
        super().__init__(f"{zh} / {en}")
