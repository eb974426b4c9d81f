"""Read and write API (/api/…). Owned by the API work."""

urlpatterns = []
