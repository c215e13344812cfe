"""Builders for every model: the tests make their own data with these.

Every builder adds its object to ``db.session`` and flushes; none commits (a test commits
when the code under test must see the data across a request that may roll back, and the
search index follows the directory at commit). Defaults are plausible and German; names,
e-mail addresses and slugs are unique within the test run.

Reference data (categories, districts, attributes, synonyms: ``seed.load_reference``) is in
every test database; ``known_category("baeckereien")`` and friends fetch it, and builders
take a slug wherever they take a category, a district or an attribute.

People: ``user``, ``owner``, ``moderator``, ``admin``, ``shopper`` make confirmed accounts
with the password ``PASSWORD`` (or the one given); log in with
``tests.conftest.login_as(app, user)``.

Places: ``business`` (plain, Monday–Saturday 9–18 unless told otherwise), and two complete
entries for tests that need every section: ``bakery`` (published) and ``beauty_salon``
(a draft). A voucher is issued by the voucher service (its code); everything else is
built through the ORM.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from hallobot.accounts.service import hash_password
from hallobot.directory.slugs import make_slug
from hallobot.extensions import db
from hallobot.geo.service import normalise_address
from hallobot.models import (
    Attribute,
    AuditEvent,
    Business,
    Category,
    Claim,
    CurrentOffer,
    DeliveryOption,
    District,
    GeocodeResult,
    Hotspot,
    Invitation,
    MediaFile,
    NewsPost,
    OpeningHours,
    Photo,
    Redemption,
    Report,
    Revision,
    Service,
    SpecialDay,
    SynonymGroup,
    User,
    VoucherOffer,
    VoucherOrder,
)
from hallobot.models_base import utcnow
from hallobot.vouchers import service as vouchers
from hallobot.vouchers.orders import new_reference

PASSWORD = "ein-sicheres-passwort"
IBAN = "DE89370400440532013000"  # a valid test IBAN (checksum correct)

_numbers = itertools.count(1)  # one sequence for the whole run: slugs and addresses stay unique

# Monday to Saturday 09:00–18:00: the default week of a built business
WORKING_WEEK = {day: [("09:00", "18:00")] for day in range(6)}


def _time(value) -> time | None:
    if value is None or isinstance(value, time):
        return value
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _add(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def _flushed(obj):
    db.session.flush()
    return obj


class Factories:
    """Builders with sensible defaults; objects are flushed, not committed."""

    def _next(self) -> int:
        return next(_numbers)

    # --- reference data ---

    def known_category(self, slug: str):
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        assert category is not None, f"no category {slug!r} in the reference data"
        return category

    def known_district(self, slug: str):
        district = db.session.scalar(select(District).where(District.slug == slug))
        assert district is not None, f"no district {slug!r} in the reference data"
        return district

    def known_attribute(self, slug: str):
        attribute = db.session.scalar(select(Attribute).where(Attribute.slug == slug))
        assert attribute is not None, f"no attribute {slug!r} in the reference data"
        return attribute

    def category(self, name=None, parent=None, *, slug=None, name_en=None, icon="tag", position=0):
        name = name or f"Testkategorie {self._next()}"
        if isinstance(parent, str):
            parent = self.known_category(parent)
        return _add(
            Category(
                slug=slug or make_slug(name),
                name=name,
                name_en=name if name_en is None else name_en,
                icon=icon,
                position=position,
                parent=parent,
            )
        )

    def district(
        self, name=None, *, slug=None, borough="Mitte", lat=51.52, lon=6.92, postcodes=None
    ):
        name = name or f"Testviertel {self._next()}"
        return _add(
            District(
                slug=slug or make_slug(name),
                name=name,
                borough=borough,
                lat=lat,
                lon=lon,
                postcodes=list(postcodes or ["46236"]),
            )
        )

    def attribute(self, name=None, *, slug=None, name_en="", icon="check", position=99):
        name = name or f"Testmerkmal {self._next()}"
        return _add(
            Attribute(
                slug=slug or make_slug(name)[:40],
                name=name,
                name_en=name_en,
                icon=icon,
                position=position,
            )
        )

    def synonym_group(self, *terms: str):
        terms = terms or (f"Testwort{self._next()}", f"Probewort{self._next()}")
        return _add(SynonymGroup(terms=", ".join(terms)))

    def hotspot(self, name=None, *, lat=51.5236, lon=6.9292, kind="wifi4eu", note=""):
        name = name or f"WLAN-Hotspot {self._next()}"
        return _add(Hotspot(kind=kind, name=name, lat=lat, lon=lon, note=note))

    # --- people ---

    def user(
        self,
        email=None,
        password=PASSWORD,
        role="shopper",
        confirmed=True,
        *,
        display_name="",
        active=True,
    ):
        user = User(
            email=(email or f"person{self._next()}@beispiel.example").lower(),
            password_hash=hash_password(password),
            display_name=display_name,
            role=role,
            confirmed_at=utcnow() if confirmed else None,
            active=active,
        )
        return _add(user)

    def owner(self, *businesses, email=None, password=PASSWORD, display_name="Sabine Krüger"):
        """An owner account, made owner of ``businesses`` (if any)."""
        user = self.user(
            email or f"inhaberin{self._next()}@beispiel.example",
            password,
            "owner",
            display_name=display_name,
        )
        for business in businesses:
            business.owners.append(user)
        db.session.flush()
        return user

    def moderator(self, email=None, password=PASSWORD, display_name="Team Moderation"):
        email = email or f"moderation{self._next()}@beispiel.example"
        return self.user(email, password, "moderator", display_name=display_name)

    def admin(self, email=None, password=PASSWORD, display_name="Administration"):
        email = email or f"verwaltung{self._next()}@beispiel.example"
        return self.user(email, password, "admin", display_name=display_name)

    def shopper(self, email=None, password=PASSWORD, display_name="Petra Kundin"):
        email = email or f"kundin{self._next()}@beispiel.example"
        return self.user(email, password, "shopper", display_name=display_name)

    # --- the directory ---

    def business(
        self,
        name=None,
        category=None,
        district=None,
        status="published",
        services=0,
        hours=True,
        *,
        slug=None,
        owners=(),
        attributes=(),
        special_days=None,
        delivery=None,
        news=(),
        **kwargs,
    ):
        """A business. ``category``/``district``: an object or a reference slug (default: a
        new top-level category, no district). ``services``: a count of plain ones, or
        ``(name, price_cents)`` pairs, or dicts of Service fields. ``hours``: True for
        Monday–Saturday 09:00–18:00, False for none, or ``{weekday: [("09:00", "13:00")]}``.
        ``special_days``/``delivery``/``news``: dicts of the model's fields (defaults with
        ``hours=True``: closed on 24.12.2026, pickup). Other keyword arguments are Business
        fields (``phone``, ``lat`` …)."""
        n = self._next()
        name = name or f"Testbetrieb {n}"
        if isinstance(category, str):
            category = self.known_category(category)
        if isinstance(district, str):
            district = self.known_district(district)
        values = {
            "short_description": "Ein Betrieb zum Testen.",
            "description": "Beschreibung.",
            "street": "Hochstraße",
            "house_number": str(n),
            "postcode": "46236",
            "lat": 51.5245,
            "lon": 6.9275,
            "phone": "02041 123456",
            **kwargs,
        }
        if "published_at" not in values:
            values["published_at"] = utcnow() if status == "published" else None
        business = Business(
            name=name,
            slug=slug or make_slug(f"{name}-{n}"),
            category=category or self.category(),
            district=district,
            status=status,
            **values,
        )
        for attribute in attributes:
            if isinstance(attribute, str):
                attribute = self.known_attribute(attribute)
            business.attributes.append(attribute)
        business.owners.extend(owners)
        db.session.add(business)
        self._services(business, services)
        week = WORKING_WEEK if hours is True else (hours or {})
        for weekday, slots in week.items():
            for opens, closes in slots:
                self._opening_hours(business, weekday, opens, closes)
        if special_days is None:
            special_days = [{"date": date(2026, 12, 24), "closed": True}] if hours is True else []
        for day in special_days:
            day = dict(day)
            self._special_day(business, day.pop("date"), **day)
        if delivery is None:
            delivery = [{"kind": "pickup"}] if hours is True else []
        for option in delivery:
            option = dict(option)
            self._delivery_option(
                business, option.pop("kind"), option.pop("postcodes", None), **option
            )
        for post in news:
            self.news_post(business, **post)
        db.session.flush()
        return business

    def _services(self, business, services) -> None:
        rows = range(services) if isinstance(services, int) else services
        for position, row in enumerate(rows):
            if isinstance(row, int):
                self._service(business, f"Leistung {row}", 100 * row, position=row)
            elif isinstance(row, tuple):
                self._service(business, row[0], row[1], position=position)
            else:
                row = {"position": position, "price_cents": None, **row}
                self._service(business, row.pop("name"), row.pop("price_cents"), **row)

    def bakery(self, *owners, status="published", **overrides):
        """A bakery in the city centre with everything a page can show: two-paragraph
        description, services with prices, hours with a short Saturday and Sunday morning,
        Christmas special days, delivery and pickup, attributes, news."""
        values = {
            "name": "Bäckerei Kruse",
            "category": "baeckereien",
            "district": "stadtmitte",
            "short_description": "Handwerksbäckerei in dritter Generation: Sauerteigbrote, "
            "Brötchen und Blechkuchen, sonntags geöffnet.",
            "description": "Bei Kruse wird noch nachts in der Backstube hinter dem Laden "
            "gebacken – ohne Fertigmischungen und mit eigenem Sauerteig.\n\n"
            "Im kleinen Stehcafé gibt es fair gehandelten Kaffee zum Brötchen.",
            "street": "Hochstraße",
            "house_number": "12a",
            "postcode": "46236",
            "lat": 51.52674,
            "lon": 6.93104,
            "phone": "02041 7902661",
            "email": f"info{self._next()}@baeckerei-kruse.example",
            "website": "https://www.baeckerei-kruse.example",
            "instagram": "https://www.instagram.com/baeckerei.kruse.example/",
            "voucher_info": "Gutscheine ab 10 € im Laden und telefonisch erhältlich.",
            "attributes": ["barrierefrei", "fairtrade", "kartenzahlung"],
            "services": [
                {
                    "name": "Roggenmischbrot 1 kg",
                    "price_cents": 420,
                    "unit": "Stück",
                    "description": "Mit 24 Stunden gereiftem Sauerteig",
                },
                {"name": "Kruse-Krüstchen", "price_cents": 55, "unit": "Stück"},
                {"name": "Bienenstich vom Blech", "price_cents": 260, "unit": "Stück"},
                {"name": "Frühstückskorb auf Bestellung", "price_cents": 3200, "unit": "pauschal"},
            ],
            "hours": {
                **{day: [("06:00", "18:00")] for day in range(5)},
                5: [("06:00", "13:00")],
                6: [("07:30", "11:00")],
            },
            "special_days": [
                {
                    "date": date(2026, 12, 24),
                    "opens": "06:00",
                    "closes": "12:00",
                    "note": "Heiligabend verkürzt",
                },
                {"date": date(2026, 12, 25), "closed": True, "note": "1. Weihnachtstag"},
            ],
            "delivery": [
                {
                    "kind": "delivery",
                    "postcodes": ["46236", "46240"],
                    "fee_cents": 150,
                    "min_order_cents": 1200,
                    "free_from_cents": 2500,
                    "note": "Brötchenlieferdienst Mo–Sa bis 7:30 Uhr",
                },
                {"kind": "pickup", "note": "Vorbestellte Torten und Frühstückskörbe"},
            ],
            "news": [
                {
                    "title": "Christstollen aus eigener Backstube",
                    "body": "Ab sofort Butterstollen, Mandelstollen und Mohnstollen.",
                },
            ],
        } | overrides
        return self.business(status=status, owners=owners, **values)

    def beauty_salon(self, *owners, status="draft", **overrides):
        """A beauty salon in Eigen, by default a draft: three services, hours Tuesday to
        Saturday (longer on Thursday), no special days, no delivery, not open on holidays."""
        values = {
            "name": "Kosmetikstudio Zartgefühl",
            "category": "kosmetik",
            "district": "eigen",
            "short_description": "Kosmetikstudio mit Gesichtsbehandlungen und Naturkosmetik.",
            "description": "Im Zartgefühl wird mit zertifizierter Naturkosmetik gearbeitet. "
            "Das Studio liegt im Erdgeschoss und ist stufenlos erreichbar.",
            "street": "Am Scheidgensbach",
            "house_number": "14",
            "postcode": "46240",
            "lat": 51.54963,
            "lon": 6.92921,
            "phone": "02041 912888",
            "email": f"kontakt{self._next()}@kosmetikstudio-zartgefuehl.example",
            "website": "https://www.kosmetikstudio-zartgefuehl.example",
            "voucher_info": "Gutscheine für alle Behandlungen.",
            "attributes": ["barrierefrei", "kartenzahlung"],
            "services": [
                {"name": "Klassische Gesichtsbehandlung", "price_cents": 6900, "unit": "pauschal"},
                {"name": "Medizinische Fußpflege", "price_cents": 3500, "unit": "pauschal"},
                {"name": "Wimpern färben", "price_cents": 1500, "unit": "pauschal"},
            ],
            "hours": {
                1: [("09:00", "18:00")],
                2: [("09:00", "18:00")],
                3: [("10:00", "20:00")],
                4: [("09:00", "18:00")],
                5: [("09:00", "13:00")],
            },
            "special_days": [],
            "delivery": [],
            "news": [{"title": "Wintertipp: Pflege bei Kälte", "body": "Handpflege gratis."}],
        } | overrides
        return self.business(status=status, owners=owners, **values)

    # The rows of a business: ``business`` builds them in one flush; called on their own,
    # each flushes.

    def opening_hours(self, business, weekday=0, opens="09:00", closes="18:00"):
        return _flushed(self._opening_hours(business, weekday, opens, closes))

    def _opening_hours(self, business, weekday, opens, closes):
        slot = OpeningHours(weekday=weekday, opens=_time(opens), closes=_time(closes))
        business.opening_hours.append(slot)
        return slot

    def special_day(self, business, date=date(2026, 12, 24), **kwargs):
        """A closed day, or one with other hours (``opens``/``closes``); ``note``."""
        return _flushed(self._special_day(business, date, **kwargs))

    def _special_day(self, business, day, closed=None, opens=None, closes=None, note=""):
        closed = (opens is None) if closed is None else closed
        row = SpecialDay(
            date=_date(day), closed=closed, opens=_time(opens), closes=_time(closes), note=note
        )
        business.special_days.append(row)
        return row

    def service(self, business, name=None, price_cents=None, **kwargs):
        """A service or product; ``description``, ``unit``, ``position``."""
        return _flushed(self._service(business, name, price_cents, **kwargs))

    def _service(self, business, name, price_cents, description=None, unit=None, position=None):
        service = Service(
            name=name or f"Leistung {self._next()}",
            price_cents=price_cents,
            description=description,
            unit=unit,
            position=len(business.services) if position is None else position,
        )
        business.services.append(service)
        return service

    def delivery_option(self, business, kind="delivery", postcodes=None, **kwargs):
        """Delivery (an area of ``postcodes`` and/or ``radius_km``), pickup or shipping;
        ``fee_cents``, ``min_order_cents``, ``free_from_cents``, ``note``."""
        return _flushed(self._delivery_option(business, kind, postcodes, **kwargs))

    def _delivery_option(
        self,
        business,
        kind,
        postcodes,
        radius_km=None,
        fee_cents=0,
        min_order_cents=0,
        free_from_cents=None,
        note=None,
    ):
        option = DeliveryOption(
            kind=kind,
            postcodes=list(postcodes or []),
            radius_km=radius_km,
            fee_cents=fee_cents,
            min_order_cents=min_order_cents,
            free_from_cents=free_from_cents,
            note=note,
        )
        business.delivery_options.append(option)
        return option

    def current_offer(self, business, label="Lieferung frei Haus", starts=None, ends=None):
        starts = _date(starts) if starts else date.today()
        offer = CurrentOffer(
            label=label, starts=starts, ends=_date(ends) if ends else starts + timedelta(days=14)
        )
        business.current_offers.append(offer)
        db.session.flush()
        return offer

    def news_post(self, business, title=None, body="", *, published_at=None, valid_until=None):
        post = NewsPost(
            title=title or f"Neuigkeit {self._next()}",
            body=body,
            published_at=published_at or utcnow(),
            valid_until=_date(valid_until) if valid_until else None,
        )
        business.news_posts.append(post)
        db.session.flush()
        return post

    def media_file(self, business, *, key=None, width=1200, height=900, uploaded_by=None):
        """The database row of an uploaded image (no files on disk: upload through the owner's
        form where a test needs the renditions)."""
        return _add(
            MediaFile(
                key=key or secrets.token_hex(16),
                business_id=business.id,
                width=width,
                height=height,
                uploaded_by_id=uploaded_by.id if uploaded_by else None,
            )
        )

    def photo(self, business, *, kind="gallery", alt_text=None, media=None, position=None):
        media = media or self.media_file(business)
        photo = Photo(
            media_key=media.key,
            kind=kind,
            alt_text=alt_text or f"Foto {self._next()}",
            position=len(business.photos) if position is None else position,
        )
        business.photos.append(photo)
        db.session.flush()
        return photo

    # --- geocoding ---

    def geocode_result(
        self,
        query="Hochstraße 12, 46236 Bottrop",
        *,
        found=True,
        lat=51.5245,
        lon=6.9277,
        postcode="46236",
        display_name=None,
        fetched_at=None,
    ):
        return _add(
            GeocodeResult(
                key=normalise_address(query),
                query=query,
                found=found,
                lat=lat if found else None,
                lon=lon if found else None,
                display_name=(display_name or query) if found else None,
                postcode=postcode if found else None,
                fetched_at=fetched_at or utcnow(),
            )
        )

    # --- moderation ---

    def audit_event(
        self, action="business.approved", *, actor=None, business=None, reason="", **details
    ):
        return _add(
            AuditEvent(
                actor=actor, action=action, business=business, reason=reason, details=details
            )
        )

    def report(
        self,
        business,
        reason="sonstiges",
        message="Bitte prüfen.",
        *,
        reporter_email=None,
        status="open",
    ):
        return _add(
            Report(
                business=business,
                reason=reason,
                message=message,
                reporter_email=reporter_email,
                status=status,
            )
        )

    def claim(
        self,
        business,
        user=None,
        message="Ich bin die Inhaberin dieses Betriebs.",
        *,
        status="open",
    ):
        user = user or self.shopper()
        return _add(Claim(business=business, user=user, message=message, status=status))

    def revision(self, business, changes=None, *, author=None, status="open"):
        changes = {"description": "Neu."} if changes is None else changes
        return _add(Revision(business=business, author=author, changes=changes, status=status))

    # --- co-owners ---

    def invitation(self, business, email=None, *, invited_by=None, expires_at=None):
        """An open invitation and the token of its link (only the hash is stored)."""
        token = secrets.token_urlsafe(32)
        invitation = _add(
            Invitation(
                business=business,
                email=(email or f"partner{self._next()}@beispiel.example").lower(),
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                invited_by=invited_by,
                expires_at=expires_at or utcnow() + timedelta(days=7),
            )
        )
        return invitation, token

    # --- vouchers ---

    def voucher_offer(self, business=None, status="published", **kwargs):
        """An offer of ``business`` (None: the Bottrop-Gutschein), contact by message,
        10 or 25 €, statutory validity, unless told otherwise."""
        values = {
            "title": "Testgutschein",
            "description": "Ein Gutschein zum Testen.",
            "values_cents": [1000, 2500],
            "validity": "statutory",
            "terms": "",
            "how": "contact",
            "pay_in_shop": False,
            "published_at": utcnow() if status == "published" else None,
        } | kwargs
        return _add(
            VoucherOffer(business_id=business.id if business else None, status=status, **values)
        )

    def orderable_offer(self, business=None, status="published", **kwargs):
        """An offer ordered here, paid in the shop or by transfer: 10, 25 or 50 € or a free
        amount from 5 to 200 €."""
        values = {
            "title": "Genussgutschein" if business else "Bottrop-Gutschein",
            "description": "Für Brot, Kuchen und Kaffee.",
            "values_cents": [1000, 2500, 5000],
            "min_cents": 500,
            "max_cents": 20000,
            "how": "order",
            "pay_in_shop": True,
            "pay_by_transfer": True,
            "account_holder": business.name if business else "Stadt Bottrop",
            "iban": IBAN,
            "terms": "Nicht gegen Bargeld eintauschbar.",
        } | kwargs
        return self.voucher_offer(business, status, **values)

    def voucher_order(
        self,
        offer,
        amount_cents=5000,
        *,
        buyer_name="Karla Kundin",
        buyer_email="kunde@example.org",
        payment="transfer",
        status="open",
        recipient_name="",
        message="",
    ):
        return _add(
            VoucherOrder(
                reference=new_reference(),
                offer_id=offer.id,
                business_id=offer.business_id,
                amount_cents=amount_cents,
                buyer_name=buyer_name,
                buyer_email=buyer_email,
                recipient_name=recipient_name,
                message=message,
                payment=payment,
                status=status,
            )
        )

    def voucher(self, business=None, value_cents=5000, expires_on=None, **kwargs):
        """A voucher with a fresh code (issued by the voucher service), of ``business`` (None:
        a Bottrop-Gutschein), valid for three years unless told otherwise."""
        expires_on = expires_on or date.today() + timedelta(days=3 * 365)
        return vouchers.issue(
            value_cents=value_cents,
            business_id=business.id if business else None,
            expires_on=expires_on,
            **kwargs,
        )

    def redemption(
        self,
        voucher,
        business=None,
        amount_cents=1000,
        *,
        user=None,
        created_at: datetime | None = None,
    ):
        """A redemption in the ledger, the balance lowered with it (as the service would)."""
        assert amount_cents <= voucher.balance_cents, "a redemption beyond the balance"
        business = business or voucher.business
        voucher.balance_cents -= amount_cents
        return _add(
            Redemption(
                voucher=voucher,
                business_id=business.id,
                kind="redemption",
                amount_cents=amount_cents,
                request_key=secrets.token_hex(8),
                user_id=user.id if user else None,
                created_at=created_at or utcnow(),
            )
        )
