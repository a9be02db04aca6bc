/**
 * The classroom room socket (JSON): presence, chat, lesson events and WebRTC signalling. It offers the
 * token as a subprotocol and reconnects with an exponential backoff until the lesson ends or the
 * server refuses the token (close codes 4401, 4403, 4404).
 */

import type { Role } from "./types";

export const SUBPROTOCOL = "m4sh.classroom";

export interface ChatEntry {
  id: number;
  sender: number;
  sender_name: string;
  body: string;
  created_at: string;
}

export interface RoomUser {
  id: number;
  role: Role;
  name?: string;
}

export type SignalData = { kind: "offer" | "answer" | "candidate" | "hangup"; [key: string]: unknown };

export type RoomMessage =
  | { type: "welcome"; you: RoomUser; lesson: { session_id: number; status: string; start: string; end: string }; chat: ChatEntry[] }
  | { type: "presence"; event: "joined" | "here" | "left"; user: RoomUser }
  | { type: "signal"; from: number; data: SignalData }
  | { type: "chat"; message: ChatEntry }
  | { type: "lesson"; event: "started" | "five_minutes_left" | "ended" | string; at?: string; ends_at?: string }
  | { type: "pong" }
  | { type: "error"; code: string };

export type RoomState = "connecting" | "open" | "reconnecting" | "closed";

export interface RoomHandlers {
  message(message: RoomMessage): void;
  state(state: RoomState, detail?: string): void;
}

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 15_000;
const PING_EVERY_MS = 25_000;
const FINAL_CODES: Record<number, string> = {
  4401: "your classroom pass is missing or expired",
  4403: "the classroom is closed to you",
  4404: "no such classroom",
};

export class RoomSocket {
  private socket: WebSocket | null = null;
  private attempts = 0;
  private stopped = false;
  private retry = 0;
  private ping = 0;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly handlers: RoomHandlers,
  ) {}

  connect(): void {
    if (this.stopped || this.socket) return;
    this.handlers.state(this.attempts ? "reconnecting" : "connecting");
    const socket = new WebSocket(this.url, [SUBPROTOCOL, this.token]);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.handlers.state("open");
      this.ping = window.setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
    };
    socket.onmessage = (event) => {
      let message: RoomMessage;
      try {
        message = JSON.parse(String(event.data)) as RoomMessage;
      } catch {
        return;
      }
      if (message.type === "lesson" && message.event === "ended") this.stopped = true; // the server closes next
      this.handlers.message(message);
    };
    socket.onclose = (event) => this.closed(socket, event);
  }

  private closed(socket: WebSocket, event: CloseEvent): void {
    if (this.socket !== socket) return;
    this.socket = null;
    window.clearInterval(this.ping);
    const final = FINAL_CODES[event.code];
    if (final) this.stopped = true;
    if (this.stopped) {
      this.handlers.state("closed", final);
      return;
    }
    this.attempts += 1;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** (this.attempts - 1));
    this.handlers.state("reconnecting");
    this.retry = window.setTimeout(() => this.connect(), delay * (0.75 + Math.random() * 0.5));
  }

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends a message now; false when the socket is not open (nothing is queued). */
  send(message: Record<string, unknown>): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  signal(data: SignalData): boolean {
    return this.send({ type: "signal", data });
  }

  /** Leave for good (page closed, lesson over). */
  close(): void {
    this.stopped = true;
    window.clearTimeout(this.retry);
    window.clearInterval(this.ping);
    this.socket?.close(1000);
  }
}
