from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "iroscope.web.imports"
    label = "imports"
    verbose_name = "Imports"
