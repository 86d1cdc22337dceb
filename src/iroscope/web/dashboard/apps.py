from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "iroscope.web.dashboard"
    label = "dashboard"
    verbose_name = "Service dashboard"
