"""The forms of a proposal: the same rules for the web form and the API's JSON.

The model's own rules (coordinate ranges, both coordinates or neither, an actor is not its own
parent, a relation has two ends and is published once) are the model's, checked by its
validation: a form adds only what is particular to a contributor's input (no HTML, missions
in words, a position abroad confirmed, a partner named as the map names it).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from actors.identifiers import IDENTIFIER_FIELDS
from actors.models import LOCATION_FIELDS, PROPOSED_FIELDS, Actor, ActorType, Lifecycle
from actors.names import described
from relations.models import DIRECTED_TYPES, Relation, RelationType

from . import proposals
from .models import Contribution
from .proposals import Contributor

HTML_TAG = re.compile(r"<\s*[a-zA-Z!/]")
URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# Rough boxes of France and its overseas départements: coordinates elsewhere are often swapped
# or mistyped, so the form asks for a confirmation.
FRANCE_BOXES = [
    (41.2, 51.2, -5.6, 9.7),  # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -61.0),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.8),  # Martinique
    (2.0, 5.8, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.2, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.3),  # Mayotte
]


def in_france(latitude: float, longitude: float) -> bool:
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in FRANCE_BOXES)


def refuse_html(value: str) -> None:
    if value and HTML_TAG.search(value):
        raise ValidationError(_("Le texte ne doit pas contenir de balises HTML."), code="html")


def is_free_text(field: models.Field) -> bool:
    """Text a person types (names, missions, addresses…): neither a choice nor a URL."""
    return (
        isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.URLField)
    )


def designated_actor(name: str) -> Actor:
    """The actor of the map a person names in a partner or parent field (full name, usual name,
    acronym or slug: see ActorQuerySet.named), or a ValidationError saying none does, or listing
    the candidates ("Archipel — Cellule publique d'innovation, Lyon") when several do."""
    found = Actor.objects.named(name)
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            _(
                "Aucun acteur de la carte ne porte ce nom : choisissez-le dans la liste "
                "proposée, ou tapez son nom complet, son nom usuel ou son sigle."
            ),
            code="unknown_actor",
        )
    candidates = " ; ".join(
        described(actor.display_name, actor.get_type_display(), actor.commune_name)
        for actor in found
    )
    raise ValidationError(
        _(
            "Plusieurs acteurs de la carte portent ce nom : %(candidates)s. Lequel ? "
            "Choisissez-le dans la liste proposée, ou tapez son nom complet."
        ),
        code="ambiguous_actor",
        params={"candidates": candidates},
    )


class ActorNameInput(forms.TextInput):
    """A free text field for an actor's name, with suggestions fetched as the person types.

    static/js/actor_suggest.js fills the field's own <datalist> from the suggestions endpoint;
    without JavaScript it is a plain text field, and the form resolves the typed name (or slug).
    """

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("contributions:actor_suggestions"),
                "data-suggest-gone": Lifecycle.DISPARU.label,
                **(attrs or {}),
            }
        )

    @staticmethod
    def list_id(field_id: str) -> str:
        return f"{field_id}-suggestions"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id"):
            widget_attrs["list"] = self.list_id(widget_attrs["id"])
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """The field, then its own empty datalist: a formset has a partner field per row."""
        html = super().render(name, value, attrs, renderer)
        field_id = (attrs or {}).get("id") or self.attrs.get("id")
        if not field_id:
            return html
        return html + format_html('<datalist id="{}"></datalist>', self.list_id(field_id))


class ContributorForm(forms.Form):
    """Who proposes: no account needed, an email is (confirmed before moderation)."""

    contributor_name = forms.CharField(label=_("Votre nom"), max_length=200)
    contributor_email = forms.EmailField(
        label=_("Votre adresse électronique"),
        help_text=_(
            "Pour confirmer la proposition et vous informer de la décision. "
            "Elle n'est jamais publiée."
        ),
    )
    email_consent = forms.BooleanField(
        label=_(
            "J'accepte que la chaire utilise cette adresse pour cette proposition "
            "(confirmation, suivi, décision)."
        ),
    )
    show_name = forms.BooleanField(
        label=_("Afficher mon nom dans l'historique public de la fiche"), required=False
    )
    message = forms.CharField(
        label=_("Message pour les modérateurs (sources, précisions)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Honeypot: hidden from people by CSS, filled in by naive robots. Out of the keyboard's
    # path and of autofill, so that no person reaches or fills it by accident.
    telephone_fixe = forms.CharField(
        required=False,
        label=_("Ne pas remplir ce champ"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            # An account is known: no name, email or consent to ask for.
            for name in ("contributor_name", "contributor_email", "email_consent"):
                del self.fields[name]

    def clean_contributor_name(self):
        value = self.cleaned_data["contributor_name"]
        refuse_html(value)
        return value

    def clean_message(self):
        value = self.cleaned_data["message"]
        refuse_html(value)
        return value

    def clean_telephone_fixe(self):
        if self.cleaned_data["telephone_fixe"]:
            raise ValidationError(
                _("Ce champ doit rester vide : il sert à écarter les envois automatiques."),
                code="honeypot",
            )
        return ""

    def contributor(self, user) -> Contributor:
        """Who proposes, as the proposal records it: the account when signed in."""
        data = self.cleaned_data
        common = {"show_name": data.get("show_name", False), "message": data.get("message", "")}
        if user is not None and user.is_authenticated:
            name = user.get_full_name() or user.username
            return Contributor(name=name, email=user.email, account=user, **common)
        return Contributor(name=data["contributor_name"], email=data["contributor_email"], **common)


class ActorProposalForm(forms.ModelForm):
    """Every field a contributor may propose. Never saved: it yields the proposed values."""

    secondary_types = forms.MultipleChoiceField(
        label=_("Types secondaires"),
        choices=ActorType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Un acteur peut relever de plusieurs catégories ; la carte en affiche une."),
    )
    parent = forms.CharField(
        label=_("Organisation parente"),
        required=False,
        help_text=_("Si c'est un service d'une organisation déjà sur la carte : son nom."),
        widget=ActorNameInput,
    )
    confirm_abroad = forms.BooleanField(
        label=_("Je confirme que cet acteur est situé hors de France"), required=False
    )

    field_order = PROPOSED_FIELDS
    # The page's sections; every other proposed field is in the first one, "L'acteur".
    LOCATION = [*LOCATION_FIELDS, "confirm_abroad"]
    SOURCES = ["provenance_detail"]
    IDENTIFIERS = IDENTIFIER_FIELDS  # optional, a small group of their own

    class Meta:
        model = Actor
        fields = [f for f in PROPOSED_FIELDS if f not in ("secondary_types", "parent")]
        widgets = {
            "missions": forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
            "provenance_detail": forms.Textarea(attrs={"rows": 2}),
            "latitude": forms.NumberInput(attrs={"step": "any"}),
            "longitude": forms.NumberInput(attrs={"step": "any"}),
        }
        labels = {"provenance_detail": _("Sources (entretien, site internet, document…)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["latitude"].required = False
        self.fields["longitude"].required = False
        self.fields["missions"].validators.append(MaxLengthValidator(5000))
        if self.instance.pk:
            self.initial.setdefault(
                "secondary_types", [t.key for t in self.instance.secondary_types.all()]
            )
            self.initial.setdefault(
                "parent", self.instance.parent.name if self.instance.parent_id else ""
            )

    def about_fields(self):
        placed = {*self.LOCATION, *self.SOURCES, *self.IDENTIFIERS}
        return [self[name] for name in self.fields if name not in placed]

    def identifier_fields(self):
        return [self[name] for name in self.IDENTIFIERS]

    def location_fields(self):
        return [self[name] for name in self.LOCATION]

    def source_fields(self):
        return [self[name] for name in self.SOURCES]

    def clean_parent(self):
        name = self.cleaned_data["parent"].strip()
        if not name:
            return ""
        found = designated_actor(name)  # raises when unknown or ambiguous
        self.instance.parent = found  # so that the model's rules see it (not its own parent)
        return found.slug

    def clean(self):
        data = super().clean()
        for name in self._meta.fields:
            if is_free_text(Actor._meta.get_field(name)):
                try:
                    refuse_html(data.get(name, ""))
                except ValidationError as error:
                    self.add_error(name, error)
        missions = data.get("missions", "")
        if missions and not URL.sub("", missions).strip(" \n\t.,;:-"):
            self.add_error(
                "missions",
                _("Décrivez les missions en quelques mots : un lien seul ne suffit pas."),
            )
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (
            latitude is not None
            and longitude is not None
            and -90 <= latitude <= 90
            and -180 <= longitude <= 180
            and not in_france(latitude, longitude)
            and not data.get("confirm_abroad")
        ):
            self.add_error(
                "confirm_abroad",
                _(
                    "Ces coordonnées sont hors de France. Cochez cette "
                    "case si c'est bien le cas, ou corrigez-les."
                ),
            )
        return data

    def proposed_values(self) -> dict:
        values = {name: self.cleaned_data.get(name) for name in PROPOSED_FIELDS}
        values["secondary_types"] = sorted(
            set(values["secondary_types"] or []) - {self.cleaned_data.get("type")}
        )
        return values


class RelationProposalForm(forms.Form):
    partner = forms.CharField(
        label=_("Acteur partenaire"),
        required=False,
        widget=ActorNameInput,
        help_text=_("Tapez les premières lettres et choisissez dans la liste."),
    )
    type = forms.ChoiceField(
        label=_("Type de relation"), choices=RelationType.choices, required=False
    )
    direction = forms.ChoiceField(
        label=_("Sens (prestation de service)"),
        choices=[
            ("sortante", _("L'acteur rend service au partenaire")),
            ("entrante", _("Le partenaire rend service à l'acteur")),
        ],
        required=False,
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        name = (data.get("partner") or "").strip()
        if not name:
            return data  # an empty row of the formset
        try:
            partner = designated_actor(name)
        except ValidationError as error:
            partner = None
            self.add_error("partner", error)
        if not data.get("type"):
            self.add_error("type", _("Choisissez le type de relation."))
        refuse_html(data.get("description", ""))
        data["partner_actor"] = partner
        return data

    def ends(self, actor_slug: str) -> tuple[str, str]:
        """(source, target) slugs: a service goes from the provider to the beneficiary."""
        partner = self.cleaned_data["partner_actor"].slug
        incoming = self.cleaned_data.get("direction") == "entrante"
        if self.cleaned_data["type"] in DIRECTED_TYPES and incoming:
            return partner, actor_slug
        return actor_slug, partner


class BaseRelationFormSet(forms.BaseFormSet):
    """The relations of one actor: each is checked by the model's rules (not to itself, not
    already published) when the actor exists, and none may be proposed twice."""

    actor: Actor | None = None
    row_label = _("Relation %(n)s")  # a row, in the error banner (templatetags/form_errors.py)

    @classmethod
    def from_items(cls, items: list[dict], actor: Actor | None = None):
        """The formset bound to a list of {partner, type, direction, description} (the API)."""
        data = {
            "relations-TOTAL_FORMS": len(items),
            "relations-INITIAL_FORMS": 0,
            "relations-MIN_NUM_FORMS": 0,
            "relations-MAX_NUM_FORMS": cls.max_num,
        }
        for index, item in enumerate(items):
            data.update({f"relations-{index}-{name}": value for name, value in item.items()})
        formset = cls(data, prefix="relations")
        formset.actor = actor
        return formset

    def rows(self):
        return [form for form in self.forms if form.cleaned_data.get("partner_actor")]

    def proposed_relations(self, actor_slug: str) -> list[dict]:
        relations = []
        for form in self.rows():
            source, target = form.ends(actor_slug)
            relations.append(
                {
                    "source": source,
                    "target": target,
                    "type": form.cleaned_data["type"],
                    "description": form.cleaned_data.get("description", ""),
                }
            )
        return relations

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.rows():
            kind = form.cleaned_data["type"]
            outgoing = form.cleaned_data.get("direction") != "entrante"
            key = (form.cleaned_data["partner_actor"].pk, kind, kind in DIRECTED_TYPES and outgoing)
            if key in seen:
                form.add_error("partner", _("Cette relation figure deux fois dans la proposition."))
            seen.add(key)
            if self.actor is not None:
                self.check_with_the_model(form)

    def check_with_the_model(self, form) -> None:
        partner = form.cleaned_data["partner_actor"]
        source, target = form.ends(self.actor.slug)
        by_slug = {self.actor.slug: self.actor, partner.slug: partner}
        probe = Relation(
            source=by_slug[source], target=by_slug[target], type=form.cleaned_data["type"]
        )
        try:
            probe.clean()
            probe.validate_constraints()
        except ValidationError as error:
            for message in error.messages:
                form.add_error("partner", message)


RelationFormSet = forms.formset_factory(
    RelationProposalForm, formset=BaseRelationFormSet, extra=3, max_num=20
)


class RemovalForm(forms.Form):
    what = forms.ChoiceField(
        label=_("Ce que vous signalez"),
        choices=[
            ("disparition", _("L'acteur a disparu (il reste sur la carte, grisé)")),
            ("suppression", _("L'acteur doit être retiré de la carte (erreur, doublon)")),
        ],
        widget=forms.RadioSelect,
    )
    ended_year = forms.IntegerField(
        label=_("Année de disparition"), required=False, min_value=1900, max_value=2100
    )
    reason = forms.CharField(
        label=_("Motif"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"]
        refuse_html(value)
        return value

    def contribution(self, actor: Actor) -> Contribution:
        data = self.cleaned_data
        return proposals.removal(
            actor,
            data["reason"],
            disappeared=data["what"] == "disparition",
            ended_year=data.get("ended_year"),
        )


class SignInForm(forms.Form):
    """The address to send a one-time sign-in link to ("Mes propositions")."""

    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        help_text=_("Celle que vous avez donnée en envoyant vos propositions."),
    )


# Reporting a duplicate (a merge proposal, contributions/merge.py) ---------------------------


class DuplicateForm(forms.Form):
    """ "This actor is a duplicate of …": the other actor named as the map names it."""

    kept = forms.CharField(
        label=_("L'acteur dont cette fiche est le doublon"),
        widget=ActorNameInput,
        help_text=_("Tapez les premières lettres de son nom et choisissez dans la liste."),
    )
    reason = forms.CharField(
        label=_("Ce qui montre que c'est le même acteur (facultatif)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reported: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.reported = reported

    def clean_kept(self) -> Actor:
        found = designated_actor(self.cleaned_data["kept"].strip())
        if found.pk == self.reported.pk:
            raise ValidationError(
                _(
                    "C'est la fiche que vous signalez : nommez l'autre acteur, celui dont elle "
                    "est le doublon."
                ),
                code="same_actor",
            )
        return found

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"]
        refuse_html(value)
        return value

    def contribution(self, actor: Actor) -> Contribution:
        return proposals.duplicate(actor, self.cleaned_data["kept"], self.cleaned_data["reason"])
