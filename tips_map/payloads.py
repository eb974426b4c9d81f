"""Responses built from the validated data, built once per data version and served as bytes.

The map's data, the exports and the network's data are the same bytes for everyone until a
validated change. Each app process keeps the gzip bytes of the current data version in memory;
the version is read from the database on every request (a primary-key lookup, see
`tips_map.models.DataVersion`), so a change validated through any process is served by
every process on its next request, and nothing stale can be served. Small payloads are also put
in the shared cache, so that a second process does not rebuild them.

Why not Django's cache alone: the default cache is a database table, and reading 300 KB from it
costs more than building small payloads; in memory, a request for the map's data is one query
and a write of bytes, as close to a static file as Django gets.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from .models import DataVersion

CACHE_PREFIX = "payload:v1:"
CACHE_TIMEOUT = 60 * 60 * 24 * 7  # a data change moves the key long before
SHARED_CACHE_MAX = 1024 * 1024  # gzip bytes; bigger payloads stay in each process only
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Payload:
    gzipped: bytes
    size: int  # uncompressed
    etag: str

    @classmethod
    def of(cls, body: bytes | Iterable[bytes]) -> Payload:
        """From the bytes, or from chunks: a national export (50 MB of GeoJSON) is compressed
        as it is produced, never held whole in memory."""
        chunks = [body] if isinstance(body, bytes) else body
        # wbits 31: the gzip format; no file name and mtime 0, so the same bytes give the same
        # gzip in every process.
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
        digest, size, parts = hashlib.sha256(), 0, []
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            parts.append(compressor.compress(chunk))
        parts.append(compressor.flush())
        return cls(b"".join(parts), size, f'"{digest.hexdigest()[:32]}"')

    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)


class Store:
    """This process's payloads for one data version; a new version empties it.

    At most `size` entries, the least recently used dropped first: territory pages of a national
    map are thousands, and a crawler visits them all.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self.version = None
        self.items: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn threads; a sync worker has one

    def get(self, version: str, name: str):
        with self.lock:
            if version != self.version:
                self.version, self.items = version, OrderedDict()
            item = self.items.get(name)
            if item is not None:
                self.items.move_to_end(name)
            return item

    def clear(self) -> None:
        with self.lock:
            self.version, self.items = None, OrderedDict()

    def put(self, version: str, name: str, item) -> None:
        with self.lock:
            if version == self.version:
                self.items[name] = item
                while len(self.items) > self.size:
                    self.items.popitem(last=False)


STORE = Store()


def name_of(request) -> str:
    """The request's path and its query in a canonical order: one payload per distinct query."""
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    return f"{request.path}?{query}"


def current(name: str, build: Callable[[], bytes | Iterable[bytes]]) -> Payload:
    """The payload `name` (a path and its normalised query) of the current data version."""
    version = DataVersion.key()
    payload = STORE.get(version, name)
    if payload is None:
        key = CACHE_PREFIX + hashlib.sha256(f"{version}\n{name}".encode()).hexdigest()
        payload = cache.get(key)
        if payload is None:
            payload = Payload.of(build())
            if len(payload.gzipped) <= SHARED_CACHE_MAX:
                cache.set(key, payload, CACHE_TIMEOUT)
        STORE.put(version, name, payload)
    return payload


def served_early(view):
    """Mark a view that answers the same bytes to everyone, for `PayloadMiddleware`."""
    view.served_early = True
    return view


def peek(name: str) -> Payload | None:
    """The payload if this process has built it for the current data version, else None."""
    return STORE.get(DataVersion.key(), name)


def computed(name: str, build: Callable[[], object]):
    """Any plain value computed from the validated data, kept in this process for the current
    data version (e.g. a territory page's counts and lists). Not shared between processes."""
    version = DataVersion.key()
    value = STORE.get(version, name)
    if value is None:
        value = build()
        STORE.put(version, name, value)
    return value


def etag_matches(request, etag: str) -> bool:
    """Weak comparison (RFC 9110): a proxy's "W/" must not defeat the match."""
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    strip = lambda tag: tag.removeprefix("W/")  # noqa: E731
    return strip(etag) in {strip(t) for t in parse_etags(header)}


def accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def response(request, payload: Payload, content_type: str) -> HttpResponse:
    """200 with the gzip bytes (or the plain ones for a client that does not take gzip), or 304.

    `max-age=0, must-revalidate`: browsers and proxies keep the bytes but ask every time, and a
    validated change is seen on the next request.
    """
    if etag_matches(request, payload.etag):
        result = HttpResponseNotModified()
        result["ETag"] = payload.etag
    elif accepts_gzip(request):
        result = HttpResponse(payload.gzipped, content_type=content_type)
        result["Content-Encoding"] = "gzip"
        result["ETag"] = "W/" + payload.etag  # another representation (as GZipMiddleware does)
    else:
        result = HttpResponse(payload.body(), content_type=content_type)
        result["ETag"] = payload.etag
    result["Cache-Control"] = "public, max-age=0, must-revalidate"
    patch_vary_headers(result, ["Accept-Encoding"])
    return result
