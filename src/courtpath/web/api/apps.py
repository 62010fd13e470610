from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "courtpath.web.api"
    label = "api"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from courtpath.web.accounts.models import User
        from courtpath.web.api.models import ApiToken
        from courtpath.web.api.services import forget_valid_tokens

        def forget(**_kwargs: object) -> None:
            forget_valid_tokens()

        for model in (User, ApiToken):
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"api-forget-tokens-{model.__name__}-save")
            post_delete.connect(
                forget, sender=model, weak=False, dispatch_uid=f"api-forget-tokens-{model.__name__}-delete"
            )
