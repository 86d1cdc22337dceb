from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "iroscope.web.reports"
    label = "reports"
    verbose_name = "Annual report builder"
