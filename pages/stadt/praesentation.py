"""Presentation view of one lab session, for a projector or a big screen in the hall."""

from rules.roles import Action
from ui import resources
from ui.auth import require_page
from ui.presentation import presentation_view
from ui.staff_sessions import join_link

require_page(Action.RUN_SESSIONS)
presentation_view(resources.store(), resources.district_pack(), link_for=join_link)
