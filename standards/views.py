from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import published_standards


def standard_list(request: HttpRequest) -> HttpResponse:
    return render(request, "standards/list.html", {"standards": published_standards()})
