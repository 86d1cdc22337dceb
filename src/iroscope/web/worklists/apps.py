from django.apps import AppConfig


class WorklistsConfig(AppConfig):
    name = "iroscope.web.worklists"
    label = "worklists"
    verbose_name = "Operational lists"
