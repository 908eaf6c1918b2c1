from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person with an account: volunteer, reviewer or admin. The public sees only
    `display_name`, never the email address."""

    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="The name shown publicly next to this person's changes.",
    )

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.username
