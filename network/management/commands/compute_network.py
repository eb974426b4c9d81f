"""Compute the network measures of the current data now, and store them for every process.

    python manage.py compute_network             # always
    python manage.py compute_network --if-stale  # only when the latest are of older data

Above `network.bundle.SYNC_LIMIT` actors, requests never compute betweenness, brokerage,
communities and the territories' rankings themselves: the first request after a change starts
this command in the background (`--lock`, see `network.background.start_process`), and pages show
the latest measures, dated, meanwhile. Run it after a deployment or a bulk load (generate_data,
imports) so that visitors find them computed, or from cron with TIPS_NETWORK_BACKGROUND=""
(`--if-stale`).
"""

import time
import uuid

from django.core.cache import cache
from django.core.management.base import BaseCommand

from network import background, bundle


class Command(BaseCommand):
    help = "Compute the network measures of the current data and store them (prints timings)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Do nothing when the latest measures are those of the current data.",
        )
        parser.add_argument(
            "--lock",
            metavar="TOKEN",
            help="Started by a request that holds the lock with this token (implies --if-stale).",
        )

    def handle(self, *args, if_stale=False, lock=None, **options):
        version = bundle.current_key()
        latest = bundle.latest_measures()
        if (if_stale or lock) and latest is not None and latest["version"] == version:
            self.stdout.write(
                f"The measures are those of the current data (computed {latest['computed_at']})."
            )
            if lock:
                background.release_lock(lock)
            return
        # Holding the lock, requests start no computation of their own meanwhile (if one is
        # running already, both go on: both are of the current data, the last stored stays).
        token = lock or uuid.uuid4().hex
        locked = bool(lock) or cache.add(background.LOCK_KEY, token, background.LOCK_TIMEOUT)
        try:
            started = time.perf_counter()
            data = bundle.build_data(version)
            loaded = time.perf_counter() - started
            measured = bundle.refresh(data, background.renew_lock if locked else None)
        except Exception:
            if locked:  # kept until it expires: requests try again in LOCK_TIMEOUT, not at once
                background.renew_lock()
            raise
        if locked:
            background.release_lock(token)
        whole = data["whole"]
        self.stdout.write(
            f"Network of {whole['nodes']:,} current actors, {whole['edges']:,} linked pairs, "
            f"{len(data['relations']):,} relations, {len(measured['rankings']):,} territories."
        )
        self.stdout.write(f"  data: {loaded:.2f} s")
        for step, seconds in measured["timings"].items():
            self.stdout.write(f"  {step}: {seconds:.2f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Measures stored for every process in {time.perf_counter() - started:.1f} s."
            )
        )
