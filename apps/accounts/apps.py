from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .two_factor import note_devices_at_sign_in

        user_logged_in.connect(note_devices_at_sign_in, dispatch_uid="accounts.two_factor")
