"""One measure of the public plan (/massnahme?nr=12): linked from the plan, from "What
became of my note?" and as a QR code on the printed plan."""

from ui import resources
from ui.public_measure import measure_page

resources.demo_notice()
measure_page(resources.store(), resources.district_pack())
