"""The page "Mes propositions": every proposal of an address this browser proved, and the
one-time link by email that proves it (contributions/signin.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import emails, signin
from ..forms import SignInForm
from ..limits import too_many
from ..models import Contribution

MY_PROPOSALS = "contributions/my_proposals.html"


def my_proposals(request):
    """The proposals of the proven address, if any, and the form to ask for a link."""
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("forget"):
        response = redirect("contributions:my_proposals")
        signin.forget(response)
        messages.info(request, _("Ce navigateur a oublié votre adresse."))
        return response
    context = page(request, form)
    if request.method != "POST" or not form.is_valid():
        return render(request, MY_PROPOSALS, context)
    email = form.cleaned_data["email"]
    if too_many(request, email, what="signin"):
        return render(request, MY_PROPOSALS, {**context, "rate_limited": True}, status=429)
    emails.send_signin_link(email, emails.site_url_of(request))
    # The same answer whether the address made proposals or not: nobody learns who did.
    messages.info(
        request,
        _(
            "Si des propositions ont été envoyées avec l'adresse %(email)s, un courriel vient "
            "d'y partir avec un lien pour les voir (valable une heure, une seule fois)."
        )
        % {"email": email},
    )
    return redirect("contributions:my_proposals")


def page(request, form: SignInForm, **context) -> dict:
    email = signin.proven_email(request)
    proposals = Contribution.objects.sent_from(email).select_related("actor") if email else []
    return {"form": form, "email": email, "proposals": proposals, **context}


def signin_link(request, token):
    """A link from the email: used once, it lets this browser vouch for the address."""
    email = signin.use_link(token)
    if not email:
        context = page(request, SignInForm(), link_failed=True)
        return render(request, MY_PROPOSALS, context, status=400)
    response = redirect("contributions:my_proposals")
    signin.remember(request, response, email)
    return response
