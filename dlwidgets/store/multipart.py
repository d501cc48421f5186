"""Streaming reader for the platform's multipart upload body: small text fields plus one ``file`` part.

The file part goes straight into a ``BlobWriter`` chunk by chunk, so an upload of any size uses constant
memory; if the body is cut off or malformed, the temporary file is discarded and nothing is left behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from ..exceptions import BadRequest
from .blobs import BlobStore, BlobWriter
from .routing import Request

MAX_FIELDS_BYTES = 1 << 20
# Small chunks (a client sends each part header and field as its own) are joined up to this size before
# parsing: the parser's cost is mostly per call, and memory stays bounded.
PARSE_CHUNK = 64 << 10


@dataclass
class Upload:
    """The parsed body: text fields by name and the finished file, if one was sent."""

    fields: dict[str, str] = field(default_factory=dict)
    file: BlobWriter | None = None
    filename: str | None = None
    content_type: str | None = None
    digest: str = ""


class _Collector:
    """Multipart parser callbacks that route each part to a text field or to the blob writer."""

    def __init__(self, blobs: BlobStore, upload: Upload) -> None:
        self.blobs = blobs
        self.upload = upload
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[str, bytes] = {}
        self.part_name = ""
        self.text = bytearray()
        self.text_total = 0
        self.writer: BlobWriter | None = None

    def on_part_begin(self) -> None:
        self.headers = {}
        self.text = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.decode("latin-1").lower()] = self.header_value
        self.header_field = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get("content-disposition", b""))
        self.part_name = _utf8(options.get(b"name", b""), "part name")
        if b"filename" in options:
            if self.upload.file is not None:
                raise BadRequest("an upload request carries exactly one file part")
            self.upload.filename = _utf8(options[b"filename"], "file name")
            content_type = self.headers.get("content-type")
            self.upload.content_type = content_type.decode("latin-1") if content_type else None
            self.writer = self.upload.file = self.blobs.writer()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.writer is not None:
            self.writer.write(data[start:end])
            return
        self.text_total += end - start
        if self.text_total > MAX_FIELDS_BYTES:
            raise BadRequest(f"the upload's text fields are over {MAX_FIELDS_BYTES} bytes")
        self.text += data[start:end]

    def on_part_end(self) -> None:
        if self.writer is not None:
            self.upload.digest = self.writer.close()
            self.writer = None
        else:
            self.upload.fields[self.part_name] = _utf8(self.text, f"field {self.part_name!r}")


def _utf8(data: bytes | bytearray, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(f"the upload's {what} {bytes(data[:80])!r} is not UTF-8 text") from None


def read_upload(req: Request, blobs: BlobStore) -> Upload:
    """Parse the request body; on any failure the partial file is removed and the error re-raised."""
    content_type, options = parse_options_header(req.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in options:
        raise BadRequest(
            f"an upload must be multipart/form-data with a boundary, got {req.headers.get('content-type')!r}"
        )
    upload = Upload()
    collector = _Collector(blobs, upload)
    parser = MultipartParser(options[b"boundary"], _callbacks(collector))  # type: ignore[arg-type]
    try:
        for chunk in _joined(req.body, PARSE_CHUNK):
            parser.write(chunk)
        parser.finalize()
        if collector.writer is not None:
            raise BadRequest("the upload body ended inside the file part")
    except MultipartParseError as e:
        if upload.file is not None:
            upload.file.discard()
        raise BadRequest(f"the upload body is not valid multipart: {e}") from None
    except BaseException:
        if upload.file is not None:
            upload.file.discard()
        raise
    return upload


def _joined(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The same bytes in chunks of at least ``size`` (but the last); big chunks pass through uncopied."""
    buffer = bytearray()
    for chunk in chunks:
        if not buffer and len(chunk) >= size:
            yield chunk
            continue
        buffer += chunk
        if len(buffer) >= size:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def _callbacks(collector: _Collector) -> dict[str, object]:
    return {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
        )
    }
