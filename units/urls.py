from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/villages/new/", views.village_create, name="village_create"),
    path("split/", views.split_list, name="split_list"),
    path("split/<int:pk>/", views.split_detail, name="split_detail"),
]
