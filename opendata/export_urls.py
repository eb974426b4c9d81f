"""The "Données" page and the exports (/donnees/…). Owned by the exports work."""

urlpatterns = []
