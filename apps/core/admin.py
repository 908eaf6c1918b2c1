from simple_history.admin import SimpleHistoryAdmin


class RegistryAdmin(SimpleHistoryAdmin):
    """Admin for registry records: every save is a version (with the admin as its author,
    through simple-history's request middleware), the history is browsable, and nothing is
    deleted — withdraw a record from the site instead, so that it can be restored."""

    def has_delete_permission(self, request, obj=None):
        return False
