from apps.classroom.selectors.access import ClassroomAccess, classroom_access, classroom_paths
from apps.classroom.selectors.sessions import (
    JoinWindow,
    can_join,
    can_join_booking,
    join_window,
    participant_role,
    session_get_for_participant,
)

__all__ = [
    "ClassroomAccess",
    "JoinWindow",
    "can_join",
    "can_join_booking",
    "classroom_access",
    "classroom_paths",
    "join_window",
    "participant_role",
    "session_get_for_participant",
]
