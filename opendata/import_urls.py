"""The moderators' import page (/donnees/import/…). Owned by the imports work."""

urlpatterns = []
