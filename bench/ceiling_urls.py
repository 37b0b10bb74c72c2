"""Goalpost's URLs plus /bench/ceiling/: a signed-in view rendering a one-line template, the
most any page could serve with these settings (bench/pages.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as goalpost_urlpatterns

ONE_LINE = engines["django"].from_string("<p>Signed in as {{ user.get_username }}.</p>\n")


@login_required
def ceiling(request):
    return HttpResponse(ONE_LINE.render({"user": request.user}, request))


urlpatterns = [path("bench/ceiling/", ceiling), *goalpost_urlpatterns]
