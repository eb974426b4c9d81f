"""What a moderator reads of a proposal: labels, not codes; long texts highlighted word by word,
escaped; the contributor's reason for a disappearance or a removal; the other pending proposals
on the same actor, the same relation or a new actor of the same name, flagged in the queue and
linked from the proposal's page, for the same queries whatever the queue's length.
(The history's side, and restoring: tests/contributions/test_history_page.py.)"""

from html import unescape

import pytest
from django.utils import timezone

from actors.models import Actor
from contributions import proposals
from contributions.models import Contribution, Kind, Status
from tests.factories import (
    PROPOSER,
    PROPOSER_EMAIL,
    make_actor,
    pending_correction,
    pending_new_actor,
)

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/"

PARAGRAPH = (
    "Le laboratoire accompagne les services dans la conception de politiques publiques. "
    "Il anime des ateliers avec les habitants et les agents."
)
ADDED = "Il forme aussi les agents aux méthodes du design."
LONGER = PARAGRAPH.replace("publiques. ", f"publiques. {ADDED} ")


def submitted(contribution: Contribution) -> Contribution:
    """A proposal as Camille Martin confirmed it: waiting for a moderator."""
    contribution.contributor_name = PROPOSER
    contribution.contributor_email = PROPOSER_EMAIL
    contribution.status = Status.PENDING
    contribution.save()
    return contribution


def pending_removal(actor: Actor, reason: str, *, disappeared: bool) -> Contribution:
    return submitted(proposals.removal(actor, reason, disappeared=disappeared))


def pending_relation(source: Actor, target: Actor, kind="collaboration") -> Contribution:
    """A new relation proposed from `source`'s card."""
    relation = {"source": source.slug, "target": target.slug, "type": kind, "description": ""}
    return submitted(proposals.correction(source, {}, [relation]))


def review_of(moderator_client, contribution: Contribution) -> str:
    response = moderator_client.get(contribution.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def diff_table(page: str) -> str:
    return page.split('<table class="actor-table diff-table', 1)[1].split("</table>", 1)[0]


def queue_of(moderator_client) -> str:
    return unescape(moderator_client.get(QUEUE).content.decode())


# Labels, not codes -----------------------------------------------------------------------------


def test_a_new_actor_reads_as_labels_not_codes(moderator_client):
    proposal = pending_new_actor(
        status="collectivite_territoriale",
        scope="regional",
        secondary_types=[],
        parent="archipel",
        founded_year=2021,
    )
    page = review_of(moderator_client, proposal)
    table = unescape(diff_table(page))
    for label in (
        "Cellule publique d'innovation",
        "Collectivité territoriale",
        "Régionale",
        "Actif",
        "Archipel",
        "45,77",
    ):
        assert f'data-label="Proposé">{label}</td>' in table, label
    assert "Types secondaires</th>" in table and 'data-label="Proposé">—</td>' in table
    for code in ("cellule_innovation", "collectivite_territoriale", "regional", "actif", "[]"):
        assert code not in table, code
    assert "archipel" not in table and "None" not in table
    # The proposed relation, by its type's label.
    relations = unescape(page.split('<ul class="relation-list">', 1)[1].split("</ul>", 1)[0])
    assert "Lab secret en attente — Préfecture" in relations and "Collaboration" in relations


def test_a_correction_shows_published_and_proposed_labels(moderator_client):
    actor = make_actor(name="Labo à corriger", scope="local", status="association")
    proposal = pending_correction(actor, scope="departemental", status="cooperative")
    table = unescape(diff_table(review_of(moderator_client, proposal)))
    assert 'data-label="Publié aujourd\'hui">Locale</td>' in table
    assert "<ins>Départementale</ins>" in table
    assert ">Association</td>" in table and "<ins>Coopérative</ins>" in table


# Long texts, word by word ----------------------------------------------------------------------


def test_one_sentence_added_to_a_paragraph_is_all_that_is_highlighted(moderator_client):
    actor = make_actor(name="Labo aux longues missions", missions=PARAGRAPH)
    proposal = pending_correction(actor, missions=LONGER)
    table = diff_table(review_of(moderator_client, proposal))
    assert table.count("<ins>") == 1
    assert f"<ins>{ADDED}</ins>" in table
    assert "<del>" not in table
    # The rest of both texts is shown as it is, around the highlight.
    assert (
        "Le laboratoire accompagne les services dans la conception de politiques publiques. "
        f"<ins>{ADDED}</ins> Il anime des ateliers" in table
    )


def test_words_deleted_are_marked_in_the_published_text(moderator_client):
    actor = make_actor(name="Labo aux missions réduites", missions=LONGER)
    proposal = pending_correction(actor, missions=PARAGRAPH.replace(" et les agents", ""))
    table = diff_table(review_of(moderator_client, proposal))
    assert f"<del>{ADDED}</del>" in table
    assert "habitants <del>et les agents</del>." in table
    assert "<ins>" not in table


def test_a_script_in_a_long_text_comes_out_escaped(moderator_client):
    evil = "<script>alert(1)</script>"
    actor = make_actor(name="Labo visé", missions="Accompagner les services.")
    proposal = pending_correction(actor, missions=f"Accompagner les services. {evil}")
    table = diff_table(review_of(moderator_client, proposal))
    assert evil not in table
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in table


# The contributor's reason --------------------------------------------------------------------


def test_the_reason_of_a_disappearance_is_shown_in_the_review_and_the_queue(moderator_client):
    actor = make_actor(name="Labo fermé")
    reason = "Le labo a fermé fin 2022, son équipe a rejoint la direction du numérique. " * 3
    proposal = pending_removal(actor, reason.strip(), disappeared=True)

    page = unescape(review_of(moderator_client, proposal))
    assert "Motif de la disparition, donné par le contributeur" in page
    assert reason.strip() in page
    assert page.index("Motif de la disparition") < page.index("Ce qui change")

    queue = queue_of(moderator_client)
    assert "Motif : « Le labo a fermé fin 2022, son équipe" in queue
    assert reason.strip() not in queue and "…" in queue


def test_the_reason_of_a_removal_is_shown_too(moderator_client):
    proposal = pending_removal(
        make_actor(name="Labo en double"), "Doublon de Archipel.", disappeared=False
    )
    assert "Motif du retrait, donné par le contributeur" in unescape(
        review_of(moderator_client, proposal)
    )
    assert "Motif : « Doublon de Archipel. »" in queue_of(moderator_client)


# Other pending proposals on the same target --------------------------------------------------


def test_two_pending_proposals_on_one_actor_are_flagged_and_linked(moderator_client):
    actor = make_actor(name="Labo convoité")
    first = pending_correction(actor, website="https://un.example.org/")
    second = pending_removal(actor, "Il a fermé.", disappeared=True)
    elsewhere = pending_correction(make_actor(name="Labo tranquille"), website="https://x.fr/")
    refused = pending_correction(actor, website="https://deux.example.org/")
    Contribution.objects.filter(pk=refused.pk).update(
        status=Status.REFUSED, decided_at=timezone.now()
    )

    assert queue_of(moderator_client).count("2 propositions sur cet acteur") == 2

    page = review_of(moderator_client, first)
    box = page.split('class="notice notice-warning review-alongside"', 1)[1].split("</section>")[0]
    assert f'href="/moderation/{second.pk}/"' in box and "Disparition d&#x27;un acteur" in box
    assert f"/moderation/{elsewhere.pk}/" not in box and f"/moderation/{refused.pk}/" not in box
    assert "Une autre proposition en attente touche la même cible" in unescape(box)
    # A proposal alone on its actor has no box.
    assert "review-alongside" not in review_of(moderator_client, elsewhere)


def test_two_proposals_of_one_relation_are_flagged_from_either_side(moderator_client):
    first, second = make_actor(name="Labo A"), make_actor(name="Labo B")
    one = pending_relation(first, second, "collaboration")
    other = pending_relation(second, first, "partage_information")
    assert one.kind == other.kind == Kind.RELATION

    assert queue_of(moderator_client).count("2 propositions sur cette relation") == 2
    box = review_of(moderator_client, one).split("review-alongside", 1)[1].split("</section>")[0]
    assert f'href="/moderation/{other.pk}/"' in box and "sur la même relation" in box


def test_two_pending_new_actors_of_the_same_name_are_flagged(moderator_client):
    first = pending_new_actor(name="Lab des possibles")
    second = pending_new_actor(name="LAB des Possibles !", commune_name="Vichy")
    other = pending_new_actor(name="Un tout autre lab")

    queue = queue_of(moderator_client)
    assert queue.count("2 nouveaux acteurs de ce nom") == 2
    box = review_of(moderator_client, first).split("review-alongside", 1)[1].split("</section>")[0]
    assert f'href="/moderation/{second.pk}/"' in box and "un nouvel acteur du même nom" in box
    assert f"/moderation/{other.pk}/" not in box


def fill_queue(count: int) -> None:
    """`count` pending proposals of every kind, half of them on an actor already proposed."""
    for n in range(count):
        actor = make_actor(name=f"Labo de la file {n}")
        if n % 3 == 0:
            pending_new_actor(name=f"Nouveau lab {n // 2}")
        elif n % 3 == 1:
            pending_correction(actor, website=f"https://labo-{n}.example.org/")
            pending_removal(actor, "Fermé.", disappeared=True)
        else:
            pending_relation(actor, Actor.objects.get(slug="archipel"))


def test_the_queue_costs_the_same_queries_for_few_and_many_proposals(
    moderator_client, django_assert_max_num_queries
):
    fill_queue(3)
    with django_assert_max_num_queries(8):
        assert moderator_client.get(QUEUE).status_code == 200
    fill_queue(30)
    with django_assert_max_num_queries(8):
        queue = unescape(moderator_client.get(QUEUE).content.decode())
    assert "2 propositions sur cet acteur" in queue and "2 nouveaux acteurs de ce nom" in queue
