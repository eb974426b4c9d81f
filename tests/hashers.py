"""A password hasher for the test suite: Django's own PBKDF2, with fewer rounds.

Every persona gets a password, and a million rounds of PBKDF2 cost 0.4 s on a quiet core
(2 s on a loaded one), hundreds of times per run. The hash keeps the algorithm's name and writes
its rounds in itself (pbkdf2_sha256$1000$…), so the servers that some tests start with the
production settings (tests/perf/test_scale_out.py) check these passwords as they are."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FewRoundsPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
