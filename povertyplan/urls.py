from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from core import views as core_views

admin.site.site_header = _("Quản trị hệ thống giảm nghèo")
admin.site.site_title = _("Quản trị giảm nghèo")
admin.site.index_title = _("Quản trị dữ liệu")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("core.account_urls")),
    path("jobs/", include("core.urls")),
    path("audit/", core_views.audit_list, name="audit_list"),
    path("units/", include("units.urls")),
    path("households/", include("households.urls")),
    path("census/", include("households.census.urls")),
    path("targets/", include("targets.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
