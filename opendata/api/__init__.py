"""The public API (/api/…): see read, geojson and contributions; schema documents them."""
