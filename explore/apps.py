from django.apps import AppConfig


class ExploreConfig(AppConfig):
    """The public pages: map, list, card, typology, territories, network, comparison."""

    name = "explore"
    verbose_name = "Explorer"
