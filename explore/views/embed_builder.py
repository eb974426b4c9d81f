"""The embed generator: a partner chooses the filters, background, legend and size of the map
for their own site, sees it, and copies the <iframe> code.

The server builds the embed address and the code (`embed_query`, `embed_code`); the page's script
only mirrors them on each change, from the same parameter names given in its configuration."""

from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.filters import ActorFilter

from ..context import filtered

# The embed's own parameters (templates/explore/embed.html reads them): its background and legend.
BACKGROUND, LEGEND = "fond", "legende"
BACKGROUNDS = [
    ("ign", _("Plan IGN")),
    ("osm", _("OpenStreetMap")),
    ("aucun", _("Aucun (contours des départements seuls)")),
]
FILTERS = ActorFilter.Meta.fields  # the map's filters, in the order of its form


class EmbedOptions(forms.Form):
    fond = forms.ChoiceField(
        label=_("Fond de carte"), choices=BACKGROUNDS, widget=forms.RadioSelect, initial="ign"
    )
    legende = forms.ChoiceField(
        label=_("Légende"),
        choices=[("1", _("Affichée")), ("0", _("Masquée"))],
        widget=forms.RadioSelect,
        initial="1",
    )
    largeur = forms.ChoiceField(
        label=_("Largeur"),
        choices=[("pleine", _("Toute la largeur de la page (100 %)")), ("fixe", _("Fixe"))],
        widget=forms.RadioSelect,
        initial="pleine",
    )
    largeur_px = forms.IntegerField(
        label=_("Largeur fixe, en pixels"), min_value=200, max_value=2000, initial=800
    )
    hauteur = forms.IntegerField(
        label=_("Hauteur, en pixels"), min_value=200, max_value=2000, initial=520
    )

    @classmethod
    def from_query(cls, query: QueryDict) -> "EmbedOptions":
        """Bound to the query, each option missing from it at its initial value."""
        data = {name: field.initial for name, field in cls.base_fields.items()}
        data.update({name: query[name] for name in cls.base_fields if query.get(name)})
        return cls(data)

    def chosen(self) -> dict:
        """The valid options, and the initial value of each wrong one (its error is shown)."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name, field.initial)
            if name not in self.errors
            else field.initial
            for name, field in self.fields.items()
        }


def embed_query(query: QueryDict, filterset: ActorFilter, options: dict) -> list[tuple[str, str]]:
    """The embed's parameters: the filters as the form sends them (a wrong one left out), then
    the background, then `legende=0` when the legend is hidden."""
    errors = filterset.form.errors
    params = [
        (name, value)
        for name in FILTERS
        if name not in errors
        for value in query.getlist(name)
        if value != ""
    ]
    params.append((BACKGROUND, options["fond"]))
    if options["legende"] == "0":
        params.append((LEGEND, "0"))
    return params


def embed_code(src: str, width: str, height: int, title: str) -> str:
    """The <iframe> to paste, every attribute value escaped."""
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" style="border:0"></iframe>',
        src,
        width,
        height,
        title,
    )


def embed_builder(request):
    """The generator's page; without JavaScript its form (GET) brings the code and preview back."""
    filterset = filtered(request)
    options_form = EmbedOptions.from_query(request.GET)
    options = options_form.chosen()
    base = request.build_absolute_uri(reverse("actors:embed"))
    query = urlencode(embed_query(request.GET, filterset, options))
    src = f"{base}?{query}" if query else base
    width = "100%" if options["largeur"] == "pleine" else str(options["largeur_px"])
    title = gettext("TIPs map : carte des acteurs de l'innovation publique")
    return render(
        request,
        "explore/embed_builder.html",
        {
            "filter": filterset,
            "options": options_form,
            "src": src,
            "width": width,
            "height": options["hauteur"],
            "code": embed_code(src, width, options["hauteur"], title),
            "builder_config": {
                "embedUrl": base,
                "filters": FILTERS,
                "background": BACKGROUND,
                "legend": LEGEND,
                "title": title,
            },
        },
    )
