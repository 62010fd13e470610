from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "courtpath.web.cases"
    label = "cases"

    def ready(self) -> None:
        from courtpath.web.catalogs import compile_catalogs

        compile_catalogs()  # a fresh checkout has only the .po files
