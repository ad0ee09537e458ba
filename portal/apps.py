from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="portal.stamp_session")
