import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, ActorType, Lifecycle
from relations.models import DIRECTED_TYPES, Relation, RelationType

from .models import ACTOR_FIELDS

HTML_TAG = re.compile(r"<\s*[a-zA-Z!/]")
URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# Metropolitan France and the overseas départements/regions, as rough boxes: outside them the
# contributor is asked to confirm (a few actors of the report are abroad).
FRANCE_BOXES = [
    (41.2, 51.2, -5.6, 9.7),  # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -61.0),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.8),  # Martinique
    (2.0, 5.8, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.2, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.3),  # Mayotte
]
TEXT_FIELDS = [
    "name",
    "short_name",
    "acronym",
    "missions",
    "commune_name",
    "address",
    "provenance_detail",
]


def actor_public_values(actor: Actor | None) -> dict:
    """The public values of an actor, JSON-ready, as a contributor sees and proposes them."""
    if actor is None:
        return {}
    values = {}
    for field in ACTOR_FIELDS:
        if field == "secondary_types":
            values[field] = sorted(t.key for t in actor.secondary_types.all())
        elif field == "parent":
            values[field] = actor.parent.slug if actor.parent_id else ""
        else:
            values[field] = getattr(actor, field)
    return values


def in_france(latitude: float, longitude: float) -> bool:
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in FRANCE_BOXES)


class ActorNameInput(forms.TextInput):
    """A free text field for an actor's name, with suggestions fetched as the person types.

    static/js/actor_suggest.js fills the field's own <datalist> from the suggestions endpoint;
    without JavaScript it is a plain text field, and the form resolves the typed name (or slug).
    """

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("actors:suggestions"),
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


def refuse_html(value: str) -> None:
    if value and HTML_TAG.search(value):
        raise ValidationError(_("Le texte ne doit pas contenir de balises HTML."), code="html")


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
    # Honeypot: hidden from people by CSS, filled in by naive robots.
    telephone_fixe = forms.CharField(required=False, label=_("Ne pas remplir ce champ"))

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


class ActorProposalForm(forms.ModelForm):
    """Every public field of an actor. Never saved directly: it yields proposed values."""

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

    class Meta:
        model = Actor
        fields = [f for f in ACTOR_FIELDS if f not in ("secondary_types", "parent")]
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
        # Read before validation: cleaning copies the typed values onto the instance.
        self.published = actor_public_values(self.instance) if self.instance.pk else {}
        if self.instance.pk:
            self.initial.setdefault(
                "secondary_types", [t.key for t in self.instance.secondary_types.all()]
            )
            self.initial.setdefault(
                "parent", self.instance.parent.name if self.instance.parent_id else ""
            )

    def clean_latitude(self):
        value = self.cleaned_data.get("latitude")
        if value is not None and not -90 <= value <= 90:
            raise ValidationError(_("La latitude doit être comprise entre -90 et 90."))
        return value

    def clean_longitude(self):
        value = self.cleaned_data.get("longitude")
        if value is not None and not -180 <= value <= 180:
            raise ValidationError(_("La longitude doit être comprise entre -180 et 180."))
        return value

    def clean(self):
        data = super().clean()
        for field in TEXT_FIELDS:
            try:
                refuse_html(data.get(field, ""))
            except ValidationError as error:
                self.add_error(field, error)
        missions = data.get("missions", "")
        if missions and not URL.sub("", missions).strip(" \n\t.,;:-"):
            self.add_error(
                "missions",
                _("Décrivez les missions en quelques mots : un lien seul ne suffit pas."),
            )
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error(
                "longitude", _("Indiquez la latitude et la longitude, ou aucune des deux.")
            )
        elif (
            latitude is not None
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

    def clean_parent(self):
        name = self.cleaned_data["parent"].strip()
        if not name:
            return ""
        found = Actor.objects.filter(name=name).first() or Actor.objects.filter(slug=name).first()
        if found is None:
            raise ValidationError(
                _(
                    "Aucun acteur de la carte ne porte ce nom : choisissez-le dans "
                    "la liste proposée, ou laissez vide."
                )
            )
        if self.instance.pk and found.pk == self.instance.pk:
            raise ValidationError(_("Un acteur ne peut pas être sa propre organisation parente."))
        return found.slug

    def proposed_values(self) -> dict:
        values = {}
        for field in ACTOR_FIELDS:
            value = self.cleaned_data.get(field)
            if field == "secondary_types":
                value = sorted(set(value or []) - {self.cleaned_data.get("type")})
            values[field] = value
        return values

    def changed_values(self) -> dict:
        """Only what differs from the published actor: a correction proposes nothing else."""
        return {k: v for k, v in self.proposed_values().items() if self.published.get(k) != v}


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
        partner = Actor.objects.filter(name=name).first() or Actor.objects.filter(slug=name).first()
        if partner is None:
            self.add_error(
                "partner",
                _(
                    "Aucun acteur de la carte ne porte ce nom : choisissez-le "
                    "dans la liste proposée."
                ),
            )
        if not data.get("type"):
            self.add_error("type", _("Choisissez le type de relation."))
        refuse_html(data.get("description", ""))
        data["partner_actor"] = partner
        return data


class BaseRelationFormSet(forms.BaseFormSet):
    """The relations of one actor: no relation to itself, none twice, none already published."""

    actor: Actor | None = None

    def proposed_relations(self, actor_slug: str) -> list[dict]:
        relations = []
        for form in self.forms:
            partner = form.cleaned_data.get("partner_actor")
            if not partner:
                continue
            outgoing = form.cleaned_data.get("direction") != "entrante"
            kind = form.cleaned_data["type"]
            source, target = (actor_slug, partner.slug)
            if kind in DIRECTED_TYPES and not outgoing:
                source, target = target, source
            relations.append(
                {
                    "source": source,
                    "target": target,
                    "type": kind,
                    "description": form.cleaned_data.get("description", ""),
                }
            )
        return relations

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            partner = form.cleaned_data.get("partner_actor")
            if not partner:
                continue
            kind = form.cleaned_data["type"]
            if self.actor and partner.pk == self.actor.pk:
                form.add_error(
                    "partner", _("Un acteur ne peut pas être en relation avec lui-même.")
                )
                continue
            outgoing = form.cleaned_data.get("direction") != "entrante"
            key = (partner.pk, kind, outgoing if kind in DIRECTED_TYPES else None)
            if key in seen:
                form.add_error("partner", _("Cette relation figure deux fois dans la proposition."))
            seen.add(key)
            if self.actor and self.already_published(self.actor, partner, kind, outgoing):
                form.add_error(
                    "partner", _("Cette relation existe déjà entre ces deux acteurs, avec ce type.")
                )

    @staticmethod
    def already_published(actor, partner, kind, outgoing) -> bool:
        if kind in DIRECTED_TYPES:
            source, target = (actor, partner) if outgoing else (partner, actor)
            return Relation.objects.filter(source=source, target=target, type=kind).exists()
        return Relation.objects.between(actor, partner).filter(type=kind).exists()


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

    def proposed_values(self, actor: Actor) -> dict:
        if self.cleaned_data["what"] == "suppression":
            return {"reason": self.cleaned_data["reason"]}
        values = {"lifecycle": Lifecycle.DISPARU}
        if self.cleaned_data.get("ended_year"):
            values["ended_year"] = self.cleaned_data["ended_year"]
        return {"actor": values, "reason": self.cleaned_data["reason"]}
