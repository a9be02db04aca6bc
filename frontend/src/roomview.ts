/** The side panel fed by the room socket: who is here, the chat, the lesson status, "End lesson". */

import { clockTime, el } from "./dom";
import type { ChatEntry, RoomMessage, RoomSocket, RoomState, RoomUser } from "./room";
import type { ClassroomConfig } from "./types";

const ROLE_LABEL = { tutor: "Tutor", student: "Student" } as const;
const LESSON_EVENTS: Record<string, string> = {
  started: "The lesson has started.",
  five_minutes_left: "Five minutes left.",
  ended: "The lesson has ended.",
};

export interface RoomViewElements {
  status: HTMLElement;
  presence: HTMLElement;
  messages: HTMLOListElement;
  form: HTMLFormElement;
  input: HTMLInputElement;
  endButton: HTMLButtonElement | null;
}

export class RoomView {
  private readonly here = new Map<number, RoomUser>();
  private readonly names = new Map<number, string>();
  private readonly seen = new Set<number>();
  private connection = "Connecting…";
  private lessonLine = "";
  endsAt: string;

  constructor(
    private readonly config: ClassroomConfig,
    private readonly ui: RoomViewElements,
    private readonly socket: () => RoomSocket,
    endsAt: string,
  ) {
    this.endsAt = endsAt;
    this.names.set(config.userId, config.userName);
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.sendChat();
    });
    ui.endButton?.addEventListener("click", () => {
      if (window.confirm("End the lesson for both of you?")) {
        if (!this.socket().send({ type: "end_lesson" })) this.note("Not connected: try again in a moment.");
      }
    });
    window.setInterval(() => this.renderStatus(), 30_000);
    this.renderPresence();
    this.renderStatus();
  }

  // --- incoming --------------------------------------------------------------------------------

  handle(message: RoomMessage): void {
    switch (message.type) {
      case "welcome":
        this.endsAt = message.lesson.end || this.endsAt;
        this.here.clear();
        this.here.set(message.you.id, message.you);
        this.ui.messages.replaceChildren();
        this.seen.clear();
        for (const entry of message.chat) this.addChat(entry);
        if (message.lesson.status === "live") this.lessonLine = LESSON_EVENTS.started;
        if (message.lesson.status === "completed") this.lessonLine = LESSON_EVENTS.ended;
        break;
      case "presence":
        if (message.user.name) this.names.set(message.user.id, message.user.name);
        if (message.event === "left") this.here.delete(message.user.id);
        else this.here.set(message.user.id, message.user);
        break;
      case "chat":
        this.addChat(message.message);
        break;
      case "lesson":
        this.lessonLine = LESSON_EVENTS[message.event] ?? this.lessonLine;
        if (message.ends_at) this.endsAt = message.ends_at;
        break;
      case "error":
        this.note(`The server said: ${message.code.replace(/_/g, " ")}.`);
        break;
      default:
        return;
    }
    this.renderPresence();
    this.renderStatus();
  }

  connectionState(state: RoomState, detail?: string): void {
    this.connection = {
      connecting: "Connecting…",
      open: "",
      reconnecting: "Connection lost: reconnecting…",
      closed: detail ? `Disconnected: ${detail}.` : "Disconnected.",
    }[state];
    if (state !== "open") this.here.clear();
    this.ui.input.disabled = state !== "open";
    this.renderPresence();
    this.renderStatus();
  }

  /** Names learnt elsewhere (the board's awareness). */
  learnName(id: number, name: string): void {
    if (name && this.names.get(id) !== name) {
      this.names.set(id, name);
      this.renderPresence();
    }
  }

  lessonEnded(): void {
    this.lessonLine = LESSON_EVENTS.ended;
    this.ui.input.disabled = true;
    if (this.ui.endButton) this.ui.endButton.disabled = true;
    this.renderStatus();
  }

  // --- chat ------------------------------------------------------------------------------------

  private sendChat(): void {
    const body = this.ui.input.value.trim();
    if (!body) return;
    if (this.socket().send({ type: "chat", body })) {
      this.ui.input.value = "";
    } else {
      this.note("Not connected: your message was not sent.");
    }
  }

  private addChat(entry: ChatEntry): void {
    if (this.seen.has(entry.id)) return;
    this.seen.add(entry.id);
    const mine = entry.sender === this.config.userId;
    const item = el(
      "li",
      { class: mine ? "mine" : "theirs", "data-id": String(entry.id) },
      el("span", { class: "who" }, mine ? "You" : entry.sender_name || "—"),
      el("time", { datetime: entry.created_at }, clockTime(entry.created_at)),
      el("p", { class: "body" }, entry.body),
    );
    this.ui.messages.append(item);
    item.scrollIntoView({ block: "end" });
  }

  private note(text: string): void {
    const item = el("li", { class: "note" }, text);
    this.ui.messages.append(item);
    item.scrollIntoView({ block: "end" });
  }

  // --- rendering -------------------------------------------------------------------------------

  private renderPresence(): void {
    const people = [...this.here.values()].sort((a, b) => a.role.localeCompare(b.role));
    this.ui.presence.replaceChildren(
      ...people.map((user) => {
        const you = user.id === this.config.userId;
        const name = this.names.get(user.id);
        return el(
          "span",
          { class: `person ${user.role}`, "data-user": String(user.id) },
          el("span", { class: "online-dot" }),
          `${name ? `${name} · ` : ""}${ROLE_LABEL[user.role] ?? user.role}${you ? " (you)" : ""}`,
        );
      }),
    );
    const alone = !people.some((user) => user.id !== this.config.userId);
    if (alone && this.connection === "") {
      this.ui.presence.append(el("span", { class: "muted" }, "Waiting for the other participant…"));
    }
  }

  private renderStatus(): void {
    const parts = [this.connection, this.lessonLine];
    if (this.lessonLine !== LESSON_EVENTS.ended && this.endsAt) {
      const left = Math.round((new Date(this.endsAt).getTime() - Date.now()) / 60_000);
      if (Number.isFinite(left)) parts.push(`Ends at ${clockTime(this.endsAt)}${left > 0 ? ` (${left} min left)` : ""}.`);
    }
    this.ui.status.textContent = parts.filter(Boolean).join(" ");
  }
}
