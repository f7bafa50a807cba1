"""Forms of the public pages: the workstation list's filter, the brand's search, a resident's
message for a workstation, the tracking code and the rating.

Spam is kept out of the message form without any outside service, by three checks:

* a honeypot: a field hidden from people that must stay empty;
* a question a person answers on a phone ("What is 3 plus 5?"), signed with ``django.core.signing``
  and timestamped, so that it cannot be forged, is refused after ``CHALLENGE_MAX_AGE`` and is
  accepted only once;
* a rate limit per client address (``limits``), kept in the cache:
  ``PUBLIC_MESSAGES_PER_HOUR`` messages per address and hour.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core import signing
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.models import PublicMessage
from workstations import versions
from workstations.models import Area, Committee, Sector, Workstation, WorkstationQuerySet
from workstations.search import MIN_QUERY
from workstations.tenancy import subtree_ids as committee_ids

from .limits import message_rate_limit, wrong_code_rate_limit


class _NameIterator(forms.models.ModelChoiceIterator):
    """The choices as (id, name) read by one plain query, no model object per choice."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    """A choice among many named rows (a province's 300 counties), labelled by their names."""

    iterator = _NameIterator


class AreaChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, committee: Committee, **kwargs):
        self.committee = committee
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Area) -> str:
        # On a city or province page, towns of several counties share the list.
        if obj.committee_id != self.committee.pk:
            return f"{obj.committee.name} · {obj.name}"
        return obj.name


def _written(choices: list[tuple[str, str]], current: str) -> str:
    """The <option>s of a select, ``current`` chosen."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if value == current else "", label)
            for value, label in choices
        ),
    )


class WorkstationFilterForm(forms.Form):
    """Filter a brand's published workstations by town, sector and kind (a GET form).

    Only towns and sectors that have a published workstation are offered. A city's or a
    province's page offers its counties instead of their towns, and the sectors by name (经济界
    across every county): a province's thousands of towns would make a list nobody can use
    and a page of hundreds of kilobytes.
    """

    town = AreaChoiceField(
        label=_("Town or subdistrict"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All towns"),
        committee=None,
    )
    county = NameChoiceField(
        label=_("County or district"),
        queryset=Committee.objects.none(),
        required=False,
        empty_label=_("All counties"),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("All sectors"),
    )
    sector_name = forms.ChoiceField(label=_("Sector"), choices=(), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Workstation.Kind.choices],
        required=False,
    )

    # The options are kept under the committee's version (see ``options``).
    OPTIONS_SECONDS = 24 * 60 * 60

    def __init__(self, *args, committee: Committee, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.several_counties = committee.level != Committee.Level.COUNTY
        if self.several_counties:
            del self.fields["town"], self.fields["sector"]
            published = Workstation.objects.published()
            self.fields["county"].queryset = (
                Committee.objects.filter(pk__in=committee_ids(committee))
                .filter(level=Committee.Level.COUNTY)
                .filter(Exists(published.filter(committee=OuterRef("pk"))))
                .order_by("name")
            )
            self.fields["sector_name"].choices = self._sector_names
            return
        del self.fields["county"], self.fields["sector_name"]
        self.fields["town"].committee = committee
        self.fields["town"].queryset = (
            Area.objects.for_committee(committee)
            .filter(parent__isnull=True)
            .filter(
                Exists(
                    Workstation.objects.published().filter(
                        Q(area=OuterRef("pk")) | Q(area__parent=OuterRef("pk"))
                    )
                )
            )
            .select_related("committee")
            .order_by("committee__name", "order", "name")
        )
        self.fields["sector"].queryset = (
            Sector.objects.for_committee(committee)
            .filter(Exists(Workstation.objects.published().filter(sector=OuterRef("pk"))))
            .order_by("committee__name", "order", "name")
        )

    def _sector_names(self) -> list[tuple[str, str]]:
        """A city's or a province's sectors, by name (a callable: read only when listed)."""
        names = (
            Sector.objects.for_committee(self.committee)
            .filter(Exists(Workstation.objects.published().filter(sector=OuterRef("pk"))))
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )
        return [("", _("All sectors"))] + [(name, name) for name in names]

    def options(self) -> dict[str, tuple[list[tuple[str, str]], str]]:
        """Each select's options (value, label), and the options written with nothing chosen
        yet, read once per committee version and language: the finder is on every brand page,
        and a province's lists its 300 counties and the sector names of all of them (two
        queries of a few milliseconds, and 10 of writing). Every change to what they list (a
        workstation published, a town or a sector renamed) bumps the version, as for the cached
        pages."""
        pk = self.committee.pk
        version = versions.versions([pk])[pk]
        key = f"finder-options:{pk}:{version}:{translation.get_language()}"
        found = cache.get(key)
        if found is None:
            found = {}
            for name, field in self.fields.items():
                # iter: a ModelChoiceField's choices would otherwise be counted and then read.
                choices = [(str(value), str(label)) for value, label in iter(field.choices)]
                found[name] = (choices, str(_written(choices, "")))
            cache.set(key, found, self.OPTIONS_SECONDS)
        return found

    def selects(self) -> list[tuple[forms.BoundField, str]]:
        """Each field with its options, written here: the widget's templates render a template
        per option, and a loop in the page's template costs nearly as much (a province's page
        lists 300 counties: 25 ms of its 80)."""
        options = self.options()
        selects = []
        for field in self:
            current = str(field.value() or "")
            choices, unchosen = options[field.name]
            written = mark_safe(unchosen) if current == "" else _written(choices, current)
            selects.append((field, written))
        return selects

    def filter(self, queryset: WorkstationQuerySet) -> WorkstationQuerySet:
        """Apply the valid choices; an invalid form filters nothing (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("town"):
            queryset = queryset.filter(Q(area=data["town"]) | Q(area__parent=data["town"]))
        if data.get("county"):
            queryset = queryset.filter(committee=data["county"])
        if data.get("sector"):
            queryset = queryset.filter(sector=data["sector"])
        if data.get("sector_name"):
            queryset = queryset.filter(sector__name=data["sector_name"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        min_length=MIN_QUERY,
        max_length=100,
        required=False,
        strip=True,
        error_messages={"min_length": _("Type at least two characters to search.")},
    )
    type = forms.ChoiceField(
        choices=[
            ("workstations", _("Workstations")),
            ("activities", _("Activities")),
            ("outcomes", _("Outcomes")),
        ],
        required=False,
    )


# --- Residents' messages ----------------------------------------------------------------------

CHALLENGE_SALT = "consultations.message-challenge"
CHALLENGE_MAX_AGE = 2 * 60 * 60
TRACKING_CODE_RE = re.compile(r"^[A-Z0-9]{10}$")
MOBILE_RE = re.compile(r"^1\d{10}$")


def new_challenge() -> str:
    """A signed, timestamped question: two numbers from 1 to 9 to add, and a nonce."""
    return signing.dumps(
        {"a": secrets.randbelow(9) + 1, "b": secrets.randbelow(9) + 1, "n": secrets.token_hex(8)},
        salt=CHALLENGE_SALT,
    )


def read_challenge(token: str, *, max_age: int | None = CHALLENGE_MAX_AGE) -> dict | None:
    try:
        data = signing.loads(token, salt=CHALLENGE_SALT, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return data if isinstance(data, dict) and {"a", "b", "n"} <= data.keys() else None


class PublicMessageForm(forms.ModelForm):
    """A resident's message for a workstation. ``clean`` refuses spam; the view saves through
    ``consultations.services.message_create``."""

    # The honeypot: hidden from people by the stylesheet and from screen readers; a bot that
    # fills in every field gives itself away.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    challenge = forms.CharField(widget=forms.HiddenInput)
    answer = forms.IntegerField(
        label=_("Your answer"),
        min_value=0,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", "size": 4}
        ),
        error_messages={"invalid": _("Answer with a number, in digits.")},
    )

    class Meta:
        model = PublicMessage
        fields = ["name", "mobile", "category", "text", "reply_may_be_published"]
        labels = {
            "name": _("Your name (optional)"),
            "mobile": _("Mobile number"),
            "category": _("What is it about?"),
            "text": _("Your message"),
            "reply_may_be_published": _(
                "The reply may be published on the workstation's page, with my message but "
                "without my name or number"
            ),
        }
        help_texts = {
            "mobile": _("So that the workstation can call you back. It is never shown."),
            "text": _("Up to 2,000 characters."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "mobile": forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "maxlength": 20}
            ),
            "text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, client: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["category"].choices = [
            ("", _("Choose…")),
            *PublicMessage.Category.choices,
        ]
        if not self.is_bound:
            self.initial["challenge"] = new_challenge()

    @property
    def challenge_question(self) -> str:
        """The question of the current token; the template shows it as the answer's label."""
        token = (self.data.get("challenge") if self.is_bound else None) or self.initial.get(
            "challenge", ""
        )
        data = read_challenge(token, max_age=None)
        if data is None:
            return ""
        return gettext("What is %(a)s plus %(b)s?") % {"a": data["a"], "b": data["b"]}

    def clean_mobile(self) -> str:
        mobile = re.sub(r"[\s\-]", "", self.cleaned_data["mobile"])
        if not MOBILE_RE.match(mobile):
            raise forms.ValidationError(
                _("Enter an 11-digit mainland mobile number starting with 1.")
            )
        return mobile

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("homepage"):
            # Said as a non-field error: the honeypot itself is hidden.
            raise forms.ValidationError(
                _("Your message could not be sent. Please try again."), code="honeypot"
            )
        token = cleaned.get("challenge") or ""
        data = read_challenge(token)
        if data is None:
            self.add_error("answer", _("The question has expired. Please answer the new question."))
        elif cache.get(self._used_key(data)):
            self.add_error(
                "answer", _("This form was already sent. Please answer the new question.")
            )
        elif "answer" in cleaned and cleaned["answer"] != data["a"] + data["b"]:
            self.add_error("answer", _("That answer is not right. Please answer the new question."))
        if self.errors or data is None:
            return cleaned
        # Last, and only for an otherwise good form: claim the question (once, even when the
        # form is sent twice at the same moment) and one of the address's messages this hour.
        if not cache.add(self._used_key(data), 1, CHALLENGE_MAX_AGE):
            self.add_error(
                "answer", _("This form was already sent. Please answer the new question.")
            )
        elif not message_rate_limit().take(self.client):
            raise forms.ValidationError(
                _(
                    "Too many messages were sent from your network in the last hour. "
                    "Please try again later, or call the workstation."
                ),
                code="rate_limited",
            )
        return cleaned

    @staticmethod
    def _used_key(data: dict) -> str:
        return f"challenge-used:{data['n']}"

    def renew_challenge(self) -> None:
        """After an error: ask a new question (the old answer is not shown again)."""
        self.data = self.data.copy()
        self.data["challenge"] = new_challenge()
        self.data["answer"] = ""


def normalise_code(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


class TrackForm(forms.Form):
    """Look a message up by its tracking code (a GET form)."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, client: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.client = client
        self.message: PublicMessage | None = None

    def clean_code(self) -> str:
        if wrong_code_rate_limit.reached(self.client):
            raise forms.ValidationError(
                _("Too many wrong codes were tried from your network. Please try again later.")
            )
        code = normalise_code(self.cleaned_data["code"])
        message = None
        if TRACKING_CODE_RE.match(code):
            message = (
                PublicMessage.objects.visible()
                .select_related("workstation__committee")
                .filter(tracking_code=code)
                .first()
            )
        if message is None:
            wrong_code_rate_limit.hit(self.client)
            raise forms.ValidationError(
                _("No message has this tracking code. Check the code and try again.")
            )
        self.message = message
        return code


class RatingForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=30)
    rating = forms.TypedChoiceField(
        label=_("How well was your message handled?"),
        choices=[
            (5, _("5 – very well")),
            (4, _("4 – well")),
            (3, _("3 – fair")),
            (2, _("2 – poorly")),
            (1, _("1 – very poorly")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
