"""Who may do what only a moderator may do: one table over every moderator action, web and API.

A row is an action and the status each persona of tests/conftest.py gets for it:
- on the web, the moderation queue, a proposal's page, validating and refusing it (its POST),
  restoring a version of an actor and of a relation (the confirmation, its GET, and the
  restore, its POST), the import page, an upload (its dry run) and the confirmation of the
  import, validating a merge of duplicates and undoing one (its confirmation page and its
  POST), publishing a citable release (its form and its POST); and, open to everyone, the page that reports a duplicate and the sign-in pages;
- in the API, the list of proposals, one proposal, validate and refuse, each by session and by
  token.

Anonymous people are sent to /connexion/?next=<the page> on the web and get 403 from the API
(with a wrong token too); the contributor and the staff member get 403; the moderator and the
superuser get the action's answer, and the action is done. The territory moderator (of the
Puy-de-Dôme, where the pending proposal is) gets the queue, the proposal and its decision, on
the web and in the API, and 403 for restore and imports, which stay the chair admins'; outside
their territories, see tests/contributions/test_territory_moderation.py. In every refused case
nothing changes (the proposal stays pending; the actors, the relations and their versions stay
as they were; nothing is imported) and neither the pending proposal nor its author's email is
in the answer.

The pages of a contributor's own proposals ("Mes propositions", asking for its sign-in link and
following it) are open to everyone alike, and show nothing of the pending proposal either.

`test_every_moderator_action_has_a_row` reads the URLconf: a view put behind
`moderator_required` or `queue_required` (the same code) or `IsModerator` fails it until it has
its row here. What each action does in detail is tested beside it: tests/contributions/,
tests/contributions/test_history_page.py, tests/opendata/.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from actors.models import Actor
from contributions import proposals, signin
from contributions.access import IsModerator, moderator_required
from contributions.models import Contribution, Status
from opendata import import_views
from opendata.imports.importer import encode_content
from opendata.models import ImportSource, Release
from relations.models import Relation
from tests.factories import (
    make_actor,
    make_moderator,
    make_relation,
    pending_new_actor,
    token_for,
)
from tips_map.models import DataVersion

pytestmark = pytest.mark.django_db

SECRET = "Lab secret en attente"  # the pending proposal's actor
EMAIL = "camille.discrete@example.org"  # its author's, for moderators' eyes only
SOMEONE = "dominique@example.org"  # asks for a sign-in link to their own proposals
IMPORTED = "Cabinet Essai Conseil"  # an actor of the file waiting for confirmation
RELEASE = "2031.1"  # the release a chair admin publishes
FILE = Path(__file__).parent / "opendata" / "files" / "acteurs.tsv"
PERSONAS = ["anonymous", "contributor", "staff", "territory_moderator", "moderator", "superuser"]
LOGIN = "/connexion/"  # expected: redirected there, with ?next=<the page>

# The table: action -> the status of anonymous, contributor, staff, territory moderator,
# moderator, superuser.
# Each action is written out in ACTIONS below.
WEB = {
    "moderation queue": (LOGIN, 403, 403, 200, 200, 200),
    "a proposal's page": (LOGIN, 403, 403, 200, 200, 200),
    "validate a proposal": (LOGIN, 403, 403, 302, 302, 302),
    "refuse a proposal": (LOGIN, 403, 403, 302, 302, 302),
    "restore an actor version": (LOGIN, 403, 403, 403, 302, 302),
    "restore a relation version": (LOGIN, 403, 403, 403, 302, 302),
    # The confirmation a restore asks first (its GET): what it would change.
    "confirm restoring an actor version": (LOGIN, 403, 403, 403, 200, 200),
    "confirm restoring a relation version": (LOGIN, 403, 403, 403, 200, 200),
    "import page": (LOGIN, 403, 403, 403, 200, 200),
    "upload a file (dry run)": (LOGIN, 403, 403, 403, 200, 200),
    "confirm an import": (LOGIN, 403, 403, 403, 200, 200),
    # Merging duplicates (tests/contributions/test_merge.py): the scene's duplicates are in no
    # territory of the territory moderator's.
    "validate a merge": (LOGIN, 403, 403, 403, 302, 302),
    "undo a merge: its confirmation": (LOGIN, 403, 403, 403, 200, 200),
    "undo a merge": (LOGIN, 403, 403, 403, 302, 302),
    # Citable releases (tests/opendata/test_releases.py): the chair admins' only.
    "release form": (LOGIN, 403, 403, 403, 200, 200),
    "publish a release": (LOGIN, 403, 403, 403, 302, 302),
}
# Open to everyone: the same answer for each persona (contributions/views/signin.py).
PUBLIC = {
    "report a duplicate": (200, 200, 200, 200, 200, 200),
    "my proposals": (200, 200, 200, 200, 200, 200),
    "ask for a sign-in link": (302, 302, 302, 302, 302, 302),
    "open a sign-in link": (302, 302, 302, 302, 302, 302),
}
# In the API, anonymous means no session, or a token that is no one's.
API = {
    "API: list the proposals": (403, 403, 403, 200, 200, 200),
    "API: one proposal": (403, 403, 403, 200, 200, 200),
    "API: validate": (403, 403, 403, 200, 200, 200),
    "API: refuse": (403, 403, 403, 200, 200, 200),
}


@dataclass
class Scene:
    """What the moderator actions act on."""

    proposal: Contribution
    actor: Actor  # named "Nom actuel", first named "Nom d'origine"
    actor_version: object
    relation: Relation  # described "Après", first "Avant"
    relation_version: object

    # Built when an action asks for them (a validated merge costs a second a case).
    @functools.cached_property
    def merges(self) -> tuple[Contribution, Contribution]:
        return merges()

    @property
    def merge(self) -> Contribution:
        """Pending: "Fiche en double" reported as a duplicate of "Fiche gardée"."""
        return self.merges[0]

    @property
    def merged(self) -> Contribution:
        """Validated: "Fiche fusionnée" went into "Fiche qui a absorbé", to undo."""
        return self.merges[1]


@pytest.fixture
def scene(db) -> Scene:
    proposal = pending_new_actor(email=EMAIL, name=SECRET)
    actor = make_actor(name="Nom d'origine")
    actor_version = actor.history.get()
    actor.name = "Nom actuel"
    actor.save()
    relation = make_relation(actor, make_actor(), description="Avant")
    relation_version = relation.history.get()
    relation.description = "Après"
    relation.save()
    return Scene(proposal, actor, actor_version, relation, relation_version)


def merges() -> tuple[Contribution, Contribution]:
    """A pending report of a duplicate, and a merge validated by another moderator."""
    pending = duplicate_reported("Fiche en double", "Fiche gardée")
    validated = duplicate_reported("Fiche fusionnée", "Fiche qui a absorbé")
    validated.decide(make_moderator("modo-2", "modo-2@chaire.example"), validate=True)
    return pending, validated


def duplicate_reported(merged: str, kept: str) -> Contribution:
    contribution = proposals.duplicate(make_actor(name=merged), make_actor(name=kept))
    contribution.contributor_name, contribution.contributor_email = "Camille", EMAIL
    contribution.status = Status.PENDING
    contribution.save()
    return contribution


def state() -> dict:
    """Everything a moderator action could change."""
    return {
        "proposals": list(Contribution.objects.order_by("pk").values()),
        "actors": list(Actor.objects.order_by("pk").values()),
        "relations": list(Relation.objects.order_by("pk").values()),
        "versions": (Actor.history.count(), Relation.history.count()),
        "imports": ImportSource.objects.count(),
        "releases": Release.objects.count(),
    }


def wait_for_confirmation(client: Client) -> None:
    """What the upload page keeps in the session after the dry run of FILE: the file waits for
    its confirmation (a moderator's session, or one that lost the permission since)."""
    session = client.session
    session[import_views.SESSION_KEY] = {
        "token": "jeton-de-l-essai-a-blanc",
        "format": "csv",
        "mode": "publish",
        "options": {"map": [], "category": [], "link": [], "licence": "etalab-2.0"},
        "filename": FILE.name,
        "content": encode_content(FILE.read_bytes()),
    }
    session.save()


# What each allowed action did --------------------------------------------------------------


def decided(status: Status):
    def check(scene: Scene, user) -> None:
        scene.proposal.refresh_from_db()
        assert (scene.proposal.status, scene.proposal.moderator) == (status, user)
        assert Actor.objects.filter(name=SECRET).exists() is (status == Status.VALIDATED)

    return check


def actor_restored(scene: Scene, user) -> None:
    scene.actor.refresh_from_db()
    assert scene.actor.name == "Nom d'origine"
    assert scene.actor.history.first().history_user == user


def relation_restored(scene: Scene, user) -> None:
    scene.relation.refresh_from_db()
    assert scene.relation.description == "Avant"
    assert scene.relation.history.first().history_user == user


def merged(scene: Scene, user) -> None:
    scene.merge.refresh_from_db()
    assert (scene.merge.status, scene.merge.moderator) == (Status.VALIDATED, user)
    assert scene.merge.actor.merged_into.name == "Fiche gardée"


def merge_undone(scene: Scene, user) -> None:
    assert Actor.objects.get(name="Fiche fusionnée").history.first().history_user == user


def imported(scene: Scene, user) -> None:
    assert Actor.objects.filter(name=IMPORTED).exists()


def released(scene: Scene, user) -> None:
    assert Release.objects.filter(version=RELEASE).exists()


@dataclass(frozen=True)
class Action:
    method: str
    url_name: str
    args: Callable[[Scene], list] = lambda scene: []
    data: Callable[[Scene], dict] = lambda scene: {}
    api: bool = False
    # Once allowed: what the answer shows, and what the action changed (None: nothing).
    shows: tuple[str, ...] = ()
    done: Callable[[Scene, object], None] | None = None
    prepare: Callable[[Client], None] | None = None  # before the request


def proposal_pk(scene: Scene) -> list:
    return [scene.proposal.pk]


def decision_on_the_web(action: str, status: Status) -> Action:
    data = {"action": action, "decision_message": "Hors du champ de la carte."}
    return Action(
        "POST", "contributions:moderate", proposal_pk, lambda scene: data, done=decided(status)
    )


def decision_in_the_api(action: str, status: Status) -> Action:
    data = {"message": "Hors du champ de la carte."}
    return Action(
        "POST",
        f"api:contribution-{action}",
        proposal_pk,
        lambda scene: data,
        api=True,
        shows=(EMAIL,),
        done=decided(status),
    )


ACTIONS = {
    "moderation queue": Action("GET", "contributions:queue", shows=(SECRET,)),
    "a proposal's page": Action(
        "GET", "contributions:moderate", proposal_pk, shows=(SECRET, EMAIL)
    ),
    "validate a proposal": decision_on_the_web("valider", Status.VALIDATED),
    "refuse a proposal": decision_on_the_web("refuser", Status.REFUSED),
    "restore an actor version": Action(
        "POST",
        "contributions:restore",
        lambda scene: [scene.actor.slug, scene.actor_version.history_id],
        done=actor_restored,
    ),
    "restore a relation version": Action(
        "POST",
        "contributions:restore_relation",
        lambda scene: [scene.actor.slug, scene.relation_version.history_id],
        done=relation_restored,
    ),
    "confirm restoring an actor version": Action(
        "GET",
        "contributions:restore",
        lambda scene: [scene.actor.slug, scene.actor_version.history_id],
        shows=("Restaurer cette version ?", "Nom actuel"),
    ),
    "confirm restoring a relation version": Action(
        "GET",
        "contributions:restore_relation",
        lambda scene: [scene.actor.slug, scene.relation_version.history_id],
        shows=("Restaurer cette version ?", "Après"),
    ),
    "import page": Action("GET", "opendata:import"),
    "upload a file (dry run)": Action(
        "POST",
        "opendata:import",
        data=lambda scene: {
            "format": "csv",
            "mode": "publish",
            "licence": "etalab-2.0",  # issue 14: every import source declares its licence
            "file": SimpleUploadedFile(FILE.name, FILE.read_bytes()),
        },
        shows=(IMPORTED, "Essai à blanc"),
    ),
    "confirm an import": Action(
        "POST",
        "opendata:import-confirm",
        data=lambda scene: {"token": "jeton-de-l-essai-a-blanc"},
        prepare=wait_for_confirmation,
        done=imported,
    ),
    "release form": Action("GET", "opendata:release-publish", shows=("Publier une version",)),
    "publish a release": Action(
        "POST",
        "opendata:release-publish",
        data=lambda scene: {
            "version": RELEASE,
            "action": "publier",
            "data_version": DataVersion.key(),
        },
        done=released,
    ),
    "my proposals": Action("GET", "contributions:my_proposals"),
    "ask for a sign-in link": Action(
        "POST", "contributions:my_proposals", data=lambda scene: {"email": SOMEONE}
    ),
    "open a sign-in link": Action(
        "GET", "contributions:signin", lambda scene: [signin.link_token(SOMEONE)]
    ),
    "validate a merge": Action(
        "POST",
        "contributions:moderate",
        lambda scene: [scene.merge.pk],
        lambda scene: {"action": "valider"},
        done=merged,
    ),
    "undo a merge: its confirmation": Action(
        "GET",
        "contributions:undo_merge",
        lambda scene: [scene.merged.pk],
        shows=("Fiche fusionnée",),
    ),
    "undo a merge": Action(
        "POST", "contributions:undo_merge", lambda scene: [scene.merged.pk], done=merge_undone
    ),
    "report a duplicate": Action(
        "GET",
        "contributions:duplicate",
        lambda scene: [scene.actor.slug],
        shows=("Signaler un doublon",),
    ),
    "API: list the proposals": Action("GET", "api:contribution-list", api=True, shows=(EMAIL,)),
    "API: one proposal": Action(
        "GET", "api:contribution-detail", proposal_pk, api=True, shows=(EMAIL,)
    ),
    "API: validate": decision_in_the_api("validate", Status.VALIDATED),
    "API: refuse": decision_in_the_api("refuse", Status.REFUSED),
}

CASES = [
    pytest.param(action, auth, persona, expected, id=f"{action} | {auth} | {persona}")
    for table, auths in ((WEB, ["session"]), (PUBLIC, ["session"]), (API, ["session", "token"]))
    for action, statuses in table.items()
    for auth in auths
    for persona, expected in zip(PERSONAS, statuses, strict=True)
]


def client_of(persona: str, auth: str, request) -> tuple[Client, dict, object]:
    """The client, the request's headers and the user acting as `persona`."""
    if persona == "anonymous":
        headers = {"HTTP_AUTHORIZATION": "Token " + "0" * 40} if auth == "token" else {}
        return Client(), headers, None
    user = request.getfixturevalue(persona)
    if auth == "token":
        return Client(), {"HTTP_AUTHORIZATION": f"Token {token_for(user).key}"}, user
    return request.getfixturevalue(f"{persona}_client"), {}, user


@pytest.mark.parametrize("action, auth, persona, expected", CASES)
def test_permission_table(scene, action, auth, persona, expected, request):
    do = ACTIONS[action]
    client, headers, user = client_of(persona, auth, request)
    if do.prepare:
        do.prepare(client)
    url = reverse(do.url_name, args=do.args(scene))
    before = state()

    if do.method == "GET":
        response = client.get(url, **headers)
    elif do.api:
        response = client.post(url, do.data(scene), content_type="application/json", **headers)
    else:
        response = client.post(url, do.data(scene), **headers)

    body = response.content.decode()
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?{urlencode({'next': url}, safe='/')}"
    else:
        assert response.status_code == expected, body[:500]
    if expected not in (LOGIN, 403):
        for text in do.shows:
            assert text in body
        if do.done:
            do.done(scene, user)
        else:
            assert state() == before
    else:
        assert state() == before
        assert SECRET not in body and EMAIL not in body


# Every moderator action is in the table ------------------------------------------------------

MODERATOR_REQUIRED = moderator_required(lambda request: None).__wrapped__.__code__


def behind_moderator_required(view) -> bool:
    while view is not None:
        if getattr(view, "__code__", None) is MODERATOR_REQUIRED:
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def api_methods_behind_is_moderator(view) -> set[str]:
    """The HTTP methods of a DRF view that IsModerator guards (HEAD goes with GET)."""
    methods = set()
    for method, action in (getattr(view, "actions", None) or {}).items():
        if method == "head":
            continue
        viewset = view.cls(**view.initkwargs)
        viewset.action = action
        if any(isinstance(permission, IsModerator) for permission in viewset.get_permissions()):
            methods.add(method.upper())
    return methods


def moderator_views(patterns=None, namespace="") -> tuple[set[str], set[tuple[str, str]]]:
    """The URL names of the web views behind moderator_required, and the (URL name, method)
    of the API's behind IsModerator."""
    web, api = set(), set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            more_web, more_api = moderator_views(pattern.url_patterns, inner)
            web |= more_web
            api |= more_api
        elif behind_moderator_required(pattern.callback):
            web.add(namespace + pattern.name)
        else:
            for method in api_methods_behind_is_moderator(pattern.callback):
                api.add((namespace + pattern.name, method))
    return web, api


def test_every_moderator_action_has_a_row():
    web, api = moderator_views()
    assert web == {ACTIONS[action].url_name for action in WEB}
    assert api == {(ACTIONS[action].url_name, ACTIONS[action].method) for action in API}
