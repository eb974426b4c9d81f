"""Debian's Chromium and its launch arguments, shared by the tests and the benchmarks: never a
downloaded browser, no background traffic on a closed network."""

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
