"""Deliberately broken reader plugins, loaded through fake entry points by test_plugins.py."""

from govreport.readers import Document, Reader, Source


class ClaimsThenRaises(Reader):
    name = "raises_on_read"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        return 1.0

    def read(self, source: Source) -> Document:
        raise RuntimeError("boom")


class BrokenClaim(Reader):
    name = "broken_claim"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        raise ZeroDivisionError("bad claim")


class ReturnsGarbage(Reader):
    name = "garbage"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        return 0.99

    def read(self, source: Source):
        return {"not": "a document"}


class MalformedDocument(Reader):
    name = "malformed"
    kinds = ("text",)

    def claim(self, source: Source) -> float:
        return 0.98

    def read(self, source: Source) -> Document:
        return Document(blocks=("just a string",), reader=self.name)  # type: ignore[arg-type]


class NotAReader:
    name = "not_a_reader"


class TakesBuiltinName(Reader):
    name = "tabbed"
    kinds = ("text",)


class ReplacesBuiltin(Reader):
    name = "pipe"
    replaces = "pipe"
    version = "9"
    kinds = ("text",)
