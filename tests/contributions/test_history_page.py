"""The public history of an actor and its relations, and restoring a version (moderators only:
who may restore is in tests/test_permissions.py)."""

import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actors.models import Actor, ActorType, Lifecycle
from relations.models import Relation, RelationType
from tests.factories import make_actor, make_relation, make_user

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def history_url(actor):
    return f"/acteurs/{actor.slug}/historique/"


def actor_restore_url(actor, record):
    return f"/acteurs/{actor.slug}/historique/{record.history_id}/restaurer/"


def relation_restore_url(actor, record):
    return f"/acteurs/{actor.slug}/historique/relation/{record.history_id}/restaurer/"


def change(instance, reason="", **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._change_reason = reason
    instance.save()


def test_the_card_links_to_its_history(client):
    actor = make_actor(name="Labo lié")
    page = client.get(actor.get_absolute_url()).content.decode()
    assert f'href="{history_url(actor)}"' in page
    assert "Historique des modifications" in page


def test_the_history_lists_creation_changes_and_deletions(client):
    parent = make_actor(name="Région d'essai")
    partner = make_actor(name="Partenaire d'essai")
    actor = make_actor(name="Labo d'origine", lifecycle=Lifecycle.ACTIF)
    change(
        actor,
        "Nouveau nom annoncé par l'acteur",
        name="Labo renommé",
        parent=parent,
        lifecycle=Lifecycle.DISPARU,
    )
    actor.secondary_types.set([ActorType.INTERMEDIATION, ActorType.PRESTATAIRE])
    relation = make_relation(partner, actor, RelationType.PRESTATION_SERVICE, description="Audit")
    change(relation, "Précision", description="Audit et formation")
    relation.delete()

    response = client.get(history_url(actor))
    assert response.status_code == 200
    page = response.content.decode()
    for kind in ("création", "modification", "suppression"):
        assert kind in page
    # Field verbose names, old and new values: labels for choices, names for foreign keys.
    before = '</th><td data-label="Avant">'
    assert f"Nom{before}Labo d&#x27;origine</td>" in page
    assert "Labo renommé" in page
    assert f"Organisation parente{before}—</td>" in page and "Région d&#x27;essai" in page
    assert f"Cycle de vie{before}Actif</td>" in page and "Disparu" in page
    assert "Types secondaires</th>" in page
    assert "Faiseur d&#x27;intermédiation, Prestataire et cabinet spécialisé" in page
    assert "Nouveau nom annoncé par l&#x27;acteur" in page
    # The deleted relation, its change and its deletion.
    assert "Partenaire d&#x27;essai → Labo renommé (Prestation de service)" in page
    # A long text: the words added are marked.
    assert f"Description{before}Audit</td>" in page and "Audit <ins>et formation</ins>" in page
    assert page.index("suppression") < page.rindex("création")
    # Newest first.
    versions = response.context["sections"][0]["versions"]
    assert [v.record.history_type for v in versions] == ["~", "~", "+"]
    relation_versions = response.context["sections"][1]["versions"]
    assert [v.record.history_type for v in relation_versions] == ["-", "~", "+"]


def test_dates_are_written_in_the_visitor_language(client):
    actor = make_actor(name="Labo daté")
    actor._history_date = datetime.datetime(2023, 3, 12, 14, 5, tzinfo=PARIS)
    change(actor, missions="Nouvelles missions")
    assert "12 mars 2023 à 14 h 05" in client.get(history_url(actor)).content.decode()
    client.cookies["django_language"] = "en"
    assert "12 March 2023" in client.get(history_url(actor)).content.decode()


def test_no_email_or_username_is_ever_shown(client, moderator, moderator_client):
    author = make_user("auteur-secret", "secret@example.org")
    actor = make_actor(name="Labo discret")
    actor._history_user = author
    change(actor, "Correction", missions="Corrigées")
    other = make_actor(name="Autre labo")
    relation = make_relation(actor, other)
    relation._history_user = author
    change(relation, description="Partage")
    for viewer in (client, moderator_client):
        whole = viewer.get(history_url(actor)).content.decode()
        assert "secret@example.org" not in whole
        assert "auteur-secret" not in whole
        assert moderator.email not in whole
        # A signed-in moderator sees their own name in the header, beside "Se déconnecter";
        # the history itself names nobody.
        page = whole.split("<main", 1)[1].split("</main>", 1)[0]
        assert moderator.username not in page
        assert "(par la chaire)" in page


def test_a_change_without_a_user_is_not_attributed_to_the_chair(client):
    actor = make_actor(name="Labo chargé")
    page = client.get(history_url(actor)).content.decode()
    assert "(par la chaire)" not in page


def test_restore_buttons_are_shown_to_moderators_only_never_on_the_current_version(
    client, staff_client, moderator_client
):
    actor = make_actor(name="Labo à restaurer")
    change(actor, name="Labo restaurable")
    relation = make_relation(actor, make_actor())
    change(relation, description="Nouvelle description")
    assert "Restaurer cette version" not in client.get(history_url(actor)).content.decode()
    assert "Restaurer cette version" not in staff_client.get(history_url(actor)).content.decode()
    page = moderator_client.get(history_url(actor)).content.decode()
    # Two versions each: the earlier one has its button, the current one says it is current.
    assert page.count("Restaurer cette version") == 2
    assert page.count("Version actuelle") == 2
    assert f'href="{actor_restore_url(actor, actor.history.last())}"' in page
    assert actor_restore_url(actor, actor.history.first()) not in page
    assert relation_restore_url(actor, relation.history.last()) in page
    assert relation_restore_url(actor, relation.history.first()) not in page


def test_a_moderator_restores_an_earlier_version_as_a_new_one(moderator_client, moderator):
    parent = make_actor(name="Organisation d'origine")
    actor = make_actor(name="Nom d'origine", website="https://exemple.fr/", parent=parent)
    actor.secondary_types.set([ActorType.INTERMEDIATION])
    original = actor.history.first()
    change(actor, "Erreur", name="Nom erroné", website="", parent=None)
    actor.secondary_types.set([ActorType.AUTRE])
    versions_before = actor.history.count()

    response = moderator_client.post(actor_restore_url(actor, original), follow=True)

    assert response.redirect_chain == [(history_url(actor), 302)]
    actor.refresh_from_db()
    assert (actor.name, actor.website, actor.parent) == (
        "Nom d'origine",
        "https://exemple.fr/",
        parent,
    )
    assert list(actor.secondary_types.values_list("key", flat=True)) == ["intermediation"]
    # One new version, attributed to the moderator, with its reason; the old ones are intact.
    assert actor.history.count() == versions_before + 1
    latest = actor.history.first()
    assert latest.history_change_reason.startswith("Restauration de la version du ")
    assert latest.history_user == moderator
    assert actor.history.filter(name="Nom erroné").exists()
    page = response.content.decode()
    assert 'role="status"' in page and "a été restaurée" in page


def main_of(response) -> str:
    """The page's own content, without the header (its logout form) and the footer."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_restoring_first_shows_what_it_would_change(moderator_client):
    actor = make_actor(name="Nom d'origine", missions="Accompagner les services.", scope="local")
    original = actor.history.first()
    change(
        actor,
        name="Nom erroné",
        missions="Accompagner les services. Former les agents.",
        scope="regional",
        type_inferred=True,
    )
    versions = actor.history.count()

    response = moderator_client.get(actor_restore_url(actor, original))

    assert response.status_code == 200
    page = unescape(main_of(response))
    assert "Restaurer cette version ?" in page
    # Published now, then after the restore: labels, Oui/Non, the words the restore removes.
    now, after = '<td data-label="Publié aujourd\'hui">', '<td data-label="Après la restauration">'
    assert f"Nom</th>{now}Nom erroné</td>" in page and "Nom d'origine</td>" in page
    assert f"Portée</th>{now}Régionale</td>" in page and "Locale</td>" in page
    assert f"Type déduit</th>{now}Oui</td>" in page and "Non</td>" in page
    assert "Accompagner les services. <del>Former les agents.</del>" in page
    assert 'method="post"' in page and "Restaurer cette version</button>" in page
    actor.refresh_from_db()
    assert actor.name == "Nom erroné" and actor.history.count() == versions
    assert after in page


def test_the_current_version_is_never_restored_even_posted_by_hand(moderator_client):
    actor = make_actor(name="Nom d'origine")
    change(actor, name="Nom actuel")
    relation = make_relation(actor, make_actor(), description="Avant")
    change(relation, description="Actuelle")
    current = [
        actor_restore_url(actor, actor.history.first()),
        relation_restore_url(actor, relation.history.first()),
    ]

    def state():
        return (
            list(Actor.objects.order_by("pk").values()),
            list(Relation.objects.order_by("pk").values()),
            Actor.history.count(),
            Relation.history.count(),
        )

    before = state()
    for url in current:
        confirmation = unescape(main_of(moderator_client.get(url)))
        assert "C'est la version publiée aujourd'hui : il n'y a rien à restaurer." in confirmation
        assert 'method="post"' not in confirmation
        response = moderator_client.post(url, follow=True)
        assert response.redirect_chain == [(history_url(actor), 302)]
        assert (
            "Cette version n'a pas été restaurée : c'est la version publiée aujourd'hui, "
            "il n'y a rien à restaurer." in unescape(response.content.decode())
        )
    assert state() == before


def test_restoring_a_deleted_relation_recreates_it(moderator_client):
    first, second = make_actor(name="Premier"), make_actor(name="Second")
    relation = make_relation(first, second, RelationType.COLLABORATION, description="Projet")
    relation_id = relation.pk
    relation.delete()
    deletion = Relation.history.filter(id=relation_id).latest()
    assert deletion.history_type == "-"
    # The latest version, but of a deletion: restoring it re-creates the relation.
    confirmation = main_of(moderator_client.get(relation_restore_url(second, deletion)))
    assert "la restaurer la recrée" in confirmation and 'method="post"' in confirmation

    response = moderator_client.post(relation_restore_url(second, deletion))

    assert response.status_code == 302 and response.url == history_url(second)
    restored = Relation.objects.get(pk=relation_id)
    assert (restored.source, restored.target, restored.description) == (first, second, "Projet")
    records = Relation.history.filter(id=relation_id).order_by("history_date")
    assert [r.history_type for r in records] == ["+", "-", "+"]
    assert records.last().history_change_reason.startswith("Restauration de la version du ")


def test_restoring_a_relation_that_exists_again_changes_nothing(moderator_client):
    first, second = make_actor(), make_actor()
    relation = make_relation(first, second, RelationType.COLLABORATION, description="Ancienne")
    old_id = relation.pk
    relation.delete()
    again = make_relation(first, second, RelationType.COLLABORATION, description="Nouvelle")
    deletion = Relation.history.filter(id=old_id).latest()
    versions_before = Relation.history.count()

    response = moderator_client.post(relation_restore_url(first, deletion), follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "n&#x27;a pas été restaurée" in page
    assert "Cette relation existe déjà entre ces deux acteurs, avec ce type." in page
    assert not Relation.objects.filter(pk=old_id).exists()
    assert Relation.objects.get(pk=again.pk).description == "Nouvelle"
    assert Relation.history.count() == versions_before


def test_restoring_an_actor_version_whose_slug_is_taken_changes_nothing(moderator_client):
    actor = make_actor(name="Labo", slug="labo-ancien")
    original = actor.history.first()
    change(actor, slug="labo-nouveau")
    make_actor(name="Autre labo", slug="labo-ancien")
    versions_before = actor.history.count()

    response = moderator_client.post(actor_restore_url(actor, original), follow=True)

    assert response.redirect_chain == [("/acteurs/labo-nouveau/historique/", 302)]
    assert "Un acteur porte déjà cet identifiant." in response.content.decode()
    actor.refresh_from_db()
    assert actor.slug == "labo-nouveau"
    assert actor.history.count() == versions_before


def test_a_relation_version_of_another_actor_is_not_found(moderator_client):
    first, second, stranger = make_actor(), make_actor(), make_actor()
    relation = make_relation(first, second)
    record = relation.history.first()
    assert moderator_client.post(relation_restore_url(stranger, record)).status_code == 404


@pytest.mark.parametrize("persona", ["client", "staff_client", "moderator_client"])
def test_a_get_of_a_restore_only_asks_for_confirmation(persona, request):
    viewer = request.getfixturevalue(persona)
    actor = make_actor(name="Nom d'origine")
    original = actor.history.first()
    change(actor, name="Nom actuel")
    relation = make_relation(actor, make_actor())
    relation_record = relation.history.first()
    change(relation, description="Plus tard")
    versions = (Actor.history.count(), Relation.history.count())
    expected = {"client": 302, "staff_client": 403, "moderator_client": 200}[persona]
    for url in (actor_restore_url(actor, original), relation_restore_url(actor, relation_record)):
        response = viewer.get(url)
        assert response.status_code == expected
        if expected == 200:
            assert "Restaurer cette version ?" in response.content.decode()
    actor.refresh_from_db()
    assert actor.name == "Nom actuel"
    assert (Actor.history.count(), Relation.history.count()) == versions


def test_restoring_is_csrf_protected(moderator):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(moderator)
    actor = make_actor(name="Nom d'origine")
    original = actor.history.first()
    change(actor, name="Nom actuel")
    assert csrf_client.post(actor_restore_url(actor, original)).status_code == 403
    actor.refresh_from_db()
    assert actor.name == "Nom actuel"


def actor_with_versions(count: int) -> Actor:
    """An actor with `count` versions mixing every kind of change, and a relation with as many."""
    parents = [make_actor(name="Parent A"), make_actor(name="Parent B")]
    partner = make_actor(name="Partenaire")
    actor = make_actor(name="Labo versionné")
    relation = make_relation(actor, partner, RelationType.COLLABORATION)
    for n in range(count - 1):
        if n % 4 == 0:
            change(actor, f"Version {n}", name=f"Labo versionné {n}", parent=parents[n % 2])
        elif n % 4 == 1:
            actor.secondary_types.add(ActorType.INTERMEDIATION, ActorType.PRESTATAIRE)
        elif n % 4 == 2:
            change(actor, latitude=45.0 + n / 100, longitude=4.8)
        else:
            actor.secondary_types.clear()
        change(relation, description=f"Description {n}")
    assert actor.history.count() == relation.history.count() == count
    return actor


def test_the_history_costs_the_same_queries_for_3_and_30_versions(moderator_client):
    counts = []
    for versions in (3, 30):
        actor = actor_with_versions(versions)
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(history_url(actor))
        assert response.status_code == 200
        # Every version but the current one of the actor and of the relation.
        assert response.content.decode().count("Restaurer cette version") == 2 * (versions - 1)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
