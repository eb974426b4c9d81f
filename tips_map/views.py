from django.shortcuts import render

from actors.models import Actor


def contribute(request):
    """How to propose an actor or a correction; the form itself comes with the contributions."""
    slug = request.GET.get("acteur", "")
    actor = Actor.objects.filter(slug=slug).only("name", "short_name", "slug").first()
    return render(request, "pages/contribute.html", {"actor": actor})
