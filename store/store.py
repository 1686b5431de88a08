"""The store's one interface: every part composed, whichever backend is below."""

from __future__ import annotations

from store.accounts import AccountStore
from store.follows import FollowStore
from store.labs import LabStore
from store.layers import LayerStore
from store.measure_weigh_in import MeasureWeighInStore
from store.measures import MeasureStore
from store.moderation import ModerationStore
from store.photos import PhotoStore
from store.pins import PinStore
from store.population import PopulationStore
from store.session_tally import SessionTallyStore
from store.spatial import SpatialQueries
from store.staff_logins import StaffLoginStore


class Store(
    PinStore,
    LayerStore,
    LabStore,
    ModerationStore,
    AccountStore,
    PopulationStore,
    MeasureStore,
    SpatialQueries,
    StaffLoginStore,
    SessionTallyStore,
    MeasureWeighInStore,
    PhotoStore,
    FollowStore,
):
    """Pins, layers, lab sessions, moderation and staff accounts. Every write is one
    transaction, every staff action is checked by role. Safe for many threads and
    processes (and, on PostGIS, many app processes on many machines)."""

    def data_version(self) -> str:
        """Changes whenever pins, supports, moderation or layers change (for caches of
        results that read both; see pins_version and layers_version)."""
        return f"{self.pins_version()}|{self.layers_version()}"
