"""Confirm once: a browser that proved an address sends its next proposals with that address
straight to the moderators; "Mes propositions" by a one-time emailed link; the follow page
says what was proposed and what became of it; the error banner links the faulty fields.

Must never: a cookie forged, altered, expired or reused for another address counting as a
confirmation; a sign-in link working twice or saying whether an address contributed.
"""

import time

import pytest
from django.core import mail, signing
from django.core.cache import cache

from actors.models import Actor
from contributions import signin
from contributions.models import Contribution, Kind, Status
from tests.factories import PROPOSER_EMAIL, pending_new_actor

from .helpers import (
    actor_form_data,
    confirmation_link,
    correction_data,
    last_mail_to,
    path_of,
    with_relation,
)

pytestmark = pytest.mark.django_db

OTHER_EMAIL = "dominique.autre@example.org"
THIRTY_DAYS = 30 * 24 * 3600


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # rate-limit counters and sign-in keys of other tests


def propose_new_actor(client, email=PROPOSER_EMAIL, name="Laboratoire citoyen de Vichy"):
    data = actor_form_data(
        **{"contributeur-contributor_email": email, "acteur-name": name, "acteur-short_name": ""}
    )
    response = client.post("/contribuer/", data)
    assert response.status_code == 302, response.context and response.context["actor_form"].errors
    return Contribution.objects.get(actor_label=name)


def propose_correction(client, email=PROPOSER_EMAIL) -> Contribution:
    data = correction_data(
        client,
        "archipel",
        **{
            "acteur-website": "https://archipel.example.gouv.fr/",
            "contributeur-contributor_email": email,
        },
    )
    response = client.post("/contribuer/correction/archipel/", data)
    assert response.status_code == 302
    return Contribution.objects.filter(kind=Kind.CORRECTION).latest("pk")


def confirm_by_email(client, email=PROPOSER_EMAIL):
    """Propose a new actor and open the confirmation link of its email."""
    contribution = propose_new_actor(client, email)
    response = client.get(path_of(confirmation_link(last_mail_to(email.strip()))))
    assert response.status_code == 302
    return contribution, response


def confirmation_emails_to(email: str) -> int:
    return sum(1 for m in mail.outbox if email in m.to and "/contribuer/confirmer/" in m.body)


def cookie_signed(value: str, *, salt=signin.COOKIE_SALT, age=0) -> str:
    """A cookie value as set_signed_cookie writes it, signed `age` seconds ago."""
    signer = signing.get_cookie_signer(salt=signin.COOKIE + salt)
    stamp = signing.b62_encode(int(time.time()) - age)
    return signing.Signer.sign(signer, f"{value}{signer.sep}{stamp}")


# The cookie --------------------------------------------------------------------------------


def test_confirming_the_email_says_so_and_sets_a_signed_cookie_of_the_address(client):
    contribution, response = confirm_by_email(client, "  Camille.Martin@Example.org")
    cookie = response.cookies[signin.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert int(cookie["max-age"]) == THIRTY_DAYS
    assert "camille.martin@example.org" in cookie.value  # normalised, and signed:
    assert cookie.value != "camille.martin@example.org"
    page = client.get(response.url).content.decode()
    assert "Adresse confirmée : votre proposition est transmise aux modérateurs." in page
    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING


def test_the_cookie_is_secure_when_the_site_is(client):
    propose_new_actor(client)
    link = path_of(confirmation_link(last_mail_to(PROPOSER_EMAIL)))
    response = client.get(link, secure=True)
    assert response.cookies[signin.COOKIE]["secure"]


def test_a_later_proposal_with_the_same_address_goes_straight_to_the_moderators(client, moderator):
    confirm_by_email(client)
    mail.outbox.clear()
    form = client.get("/contribuer/correction/archipel/").content.decode()
    assert f'value="{PROPOSER_EMAIL}"' in form  # offered, and said:
    assert "Ce navigateur a déjà confirmé l'adresse camille.martin@example.org" in form
    correction = propose_correction(client, "CAMILLE.MARTIN@example.org")
    assert correction.status == Status.PENDING and correction.confirmed_at is not None
    assert confirmation_emails_to("CAMILLE.MARTIN@example.org") == 0
    assert "reçue" in last_mail_to("CAMILLE.MARTIN@example.org").subject  # the receipt
    assert "nouvelle proposition" in last_mail_to(moderator.email).subject
    follow = client.get(correction.get_follow_url()).content.decode()
    assert "transmise directement aux modérateurs, sans nouvelle confirmation" in follow


def test_another_address_from_the_same_browser_is_asked_to_confirm(client):
    confirm_by_email(client)
    correction = propose_correction(client, OTHER_EMAIL)
    assert correction.status == Status.AWAITING_CONFIRMATION
    assert confirmation_emails_to(OTHER_EMAIL) == 1


@pytest.mark.parametrize(
    "cookie",
    [
        pytest.param(lambda: PROPOSER_EMAIL, id="unsigned"),
        pytest.param(lambda: cookie_signed(PROPOSER_EMAIL, salt="another.salt"), id="forged"),
        pytest.param(
            lambda: cookie_signed(OTHER_EMAIL).replace(OTHER_EMAIL, PROPOSER_EMAIL),
            id="altered",
        ),
        pytest.param(lambda: cookie_signed(PROPOSER_EMAIL, age=THIRTY_DAYS + 60), id="expired"),
    ],
)
def test_a_cookie_forged_altered_or_expired_counts_for_nothing(client, cookie):
    client.cookies[signin.COOKIE] = cookie()
    correction = propose_correction(client)
    assert correction.status == Status.AWAITING_CONFIRMATION
    assert confirmation_emails_to(PROPOSER_EMAIL) == 1
    page = client.get("/contribuer/mes-propositions/").content.decode()
    assert PROPOSER_EMAIL not in page and "Archipel" not in page


def test_a_cookie_signed_a_day_ago_still_counts(client):
    client.cookies[signin.COOKIE] = cookie_signed(PROPOSER_EMAIL, age=24 * 3600)
    assert propose_correction(client).status == Status.PENDING


# "Mes propositions" and its sign-in link -------------------------------------------------


def ask_for_a_link(client, email):
    response = client.post("/contribuer/mes-propositions/", {"email": email}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def signin_path(email: str) -> str:
    body = last_mail_to(email).body
    return path_of(next(w for w in body.split() if "/contribuer/mes-propositions/" in w))


def test_the_answer_is_the_same_whether_the_address_made_proposals_or_not(client):
    pending_new_actor(email=PROPOSER_EMAIL)
    known = ask_for_a_link(client, PROPOSER_EMAIL)
    unknown = ask_for_a_link(client, OTHER_EMAIL)
    assert "un courriel vient d&#x27;y partir" in known
    assert strip_csrf(known.replace(PROPOSER_EMAIL, OTHER_EMAIL)) == strip_csrf(unknown)
    assert [m.to for m in mail.outbox] == [[PROPOSER_EMAIL]]  # nobody else is written to
    assert "Lab secret en attente" not in known  # nothing shown before the link is followed


def strip_csrf(page: str) -> str:
    return "\n".join(line for line in page.splitlines() if "csrfmiddlewaretoken" not in line)


def test_the_link_shows_every_proposal_of_the_address_and_sets_the_cookie(client):
    mine = pending_new_actor(email="Camille.Martin@example.org")
    refused = pending_new_actor(name="Collectif refusé", contribution_status=Status.REFUSED)
    someone_elses = pending_new_actor(email=OTHER_EMAIL, name="Lab de quelqu'un d'autre")
    ask_for_a_link(client, PROPOSER_EMAIL)
    response = client.get(signin_path(PROPOSER_EMAIL))
    assert response.status_code == 302
    assert response.cookies[signin.COOKIE]["max-age"] == THIRTY_DAYS
    page = client.get(response.url).content.decode()
    for contribution in (mine, refused):
        assert contribution.actor_label in page and contribution.get_follow_url() in page
    assert "Nouvel acteur" in page and "Refusée" in page and "En attente de modération" in page
    assert someone_elses.actor_label not in page and OTHER_EMAIL not in page
    # The browser now vouches for the address: a proposal needs no confirmation.
    assert propose_correction(client).status == Status.PENDING


def test_a_signin_link_works_once(client):
    pending_new_actor()
    ask_for_a_link(client, PROPOSER_EMAIL)
    link = signin_path(PROPOSER_EMAIL)
    assert client.get(link).status_code == 302
    other_browser = client.__class__()
    response = other_browser.get(link)
    assert response.status_code == 400
    assert "Ce lien de connexion n'est plus valable" in response.content.decode()
    assert signin.COOKIE not in response.cookies
    assert "Lab secret en attente" not in response.content.decode()


def test_a_signin_link_expires_after_an_hour(client, monkeypatch):
    pending_new_actor()
    an_hour_ago = time.time() - 3601
    monkeypatch.setattr(signing.time, "time", lambda: an_hour_ago)
    token = signin.link_token(PROPOSER_EMAIL)
    monkeypatch.undo()
    response = client.get(f"/contribuer/mes-propositions/{token}/")
    assert response.status_code == 400 and signin.COOKIE not in response.cookies


def test_a_signin_link_altered_for_another_address_is_refused(client):
    pending_new_actor(email=OTHER_EMAIL)
    token = signin.link_token(PROPOSER_EMAIL)
    payload, rest = token.split(":", 1)
    forged = signing.b64_encode(
        signing.b64_decode(payload.encode()).replace(PROPOSER_EMAIL.encode(), OTHER_EMAIL.encode())
    ).decode()
    response = client.get(f"/contribuer/mes-propositions/{forged}:{rest}/")
    assert response.status_code == 400 and signin.COOKIE not in response.cookies


def test_asking_for_links_is_rate_limited(client, settings):
    settings.TIPS_CONTRIBUTIONS_PER_EMAIL = "2/h"
    pending_new_actor()
    for _ in range(2):
        ask_for_a_link(client, PROPOSER_EMAIL)
    response = client.post("/contribuer/mes-propositions/", {"email": PROPOSER_EMAIL})
    assert response.status_code == 429
    assert "réessayez un peu plus tard" in response.content.decode()
    assert f'value="{PROPOSER_EMAIL}"' in response.content.decode()  # what was typed stays
    assert len(mail.outbox) == 2


def test_forgetting_the_address_removes_the_cookie(client):
    confirm_by_email(client)
    response = client.post("/contribuer/mes-propositions/", {"forget": "1"})
    assert response.cookies[signin.COOKIE].value == ""
    assert propose_correction(client).status == Status.AWAITING_CONFIRMATION


# The follow page -------------------------------------------------------------------------


def test_the_follow_page_shows_the_proposed_values_in_words(client):
    archipel = Actor.objects.get(slug="archipel")
    data = with_relation(actor_form_data(), archipel, "prestation_service", description="Ateliers")
    data["acteur-secondary_types"] = ["formation_recherche", "reseau_communaute"]
    data["acteur-parent"] = "Archipel"
    client.post("/contribuer/", data)
    contribution = Contribution.objects.get()
    page = client.get(contribution.get_follow_url()).content.decode()
    for words in (
        "Ce que vous avez proposé",
        "Laboratoire citoyen de Vichy",
        "Cellule publique d&#x27;innovation",  # the type, not its key
        "Structure de formation-recherche, Réseau et communauté d&#x27;acteurs",
        "Collectivité territoriale",
        archipel.name,  # the parent and the partner by their names
        "Prestation de service",
        "Ateliers",
        "Actif",
        "Proposée",
    ):
        assert words in page, words
    for code in ("cellule_innovation", "formation_recherche", "collectivite_territoriale"):
        assert code not in page.split("<main", 1)[1], code


def test_a_correction_shows_the_published_value_beside_the_proposed_one(client):
    client.cookies[signin.COOKIE] = cookie_signed(PROPOSER_EMAIL)
    correction = propose_correction(client)
    page = client.get(correction.get_follow_url()).content.decode()
    assert "Publié lors de la proposition" in page
    assert "https://archipel.example.gouv.fr/" in page
    assert "Adresse confirmée, transmise aux modérateurs" in page


def test_the_follow_page_tells_the_decision_and_no_one_elses_address(client, moderator):
    confirm_by_email(client)
    contribution = Contribution.objects.get()
    pending_new_actor(email=OTHER_EMAIL, name="Autre proposition")
    contribution.decide(moderator, validate=False, message="Hors du champ de la carte.")
    page = client.get(contribution.get_follow_url()).content.decode()
    assert "Refusée" in page and "Hors du champ de la carte." in page
    assert "Adresse confirmée, transmise aux modérateurs" in page
    assert moderator.email not in page and moderator.username not in page
    assert OTHER_EMAIL not in page and "Autre proposition" not in page


def test_the_follow_page_reads_a_constant_number_of_queries(client, django_assert_max_num_queries):
    archipel = Actor.objects.get(slug="archipel")
    data = actor_form_data()
    for index, slug in enumerate(["dre-lab", "interlabs", "la-turbine"]):
        data = with_relation(data, Actor.objects.get(slug=slug), "collaboration", index=index)
    data = with_relation(data, archipel, "collaboration", index=3)
    data["relations-TOTAL_FORMS"] = "4"
    client.post("/contribuer/", data)
    contribution = Contribution.objects.get()
    assert len(contribution.proposed["relations"]) == 4
    with django_assert_max_num_queries(6):  # session, version, proposal, names...
        assert client.get(contribution.get_follow_url()).status_code == 200


# The error banner ------------------------------------------------------------------------


def test_the_error_banner_links_each_faulty_field_by_its_label(client):
    data = actor_form_data(**{"acteur-type": "", "contributeur-email_consent": None})
    data["relations-0-partner"] = "Acteur imaginaire"
    data["relations-0-type"] = "collaboration"
    page = client.post("/contribuer/", data).content.decode()
    banner = page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert 'id="form-errors" role="alert" tabindex="-1"' in page  # focusable by its script
    assert '<a href="#id_acteur-type">Type d&#x27;acteur</a> : Ce champ est obligatoire.' in banner
    assert '<a href="#id_relations-0-partner">Relation 1 : Acteur partenaire</a>' in banner
    assert 'href="#id_contributeur-email_consent"' in banner
    assert "Aucun acteur de la carte ne porte ce nom" in banner
    assert 'value="Acteur imaginaire"' in page  # nothing typed is lost
    # Each field keeps its own message below it.
    assert page.count('<p class="field-error" role="alert">Ce champ est obligatoire.</p>') == 2


def test_the_removal_form_links_its_choice_and_its_reason(client):
    page = client.post(
        "/contribuer/disparition/la-turbine/", {"signalement-reason": ""}
    ).content.decode()
    banner = page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_signalement-what_0">Ce que vous signalez</a>' in banner
    assert '<a href="#id_signalement-reason">Motif</a>' in banner
    assert 'id="id_signalement-what_0"' in page
