"""awork's error body: code, description, link, details and validationErrors (docs/styles.md)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from django_api_errors.flatten import dotted_path
from django_api_errors.negotiation import JSON
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles import cased_field_errors, schema
from django_api_errors.styles.links import link_for

if TYPE_CHECKING:
    from django_api_errors.values import ErrorValue


MEDIA_TYPE = JSON


def render(error: ErrorValue, request: Request | None) -> dict[str, Any]:
    """The awork-style body of an error."""
    slug = error.code.slug
    body: dict[str, Any] = {
        "code": slug,
        "description": str(error.description),
        "link": link_for(slug, request),
        "details": list(error.details),
        "validationErrors": [
            {"property": dotted_path(path), "message": message, "code": code}
            for path, message, code in cased_field_errors(error)
        ]
        if error.validation_errors
        else [],
    }
    if error.phrase:
        body["phrase"] = error.phrase
    if error.trace_id:
        body["traceId"] = error.trace_id
    if api_errors_settings.SPACE_FACTS:
        body["space"] = str(random.choice(FACTS))  # lazy: in the active language
    return body


def openapi_schema() -> dict[str, Any]:
    """awork: code, description, link, details, validationErrors; phrase on 5xx; traceId, space optional."""
    phrase = schema.string(description=str(_("Incident phrase of a server error (5xx only).")))
    properties = {
        "code": schema.ref(schema.CODE_COMPONENT),
        "description": schema.string(),
        "link": schema.nullable(schema.string()),
        "details": {"type": "array", "items": schema.string()},
        "validationErrors": {"type": "array", "items": schema.ref(schema.VALIDATION_COMPONENT)},
        "phrase": phrase,
        "traceId": schema.string(description=str(_("The trace id of the request: quote it to support."))),
        "space": schema.string(),
    }
    return schema.object_of(properties, "code", "description", "link", "details", "validationErrors")


openapi_operation_schema = schema.narrowed


def openapi_components() -> dict[str, dict[str, Any]]:
    """awork's ``ValidationError`` item: the field's dotted path (null for the whole object)."""
    properties = {
        "property": schema.nullable(schema.string()),
        "message": schema.string(),
        "code": schema.ref(schema.FIELD_CODE_COMPONENT),
    }
    return {schema.VALIDATION_COMPONENT: schema.object_of(properties, "property", "message", "code")}


#: True facts about space, one picked per body.
FACTS: tuple[Promise, ...] = (
    _("A day on Venus lasts longer than its year."),
    _("Venus spins backwards compared with most planets, so there the Sun rises in the west."),
    _("Sunlight takes a little over eight minutes to reach Earth."),
    _("The Moon drifts about 3.8 centimetres further away from Earth every year."),
    _("Jupiter is more than twice as massive as all the other planets put together."),
    _("Saturn is on average less dense than water."),
    _("Olympus Mons on Mars rises about two and a half times as high as Mount Everest."),
    _("Some neutron stars spin hundreds of times every second."),
    _("A teaspoon of neutron star matter would weigh about a billion tonnes on Earth."),
    _("With no wind to blow them away, the Apollo footprints on the Moon can last for millions of years."),
    _("Mercury has the most elongated orbit of the eight planets."),
    _("Uranus rolls around the Sun on its side, its axis tilted by about 98 degrees."),
    _("Neptune was predicted by calculation before anyone saw it through a telescope."),
    _("Jupiter's Great Red Spot is a storm wider than Earth."),
    _("The International Space Station goes once around Earth in about 90 minutes."),
    _("The light we see from the Andromeda galaxy left it about 2.5 million years ago."),
    _("The Milky Way is roughly 100 000 light-years across."),
    _("The Sun holds about 99.8 percent of all the mass in the Solar System."),
    _("One year on Neptune lasts about 165 Earth years."),
    _("Mars has two small moons, Phobos and Deimos."),
    _("Phobos is slowly spiralling towards Mars and will break apart within tens of millions of years."),
    _("Titan, the largest moon of Saturn, has a denser atmosphere than Earth."),
    _("Titan has lakes and seas of liquid methane and ethane."),
    _("Jupiter's moon Europa is thought to hide a salty ocean beneath its ice."),
    _("Saturn's moon Enceladus shoots jets of water vapour and ice out of its south pole."),
    _("Voyager 1, launched in 1977, is the most distant object humans have ever built."),
    _("Voyager 1 crossed into interstellar space in 2012."),
    _("The cosmic microwave background is light set free about 380 000 years after the Big Bang."),
    _("The universe is about 13.8 billion years old."),
    _("A light-year is a distance: about 9.46 trillion kilometres."),
    _("Proxima Centauri, the star nearest to the Sun, is about 4.2 light-years away."),
    _("The Kármán line, often taken as the edge of space, lies 100 kilometres above sea level."),
    _("Yuri Gagarin became the first person in space on 12 April 1961."),
    _("Apollo 11 landed on the Moon on 20 July 1969."),
    _("Twelve people have walked on the Moon."),
    _("The Moon always shows Earth the same face because it turns once for every orbit."),
    _("Mars looks red because its dust is rich in iron oxide."),
    _("Jupiter's moon Ganymede is larger than the planet Mercury."),
    _("Pluto has five known moons; Charon is the largest."),
    _("Pluto was reclassified as a dwarf planet in 2006."),
    _("Saturn's rings are made mostly of water ice."),
    _("The main asteroid belt lies between the orbits of Mars and Jupiter."),
    _("Ceres, the largest body in the asteroid belt, is a dwarf planet."),
    _("Halley's Comet comes back to the inner Solar System about every 76 years."),
    _("A solar eclipse happens when the Moon passes between the Sun and Earth."),
    _("The core of the Sun reaches about 15 million degrees Celsius."),
    _("The visible surface of the Sun is about 5500 degrees Celsius."),
    _("The first image of a black hole, M87*, was published in 2019."),
    _("Stars twinkle because Earth's moving air bends their light back and forth."),
    _("Sound cannot travel through the near-vacuum between the planets."),
    _("Earth is closest to the Sun in early January."),
    _("The Hubble Space Telescope was launched in 1990."),
    _("The James Webb Space Telescope observes mostly in infrared light."),
    _("Mercury has almost no air, so it swings from about 430 °C by day to about -180 °C at night."),
    _("Venus is the hottest planet, with a surface of around 465 °C."),
)
