from django.apps import AppConfig
from django.db.models.signals import post_migrate


def install_data_version(sender, using="default", **kwargs):
    from .models import install

    install(using)


class TipsMapConfig(AppConfig):
    name = "tips_map"
    verbose_name = "TIPs map"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment's checks)

        # Sent once every app's migrations have run (the watched tables exist), and after a flush.
        post_migrate.connect(
            install_data_version, sender=self, dispatch_uid="tips_map.data_version"
        )
