from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_report, name="open"),
    path("lock/", views.lock, name="lock"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<int:pk>/", views.dashboard, name="dashboard_unit"),
    path("population/", views.population_open, name="population_open"),
    path("population/<int:unit>/", views.population, name="population"),
    path("<slug:code>/<int:unit>/", views.preview, name="preview"),
    path("<slug:code>/<int:unit>/export/", views.export, name="export"),
    re_path(r"^(?P<code>[a-z0-9-]+)/(?P<unit>[0-9]+)/(?P<fmt>pdf|xlsx)/$", views.download, name="download"),
]
