"""The network page (front-end work)."""
