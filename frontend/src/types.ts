/** Shapes of what the page and the server hand the client. */

export type Role = "tutor" | "student";

/** The page's `classroom-config` JSON (apps/classroom/web/views.py). */
export interface ClassroomConfig {
  bookingId: number;
  sessionId: number;
  userId: number;
  userName: string;
  role: Role;
  accessUrl: string;
}

/** GET accessUrl: how to enter the classroom; `token` is null outside the join window. */
export interface Access {
  session_id: number;
  token: string | null;
  url: string;
  ws: { board: string; room: string };
  status: string;
  joinable_from: string;
  ends_at: string;
  ice_servers: RTCIceServer[];
}

/** Who a client is, as shown to the others (board awareness `user`). */
export interface Participant {
  id: number;
  name: string;
  role: Role;
  color: string;
}
