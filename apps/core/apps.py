from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from .audit import connect_admin_log
        from .search import register_sqlite_fold

        connect_admin_log()
        connection_created.connect(register_sqlite_fold, dispatch_uid="registry_fold")
