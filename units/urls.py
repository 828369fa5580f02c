from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/villages/new/", views.village_create, name="village_create"),
]
