"""Every write goes through here, in a transaction, and becomes one version in the record's
history: volunteers' edits as pending changes, reviewers' edits, approvals, rejections,
reverts, withdrawals, restorations and merges from the site, imports (`record_import`, after
`publication_refusal` checked each record), saves in the Django admin, and bulk loads of
generated data (BulkLoad, which checks the rules over the database)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.accounts.roles import is_reviewer
from apps.core import page_cache
from apps.core.audit import audit
from apps.core.history import PINPOINTS, latest_version_id, pinpoint, save_version
from apps.core.models import Visibility
from apps.core.partial_dates import PartialDateAccessor
from apps.core.slugs import save_with_free_slug

from . import bulk
from .fields import pinpoint_text
from .models import ChangeAction, ChangeRequest, ChangeStatus, SearchEntry
from .rebase import changed_fields, rebase
from .registry import evidence_model
from .rules import describe, record_problems
from .search import indexed_kinds, indexing_deferred, reindex


class EditConflict(Exception):
    """The record changed after the form was opened; the newer version is `current`."""

    def __init__(self, *, base_version, current_version):
        super().__init__(f"version {base_version} is no longer the latest ({current_version})")
        self.base_version = base_version
        self.current_version = current_version


def record_save(*, record, user, summary, links=None, aliases=None, approved_by=None):
    """Save `record` with its links and aliases as ONE new version; returns its id.
    Refused (ValidationError) when the record would be published against the publication
    rules (see publication_refusal): every writer that saves one record comes here."""
    creating = record._state.adding
    # A new record's slug is not the person's input: when it is taken, the save picks the
    # next free one (save_with_free_slug), so it is not a validation error.
    record.full_clean(exclude=["slug"] if creating and hasattr(record, "slug") else None)
    refusal = publication_refusal(record, links)
    if refusal:
        raise ValidationError(refusal)
    record.skip_history_when_saving = True
    try:
        save_with_free_slug(record)
        for name, values in (links or {}).items():
            if name != PINPOINTS:
                getattr(record, name).set(values)
        if PINPOINTS in (links or {}):
            _set_pinpoints(record, links[PINPOINTS])
        if aliases is not None:
            _replace_aliases(record, aliases)
    finally:
        del record.skip_history_when_saving
    save_version(record, user=user, summary=summary, approved_by=approved_by, first=creating)
    return latest_version_id(record)


def _set_pinpoints(record, pinpoints):
    """Give each of `record`'s citations the page and quote `pinpoints` has for its source
    ({source id as text: pinpoint}), and none to the others."""
    for citation in record.citations.all():
        wanted = pinpoints.get(str(citation.source_id)) or pinpoint()
        page, quote = wanted.get("page"), wanted.get("quote") or ""
        if (citation.page, citation.quote) == (page, quote):
            continue
        citation.page, citation.quote = page, quote
        citation.clean_fields(exclude=_not_pinpoint_fields(citation))
        citation.save(update_fields=["page", "quote"])


def _not_pinpoint_fields(citation):
    """The fields of a citation other than its page and quote (which the writers validate)."""
    return [field.name for field in citation._meta.fields if field.name not in ("page", "quote")]


def _replace_aliases(record, names):
    record.aliases.exclude(name__in=names).delete()
    existing = set(record.aliases.values_list("name", flat=True))
    for name in names:
        if name not in existing:
            record.aliases.create(name=name)


class NothingToSave(Exception):
    """The form changes nothing: no version, no change request."""


# What a version's content is compared on: not its timestamps, and (for a revert, which
# changes the content only) not its visibility or merge either.
NOT_CONTENT = {"id", "created_at", "updated_at"}
NOT_RESTORED = NOT_CONTENT | {"visibility", "merged_into"}


def _content(model, version, ignore=NOT_CONTENT):
    """What a version (or the record itself, with its links snapshot) says, for comparing."""
    fields = {
        field.attname: getattr(version, field.attname, None)
        for field in model._meta.concrete_fields
        if field.name not in ignore
    }
    return fields, getattr(version, "relations", None) or {}


def _same_versions(record, first_id, second_id, ignore=NOT_CONTENT):
    model = type(record)
    versions = record.history.filter(history_id__in=[first_id, second_id]).in_bulk(
        field_name="history_id"
    )
    if first_id not in versions or second_id not in versions:
        return False
    return _content(model, versions[first_id], ignore) == _content(
        model, versions[second_id], ignore
    )


def stale_since(record, base_version):
    """The id of the newer version that a form based on `base_version` would overwrite, or
    None. Versions that left the content as it was (a withdrawal and restoration, an old
    empty save) do not make a form stale."""
    current = latest_version_id(record)
    if base_version is None or current is None or base_version == current:
        return None
    return None if _same_versions(record, base_version, current) else current


def _lock(record):
    """Hold `record`'s row until the transaction ends, so that concurrent writers of one
    record take turns (a no-op on SQLite, where a write locks the whole database)."""
    list(type(record)._base_manager.select_for_update().filter(pk=record.pk).values("pk"))


def _check_not_stale(record, base_version):
    current = stale_since(record, base_version)
    if current is not None:
        raise EditConflict(base_version=base_version, current_version=current)


def _changes_nothing(form, current):
    """Whether saving `form` would leave `current` (the record as stored) as it is: every
    field as an unchanged form would submit it, no upload, no new source."""
    if form.files or form.new_source_data() is not None:
        return False
    return not changed_fields(type(form), form.data, current)


def _new_source(form, *, user, visibility):
    """The form's "Add a new source", as a Source (an existing one when the URL is known)."""
    data = form.new_source_data()
    if data is None:
        return None
    existing = form.existing_source_for(data["url"])
    if existing is not None:
        return existing
    source = evidence_model()(
        title=data["title"],
        url=data["url"],
        publisher=data["publisher"],
        kind=data["kind"],
        document=data["document"] or "",
        visibility=visibility,
    )
    source.publication = data["publication"]
    record_save(record=source, user=user, summary="Added as a source", approved_by=None)
    return source


def _links_with_new_source(form, new_source):
    links = form.link_values()
    if new_source is not None and new_source not in links["sources"]:
        links["sources"].append(new_source)
        pin = form.new_source_data()["pinpoint"]
        if pin["page"] is not None or pin["quote"]:
            links[PINPOINTS][str(new_source.pk)] = pin
    return links


def _log(*, record, action, user, summary, status, version=None, reviewer=None, **extra):
    now = timezone.now()
    if reviewer is not None:
        # A reviewer's own edit, revert, withdrawal, restoration, merge or import: published
        # with no review of its own.
        # The audit log stays in English whatever language the reviewer reads the site in.
        with translation.override("en"):
            what = str(ChangeAction(action).label).lower()
        audit(f"{what} published", actor=reviewer, target=record)
    return ChangeRequest.objects.create(
        record=record,
        action=action,
        author=user,
        summary=summary,
        status=status,
        version=version,
        reviewer=reviewer,
        reviewed_at=now if status != ChangeStatus.PENDING else None,
        **extra,
    )


@transaction.atomic
def submit_record_form(*, form, user):
    """Save a valid create or edit form. A reviewer's change is published at once; a
    volunteer's waits: a new record is stored unpublished, an edit is kept as form data.
    Returns the ChangeRequest. Raises EditConflict when the form is stale."""
    record = form.instance
    summary = form.cleaned_data["edit_summary"]
    reviewer = is_reviewer(user)
    creating = record.pk is None
    if not creating:
        # Locked until the transaction ends: two people saving from the same version at once
        # are checked one after the other, and the second sees the first's version.
        current = type(record).objects.select_for_update().get(pk=record.pk)
        if _changes_nothing(form, current):
            raise NothingToSave()
        _check_not_stale(current, form.cleaned_data["base_version"])

    if creating or reviewer:
        visibility = Visibility.PUBLISHED if reviewer else Visibility.PENDING
        if creating:
            record.visibility = visibility
        # A reviewer's save publishes what it cites; record_save then refuses it (and the
        # transaction undoes the sources published) if it links to a hidden record.
        if reviewer and form.cites_sources:
            _publish_sources(form.link_values()["sources"], reviewer=user)
        new_source = _new_source(form, user=user, visibility=visibility)
        version = record_save(
            record=record,
            user=user,
            summary=summary,
            links=_links_with_new_source(form, new_source),
            aliases=form.alias_names(),
            approved_by=user if reviewer else None,
        )
        return _log(
            record=record,
            action=ChangeAction.CREATE if creating else ChangeAction.UPDATE,
            user=user,
            summary=summary,
            status=ChangeStatus.APPROVED if reviewer else ChangeStatus.PENDING,
            version=version,
            reviewer=user if reviewer else None,
        )

    # A volunteer's edit of a published record: nothing changes until it is approved.
    payload = _payload(form, user=user)
    return _log(
        record=record,
        action=ChangeAction.UPDATE,
        user=user,
        summary=summary,
        status=ChangeStatus.PENDING,
        base_version=form.cleaned_data["base_version"],
        payload=payload,
    )


def _payload(form, *, user):
    """The submitted form data, replayable later. An uploaded document cannot wait in JSON,
    so its source is stored now, unpublished, and the payload cites it by number. Any other
    upload (a published source's document) would be lost on the way, so it is refused."""
    if any(name in form.fields and name != "new_source_document" for name in form.files):
        raise ValidationError(
            gettext(
                "A new file for a published record cannot wait for review: ask a reviewer to "
                "upload it, or add the document as a new source."
            )
        )
    payload = {key: form.data.getlist(key) for key in form.data if key != "csrfmiddlewaretoken"}
    if form.cleaned_data.get("new_source_document"):
        source = _new_source(form, user=user, visibility=Visibility.PENDING)
        lines = payload.get("sources", [""])[0]
        line = f"#{source.pk} {pinpoint_text(form.new_source_data()['pinpoint'])}".strip()
        payload["sources"] = [f"{lines}\n{line}".strip()]
        for key in ("new_source_url", "new_source_title", "new_source_publisher"):
            payload[key] = [""]
        for key in ("new_source_date", "new_source_page", "new_source_quote"):
            payload[key] = [""]
    return payload


def _publish_sources(sources, *, reviewer):
    for source in sources:
        if source.visibility == Visibility.PENDING:
            source.visibility = Visibility.PUBLISHED
            record_save(
                record=source,
                user=reviewer,
                summary="Published with the record that cites it",
                approved_by=reviewer,
            )


def _unpublished(target):
    # Technologies (the taxonomy) have no visibility: they are always public.
    return getattr(target, "visibility", Visibility.PUBLISHED) != Visibility.PUBLISHED


def _require_published_links(record, links=None):
    """A published record may only point at published records: a deployment of an agency
    still waiting for review waits too, so the public never follows a link to a 404."""
    targets = [
        getattr(record, field.name)
        for field in record._meta.concrete_fields
        if field.is_relation and field.name != "merged_into"
    ]
    for name, values in (links or {}).items():
        if name not in ("sources", PINPOINTS):  # sources are published with the record
            targets += values
    waiting = [target for target in targets if target is not None and _unpublished(target)]
    if waiting:
        names = "; ".join(f"{type(t)._meta.verbose_name} “{t}”" for t in waiting)
        raise ValidationError(
            gettext(
                "This links to records that are not published yet: %(names)s. Approve those first."
            )
            % {"names": names}
        )


def _published(records):
    return [record for record in records if not _unpublished(record)]


def _refuse_if_public_records_depend_on(record):
    """Withdrawing a record that published records link to would leave them pointing at a
    page that is gone (or, for a source, citing nothing the public can see)."""
    Source = evidence_model()
    dependents = []
    for relation in record._meta.related_objects:
        model = relation.related_model
        if relation.hidden or not hasattr(model, "visibility"):
            continue
        linked = getattr(record, relation.get_accessor_name())
        if isinstance(record, Source) and relation.field.name == "sources":
            # A record citing other published sources still has its evidence. Any other
            # link to a source (a request's released documents) names this one: it stays.
            others = Source.objects.published().exclude(pk=record.pk)
            linked = linked.exclude(pk__in=model.objects.filter(sources__in=others).values("pk"))
        dependents += list(linked.filter(visibility=Visibility.PUBLISHED)[:5])
    if dependents:
        names = "; ".join(f"{type(d)._meta.verbose_name} “{d}”" for d in dependents[:5])
        raise ValidationError(
            gettext(
                "Published records depend on this one: %(names)s. Change or withdraw them "
                "first, or merge this record into another."
            )
            % {"names": names}
        )


def _require_a_source(sources):
    if not sources:
        raise ValidationError(gettext("A record needs at least one source before it is published."))


def _cites_sources(model):
    """Whether records of `model` cite sources (a Source, being the evidence, does not)."""
    return any(field.name == "sources" for field in model._meta.many_to_many)


@transaction.atomic
def change_approve(*, change, reviewer, form_class, override_conflict=False):
    """Apply a pending change. For an edit, the stored form data is bound to the form again
    and validated against the record as it is now. Raises EditConflict (unless overridden)
    or ValidationError (with the form's errors) and changes nothing then."""
    # Locked: two reviewers deciding the same change at once cannot both succeed.
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise ValidationError(gettext("This change was already decided."))
    record = type(change.record).objects.select_for_update().get(pk=change.object_id)
    if change.action == ChangeAction.CREATE:
        if record.visibility != Visibility.PENDING:
            raise ValidationError(
                gettext(
                    "This new record is %(visibility)s now, not waiting for review; reject "
                    "the change instead."
                )
                % {"visibility": record.get_visibility_display().lower()}
            )
        if form_class.cites_sources:
            sources = list(record.sources.all())
            _require_a_source(sources)
            _publish_sources(sources, reviewer=reviewer)
        _require_published_links(record, _current_links(record))
        record.visibility = Visibility.PUBLISHED
        version = record_save(
            record=record, user=change.author, summary=change.summary, approved_by=reviewer
        )
    else:
        data = _as_query_dict(change.payload)
        current = latest_version_id(record)
        try:
            _check_not_stale(record, change.base_version)
        except EditConflict:
            if not override_conflict:
                raise
            # Apply only what the volunteer changed on top of the newer version.
            data, _changed = rebase(
                form_class=form_class,
                submitted=data,
                base_version=record.history.get(history_id=change.base_version),
                current_record=record,
                current_version_id=current,
            )
        form = form_class(data=data, instance=record)
        if not form.is_valid():
            raise ValidationError(
                [f"{name}: {message}" for name, errors in form.errors.items() for message in errors]
            )
        links = form.link_values()
        _require_published_links(record, links)
        if form_class.cites_sources:
            _require_a_source(links["sources"])
            _publish_sources(links["sources"], reviewer=reviewer)
        new_source = _new_source(form, user=change.author, visibility=Visibility.PUBLISHED)
        version = record_save(
            record=record,
            user=change.author,
            summary=change.summary,
            links=_links_with_new_source(form, new_source),
            aliases=form.alias_names(),
            approved_by=reviewer,
        )
    change.status = ChangeStatus.APPROVED
    change.reviewer = reviewer
    change.reviewed_at = timezone.now()
    change.version = version
    change.save()
    audit("change approved", actor=reviewer, target=record, change_id=change.pk)
    return change


def _current_links(record):
    names = [name for name in getattr(type(record), "HISTORY_RELATIONS", ()) if name != "aliases"]
    return {name: list(getattr(record, name).all()) for name in names}


def _as_query_dict(payload):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in payload.items():
        data.setlist(key, values)
    return data


def pending_form(change, form_class):
    """The form of a pending edit, bound to its data, for showing the diff."""
    return form_class(data=_as_query_dict(change.payload), instance=change.record)


@transaction.atomic
def change_reject(*, change, reviewer, reason):
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise ValidationError(gettext("This change was already decided."))
    record = change.record
    if change.action == ChangeAction.CREATE and record.visibility == Visibility.PENDING:
        # A rejected new record is withdrawn, not left waiting: it stays in the history.
        record.visibility = Visibility.WITHDRAWN
        record_save(
            record=record, user=reviewer, summary=f"Rejected: {reason}", approved_by=reviewer
        )
    change.status = ChangeStatus.REJECTED
    change.reviewer = reviewer
    change.reviewed_at = timezone.now()
    change.review_reason = reason
    change.save()
    audit("change rejected", actor=reviewer, target=record, change_id=change.pk)
    return change


def _restore_fields(record, version):
    """Copy the version's field values onto the record (not its visibility or timestamps)."""
    # Visibility and merges have their own actions; a revert changes the content only.
    for field in record._meta.concrete_fields:
        if field.name not in NOT_RESTORED and hasattr(version, field.attname):
            setattr(record, field.attname, getattr(version, field.attname))


def _versions_links(record, versions):
    """{history_id: (links, alias names or None)} for `versions` of `record`: each one's
    links as records ({name: [...]}), with one query per kind of link. Links to records
    deleted since then cannot come back; the rest do."""
    wanted = {}
    for version in versions:
        for name, values in (version.relations or {}).items():
            if name not in ("aliases", PINPOINTS):
                wanted.setdefault(name, set()).update(values)
    found = {
        name: getattr(record, name).model.objects.in_bulk(list(pks)) for name, pks in wanted.items()
    }
    result = {}
    for version in versions:
        links, aliases = {}, None
        for name, values in (version.relations or {}).items():
            if name == "aliases":
                aliases = values
            elif name != PINPOINTS:
                links[name] = [found[name][pk] for pk in values if pk in found[name]]
        if "sources" in links:
            # A version without pinpoints had none: restoring it clears today's.
            links[PINPOINTS] = dict((version.relations or {}).get(PINPOINTS, {}))
        result[version.history_id] = (links, aliases)
    return result


def _as_restored(record, versions):
    """{history_id: the record as each version has it (unsaved)}, the records it points to
    fetched with one query per foreign key. None for a version pointing at a record that no
    longer exists."""
    model = type(record)
    # Not `version.instance`, which fetches the fields history leaves out (created_at) from
    # the database, one query per version.
    instances = {
        version.history_id: model(
            **{
                field.attname: getattr(version, field.attname)
                for field in model._meta.concrete_fields
                if hasattr(version, field.attname)
            }
        )
        for version in versions
    }
    for field in record._meta.concrete_fields:
        if not field.is_relation or field.name == "merged_into":
            continue
        pks = {getattr(instance, field.attname) for instance in instances.values()} - {None}
        targets = field.related_model._base_manager.in_bulk(list(pks))
        for history_id, instance in instances.items():
            pk = getattr(instance, field.attname) if instance else None
            if pk is None:
                continue
            if pk in targets:
                field.set_cached_value(instance, targets[pk])
            else:
                instances[history_id] = None
    return instances


def revert_refusals(record, versions, *, current=None):
    """{history_id: why that version cannot be made current again, in words for the
    reviewer, or None}. A version identical to the current one has nothing to restore; a
    published record stays within the publication rules (it links only to published
    records and cites a published source). A constant number of queries for any number of
    versions, for the history page."""
    model = type(record)
    current = current or record.history.order_by("-history_id").first()
    refusals, to_check = {}, []
    for version in versions:
        if current is None or version.history_id == current.history_id:
            refusals[version.history_id] = "This is the current version."
        elif _content(model, version, NOT_RESTORED) == _content(model, current, NOT_RESTORED):
            refusals[version.history_id] = "Same as the current version: nothing to restore."
        else:
            refusals[version.history_id] = None
            if record.visibility == Visibility.PUBLISHED:
                to_check.append(version)
    restored = _as_restored(record, to_check)
    links = _versions_links(record, to_check)
    for version in to_check:
        instance = restored[version.history_id]
        if instance is None:
            refusals[version.history_id] = (
                "Cannot be restored: it links to a record that no longer exists."
            )
            continue
        version_links = links[version.history_id][0]
        try:
            _require_published_links(instance, version_links)
            if "sources" in version_links:
                _require_a_source(_published(version_links["sources"]))
        except ValidationError as exc:
            refusals[version.history_id] = "Cannot be restored: " + " ".join(exc.messages)
    return refusals


def revert_refusal(record, version, *, current=None):
    """Why `version` cannot be made current again, or None (see revert_refusals)."""
    return revert_refusals(record, [version], current=current)[version.history_id]


def version_number(record, version_id):
    """A version's number in its record's history (1, 2, 3…), not its id in the table."""
    return record.history.filter(history_id__lte=version_id).count()


def version_by_number(record, number):
    """The version numbered `number` (1 for the first) in `record`'s history, as pages and
    their links name it, or None when there is no such version."""
    if number is None or number < 1:
        return None
    versions = record.history.order_by("history_id").select_related("history_user")
    return versions[number - 1 : number].first()


def restores_replaced_document(record, version):
    """Whether reverting `record` to `version` brings back an uploaded file other than the
    current one: a replaced (perhaps unredacted) document that becomes downloadable again."""
    return any(
        getattr(version, field.attname) and str(getattr(version, field.attname)) != str(value)
        for field in record._meta.concrete_fields
        if isinstance(field, models.FileField)
        for value in [getattr(record, field.attname) or ""]
    )


@transaction.atomic
def record_revert(*, record, version_id, reviewer, reason, document_confirmed=False):
    """Make an earlier version current again, as a new version whose summary says which
    version and why. Refused (ValidationError) when it would break a publication rule or
    change nothing, or when it brings back a replaced document and the reviewer did not
    confirm (`document_confirmed`) that it will be downloadable again."""
    _lock(record)
    version = record.history.get(history_id=version_id)
    refusal = revert_refusal(record, version)
    if refusal:
        raise ValidationError(refusal)
    if restores_replaced_document(record, version) and not document_confirmed:
        raise ValidationError(
            gettext(
                "This revert brings back a replaced document: confirm that it will be "
                "downloadable again."
            )
        )
    _restore_fields(record, version)
    links, aliases = _versions_links(record, [version])[version.history_id]
    summary = f"Reverted to version {version_number(record, version_id)}: {reason}"
    new_version = record_save(
        record=record,
        user=reviewer,
        summary=summary,
        links=links,
        aliases=aliases,
        approved_by=reviewer,
    )
    return _log(
        record=record,
        action=ChangeAction.REVERT,
        user=reviewer,
        summary=summary,
        status=ChangeStatus.APPROVED,
        version=new_version,
        reviewer=reviewer,
    )


@transaction.atomic
def record_set_visibility(*, record, visibility, reviewer, reason):
    """Withdraw a record from the public site, or restore a withdrawn one. Nothing is
    deleted. A record still waiting for review is published by approving it, not here."""
    _lock(record)
    if visibility == Visibility.PUBLISHED:
        if record.visibility != Visibility.WITHDRAWN:
            raise ValidationError(gettext("Only a withdrawn record can be restored."))
        if getattr(record, "merged_into_id", None):
            raise ValidationError(
                gettext("This record was merged into %(survivor)s; edit that record instead.")
                % {"survivor": record.merged_into}
            )
        # record_save below refuses it when it would break a publication rule.
    else:
        _refuse_if_public_records_depend_on(record)
    action = ChangeAction.RESTORE if visibility == Visibility.PUBLISHED else ChangeAction.WITHDRAW
    record.visibility = visibility
    with translation.override("en"):  # the history's summaries are written in English
        summary = f"{action.label}: {reason}"
    version = record_save(record=record, user=reviewer, summary=summary, approved_by=reviewer)
    return _log(
        record=record,
        action=action,
        user=reviewer,
        summary=summary,
        status=ChangeStatus.APPROVED,
        version=version,
        reviewer=reviewer,
    )


def publication_refusal(record, links=None):
    """Why `record` breaks a publication rule if it is published (it links to a record that
    is not published, or cites no published source), in words; else None. `links`
    ({relation name: records}) are the links it is about to have, for a form not saved yet;
    a relation they leave out is read from the record as stored. The check every writer that
    does not go through the site's forms makes (imports, the admin)."""
    if getattr(record, "visibility", Visibility.PUBLISHED) != Visibility.PUBLISHED:
        return None
    current = _current_links(record) if record.pk else {}
    links = {**current, **(links or {})}
    try:
        _require_published_links(record, links)
        if _cites_sources(type(record)):
            _require_a_source(_published(links.get("sources", [])))
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


@transaction.atomic
def record_admin_save(*, record, user, created, summary):
    """A save in the Django admin, recorded like a reviewer's edit on the site: ONE version
    (the record's fields and links as the admin saved them, written without history until
    now) with the admin as author and approving reviewer, and an approved change. The
    admin's form checked the publication rules before anything was saved; checked again
    here, so that no admin page can publish what the rules forbid."""
    refusal = publication_refusal(record)
    if refusal:
        raise ValidationError(refusal)
    save_version(record, user=user, summary=summary, approved_by=user, first=created)
    return _log(
        record=record,
        action=ChangeAction.CREATE if created else ChangeAction.UPDATE,
        user=user,
        summary=summary,
        status=ChangeStatus.APPROVED,
        version=latest_version_id(record),
        reviewer=user,
    )


@transaction.atomic
def record_import(*, records, user, summary, publishes):
    """Record an accepted import: ONE version for each record it created or changed
    (`records`: [(instance, created)], written without history so far), and its
    ChangeRequests: approved "Import" entries for a reviewer's import (`publishes`); pending
    "New record" entries for a volunteer's new records, except sources, published with the
    record that cites them (as on the site); none for a load by no one (`user` None, the
    demo data). Returns the number of changes pending."""
    for instance, created in records:
        del instance.skip_history_when_saving
        save_version(
            instance,
            user=user,
            summary=summary,
            approved_by=user if publishes else None,
            first=created,
            update_fields=["updated_at"],
        )
    if user is None:
        return 0  # a load by no one (the demo data, see RecordBatch): no change to log
    by_model = {}
    for instance, _created in records:
        by_model.setdefault(type(instance), []).append(instance.pk)
    versions = {}
    for model, pks in by_model.items():
        latest = model.history.filter(id__in=pks).values("id").annotate(last=Max("history_id"))
        versions.update({(model, row["id"]): row["last"] for row in latest})
    content_types = ContentType.objects.get_for_models(*by_model)

    now = timezone.now()
    changes = []
    for instance, created in records:
        model = type(instance)
        common = {
            "content_type": content_types[model],
            "object_id": instance.pk,
            "author": user,
            "summary": summary,
            "version": versions.get((model, instance.pk)),
        }
        if publishes:
            changes.append(
                ChangeRequest(
                    **common,
                    action=ChangeAction.IMPORT,
                    status=ChangeStatus.APPROVED,
                    reviewer=user,
                    reviewed_at=now,
                )
            )
        elif created and model is not evidence_model():
            changes.append(
                ChangeRequest(**common, action=ChangeAction.CREATE, status=ChangeStatus.PENDING)
            )
    ChangeRequest.objects.bulk_create(changes, batch_size=500)
    if publishes:
        audit("import published", actor=user, target=None, records=len(records))
    return 0 if publishes else len(changes)


class RecordBatch:
    """A write of many records at once: an import, the demo data. Inside the caller's
    transaction, records are created and changed without versions as the batch goes (an
    import matches rows against records it created a moment before); `finish()` then checks
    every record it touched against the publication rules and writes ONE version for each,
    with its change log (record_import). `refusals()` lists what breaks a rule, for a
    report; `finish()` refuses to record a batch with any.

    `publishes`: the batch is a reviewer's (its new records are published) or a volunteer's
    (they wait for review, as pending records). `user` None: a load by no one (the demo
    data), which publishes versions with no author and logs no change, there being no one
    whose change it is."""

    def __init__(self, *, user, summary, publishes):
        if user is None and not publishes:
            raise ValueError("A batch waiting for review needs the user whose change it is.")
        self.user = user
        self.summary = summary
        self.publishes = publishes
        self.touched = {}  # (model, pk) -> (instance, created): what gets a version

    @property
    def visibility(self):
        return Visibility.PUBLISHED if self.publishes else Visibility.PENDING

    def create(self, model, *, validate=None, **values):
        """A new record of `model` from `values`, saved once `validate(instance)` (by
        default full_clean(); an importer maps the errors to its columns) accepted it. A
        partial date is given by the model's accessor (`start=PartialDate(...)`) and set
        through it, the one setter of its two columns."""
        dates = {
            name: values.pop(name)
            for name in list(values)
            if isinstance(getattr(model, name, None), PartialDateAccessor)
        }
        instance = model(**values)
        for name, partial in dates.items():
            setattr(instance, name, partial)
        if hasattr(instance, "visibility") and "visibility" not in values:
            instance.visibility = self.visibility
        if validate is not None:
            validate(instance)
        else:
            instance.full_clean(exclude=["slug"] if hasattr(instance, "slug") else None)
        instance.skip_history_when_saving = True
        save_with_free_slug(instance)
        self.touched[(model, instance.pk)] = (instance, True)
        return instance

    def change(self, instance):
        """Mark `instance`, an existing record, as changed by the batch: its saves and link
        changes from now on make no version until finish() makes one."""
        instance.skip_history_when_saving = True
        self.touched.setdefault((type(instance), instance.pk), (instance, False))
        return instance

    def link(self, instance, name, targets):
        """Add `targets` to the relation `name` of `instance` (a record of the batch)."""
        self.change(instance)
        getattr(instance, name).add(*targets)

    def pinpoint(self, instance, source, pin):
        """Say where in `source` (which `instance`, a record of the batch, cites) the fact is:
        `pin` is its page and quote."""
        self.change(instance)
        citation = instance.citations.get(source=source)
        citation.page, citation.quote = pin["page"], pin["quote"]
        citation.clean_fields(exclude=_not_pinpoint_fields(citation))
        citation.save(update_fields=["page", "quote"])

    def add_aliases(self, instance, names):
        """Give `instance` (a record of the batch) the alias `names` it does not have yet."""
        self.change(instance)
        existing = set(instance.aliases.values_list("name", flat=True))
        _replace_aliases(instance, sorted(existing | set(names)))

    def created(self, instance):
        entry = self.touched.get((type(instance), instance.pk))
        return entry is not None and entry[1]

    def refusals(self):
        """[(instance, why it breaks a publication rule)] for every record of the batch."""
        refusals = []
        for instance, _created in self.touched.values():
            refusal = publication_refusal(instance)
            if refusal:
                refusals.append((instance, refusal))
        return refusals

    def finish(self):
        """Record the batch; returns the number of changes left pending for review."""
        refusals = self.refusals()
        if refusals:
            raise ValidationError(
                [f"{type(i)._meta.verbose_name} {i}: {why}" for i, why in refusals[:20]]
            )
        # One version per record, and the search index written once for all of them.
        with indexing_deferred():
            return record_import(
                records=list(self.touched.values()),
                user=self.user,
                summary=self.summary,
                publishes=self.publishes,
            )


class BulkLoad:
    """A load of many new, published records by no one, too many to save one by one:
    generated data (`generate_data`: a million deployments for the benchmark). Inside the
    caller's transaction, rows are inserted in bulk (create(), link()) as they come, with no
    version and no search entry yet; finish() then writes ONE version per record in bulk
    (its fields, its links, no author, `summary` as its reason), checks the publication rules
    over the whole database (rules.record_problems, what check_records checks) and rebuilds
    the search index of the kinds loaded. A refusal raises ValidationError, and the caller's
    transaction leaves nothing of the load.

    The caller gives complete, valid records as rows, dicts of {attname: value} (a generator
    that knows the models' rules): unlike RecordBatch, no record is full_clean()ed, which
    would cost a query per unique field per row, and no model instance is made, which cost
    more than the inserts at a million rows. How the rows are written: records/bulk.py."""

    def __init__(self, *, summary):
        self.summary = summary
        self.now = timezone.now()  # the loaded rows' created_at and updated_at
        self.loaded = {}  # model -> [pk], in insertion order
        self.linked = set()  # the `through` models of the links inserted

    def create(self, model, rows):
        """Insert `rows` of `model` (a field left out gets its default), published; returns
        their primary keys, in order."""
        if any(field.name == "visibility" for field in model._meta.concrete_fields):
            rows = [{**row, "visibility": Visibility.PUBLISHED} for row in rows]
        pks = bulk.insert_rows(model, rows, now=self.now)
        self.loaded.setdefault(model, []).extend(pks)
        return pks

    def link(self, through, rows):
        """Insert rows of a relation's `through` model (citations, a contract's deployments)
        between records of the load."""
        bulk.insert_rows(through, rows, now=self.now, keys=False)
        self.linked.add(through)

    def finish(self, *, progress=None):
        """Version, check and index the load; `progress(step, count)` is told as it goes.
        Returns {model: records loaded}."""
        histories = []
        for model, pks in self.loaded.items():
            if hasattr(model, "history"):
                bulk.write_first_versions(model, pks, self.summary, now=self.now)
                histories.append(model.history.model)
                if progress:
                    progress(f"versions of {model._meta.verbose_name_plural}", len(pks))
        bulk.gather_statistics([*self.loaded, *self.linked, *histories])
        problems = record_problems()
        if problems:
            raise ValidationError(
                [f"{describe(model, pk)}: {problem}" for model, pk, problem in problems[:20]]
            )
        if progress:
            progress("publication rules checked", len(self.loaded))
        kinds = [kind for kind in indexed_kinds() if kind.model in self.loaded]

        def indexed(kind, count):
            if progress:
                progress(f"search entries of {kind.key}", count)

        reindex(kinds, progress=indexed)
        bulk.gather_statistics([SearchEntry])  # for the first searches
        # Inserted in bulk, the rows sent no signal: the cached pages are renewed on commit.
        page_cache.changed()
        return {model: len(pks) for model, pks in self.loaded.items()}
