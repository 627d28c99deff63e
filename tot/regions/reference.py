"""The regions the platform starts with. The first migration inserts the same list."""

from tot.regions.models import Country

REFERENCE_REGIONS: list[tuple[Country, str]] = [
    (Country.KYRGYZSTAN, "Batken Region"),
    (Country.KYRGYZSTAN, "Chüy Region"),
    (Country.KYRGYZSTAN, "Issyk-Kul Region"),
    (Country.KYRGYZSTAN, "Jalal-Abad Region"),
    (Country.KYRGYZSTAN, "Naryn Region"),
    (Country.KYRGYZSTAN, "Osh Region"),
    (Country.KYRGYZSTAN, "Talas Region"),
    (Country.KYRGYZSTAN, "Bishkek city"),
    (Country.KYRGYZSTAN, "Osh city"),
    (Country.TAJIKISTAN, "Sughd Region"),
    (Country.TAJIKISTAN, "Khatlon Region"),
    (Country.TAJIKISTAN, "Gorno-Badakhshan Autonomous Region"),
    (Country.TAJIKISTAN, "Districts of Republican Subordination"),
    (Country.TAJIKISTAN, "Dushanbe city"),
]
