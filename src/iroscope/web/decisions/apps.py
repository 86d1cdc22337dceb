from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "iroscope.web.decisions"
    label = "decisions"
    verbose_name = "Decisions of reviews"
