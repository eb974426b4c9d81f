"""The moderation queue says how long each proposal has waited as people say it."""

from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.utils import timezone

from contributions.models import Contribution
from tests.factories import pending_new_actor

pytestmark = pytest.mark.django_db


def waited(moderator_client, age: timedelta, language: str = "fr") -> str:
    proposal = pending_new_actor()
    Contribution.objects.filter(pk=proposal.pk).update(created_at=timezone.now() - age)
    moderator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return unescape(moderator_client.get("/moderation/").content.decode())


def test_a_new_proposal_came_a_moment_ago_never_zero_minutes(moderator_client):
    page = waited(moderator_client, timedelta(seconds=5))
    assert "à l'instant" in page
    assert "0 minute" not in page


def test_older_proposals_count_minutes_hours_and_days_in_french(moderator_client):
    assert "il y a 3\xa0minutes" in waited(moderator_client, timedelta(minutes=3, seconds=5))
    assert "il y a 2\xa0jours" in waited(moderator_client, timedelta(days=2, minutes=1))


def test_in_english_too(moderator_client):
    assert "3\xa0minutes ago" in waited(moderator_client, timedelta(minutes=3, seconds=5), "en")
