"""Two chair admins publishing one label at the same moment: one release, the other told why.
Real transactions in two threads (each its own connection), on PostgreSQL as in production."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from opendata import releases
from opendata.exports import EXPORTS
from opendata.models import Release, ReleaseFile

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent writers: PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_two_admins_publishing_one_label_at_once_make_one_release(report_data):
    start = threading.Barrier(2)
    outcomes = []

    def publish():
        start.wait()
        try:
            releases.publish("2027.1")
            outcomes.append("publiée")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [
        "La version 2027.1 existe déjà : choisissez un autre numéro.",
        "publiée",
    ]
    release = Release.objects.get()
    assert (
        ReleaseFile.objects.filter(release=release).count() == len(EXPORTS) + 2
    )  # the changelog, datapackage.json
