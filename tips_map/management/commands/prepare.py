"""What a checkout needs before it serves or tests, in one process (each `manage.py` costs a
second of start-up): the translations compiled, the static files collected and, with
--database, the database migrated, its cache table created and the report's data loaded."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile translations and collect static files; with --database, also migrate, "
    help += "create the cache table and load the report's data."

    def add_arguments(self, parser):
        parser.add_argument("--database", action="store_true")

    def handle(self, *args, **options):
        call_command("compile_translations", verbosity=0)
        # What production serves (WhiteNoise, gzip copies); it proves collectstatic works.
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["database"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable")
            call_command("load_report", stdout=self.stdout)
