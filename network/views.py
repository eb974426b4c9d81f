"""The network data endpoint and the comparison of territories (backend work)."""
