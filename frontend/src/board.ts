/**
 * The shared whiteboard: a Y.Doc synced with the board socket by a stock y-websocket provider, read
 * and written through the schema of docs/whiteboard.md. Local edits carry the LOCAL origin, so the
 * undo manager undoes this client's changes only.
 */

import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

import { nanoid } from "./dom";
import {
  type Background,
  DEFAULT_PAGE_ID,
  type Element,
  type NewElement,
  type Page,
  parseElement,
  parsePage,
} from "./schema";
import type { Participant } from "./types";

export const SUBPROTOCOL = "m4sh.classroom";
const LOCAL = Symbol("m4sh-local-edit");

export interface Cursor {
  x: number;
  y: number;
  page: string;
}

export interface Peer {
  clientId: number;
  user: Participant;
  cursor: Cursor | null;
}

export type BoardStatus = "connecting" | "connected" | "disconnected" | "refused";

type YElement = Y.Map<unknown>;

export class Board {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly pagesArray: Y.Array<Y.Map<unknown>>;
  readonly elementsMap: Y.Map<YElement>;
  readonly undoManager: Y.UndoManager;
  status: BoardStatus = "connecting";
  private readonly listeners = new Set<() => void>();
  private cache: Element[] | null = null;

  /** `serverUrl` is ws(s)://host/ws/classroom/<session id>; the provider appends the room name "board". */
  constructor(
    serverUrl: string,
    token: string,
    readonly me: Participant,
  ) {
    this.pagesArray = this.doc.getArray("pages");
    this.elementsMap = this.doc.getMap("elements");
    this.undoManager = new Y.UndoManager([this.pagesArray, this.elementsMap], {
      trackedOrigins: new Set([LOCAL]),
      captureTimeout: 300,
    });
    this.provider = new WebsocketProvider(serverUrl, "board", this.doc, {
      protocols: [SUBPROTOCOL, token], // the token never goes into the URL (and so into access logs)
      disableBc: true, // every change goes through the server, which checks who may write
      resyncInterval: 10_000, // also keeps a lone client's socket from looking dead
      maxBackoffTime: 10_000,
    });
    this.provider.awareness.setLocalState({ user: me, cursor: null });
    this.provider.on("status", ({ status }) => {
      this.status = status;
      this.changed();
    });
    this.provider.on("closed", () => {
      this.status = "refused"; // 44xx: a bad token or a closed classroom; y-websocket stops retrying
      this.changed();
    });
    this.doc.on("afterTransaction", () => {
      this.cache = null;
      this.changed();
    });
    this.provider.awareness.on("change", () => this.changed());
    this.undoManager.on("stack-item-added", () => this.changed());
    this.undoManager.on("stack-item-popped", () => this.changed());
  }

  /** Call `listener` after every change: document, awareness, connection or undo stack. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  // --- reading ---------------------------------------------------------------------------------

  /** The pages in order; a board without pages is one page "p1". */
  pages(): Page[] {
    const pages: Page[] = [];
    this.pagesArray.toArray().forEach((map, index) => {
      const page = map instanceof Y.Map ? parsePage(map.toJSON(), index) : null;
      if (page) pages.push(page);
    });
    return pages.length ? pages : [{ id: DEFAULT_PAGE_ID, title: "Page 1", background: null }];
  }

  page(id: string): Page | undefined {
    return this.pages().find((page) => page.id === id);
  }

  /** Every well-formed element, bottom first. */
  elements(): Element[] {
    if (!this.cache) {
      const raw = this.elementsMap.toJSON() as Record<string, Record<string, unknown>>;
      const parsed: Element[] = [];
      for (const [id, value] of Object.entries(raw)) {
        const element = value && typeof value === "object" ? parseElement(id, value) : null;
        if (element) parsed.push(element);
      }
      parsed.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.cache = parsed;
    }
    return this.cache;
  }

  elementsOn(pageId: string): Element[] {
    return this.elements().filter((element) => element.page === pageId);
  }

  /** The other clients' awareness states (not this one's). */
  peers(): Peer[] {
    const peers: Peer[] = [];
    this.provider.awareness.getStates().forEach((state, clientId) => {
      if (clientId === this.doc.clientID || !state.user) return;
      peers.push({ clientId, user: state.user as Participant, cursor: (state.cursor as Cursor | null) ?? null });
    });
    return peers;
  }

  // --- writing ---------------------------------------------------------------------------------

  private edit(change: () => void): void {
    this.doc.transact(change, LOCAL);
  }

  /** Adds an element on top of the page; returns its id. */
  add(pageId: string, element: NewElement): string {
    const id = nanoid();
    const top = this.elements().reduce((max, other) => Math.max(max, other.z), 0);
    const map: YElement = new Y.Map();
    for (const [key, value] of Object.entries(element)) {
      if (value !== undefined) map.set(key, value);
    }
    map.set("page", pageId);
    map.set("author", this.me.id);
    map.set("createdAt", Date.now());
    map.set("z", top + 1);
    this.edit(() => this.elementsMap.set(id, map));
    return id;
  }

  remove(id: string): void {
    if (this.elementsMap.has(id)) this.edit(() => this.elementsMap.delete(id));
  }

  /** The Y.Map of a page, creating the implicit page "p1" when the board has no pages yet. */
  private pageMap(pageId: string): Y.Map<unknown> | undefined {
    if (this.pagesArray.length === 0 && pageId === DEFAULT_PAGE_ID) {
      this.pagesArray.push([newPage(DEFAULT_PAGE_ID, "Page 1")]);
    }
    return this.pagesArray.toArray().find((map) => map instanceof Y.Map && map.get("id") === pageId);
  }

  /** Appends a page and returns its id. */
  addPage(): string {
    const id = nanoid();
    this.edit(() => {
      this.pageMap(DEFAULT_PAGE_ID);
      this.pagesArray.push([newPage(id, `Page ${this.pagesArray.length + 1}`)]);
    });
    return id;
  }

  /** Shows a material page under the drawing of `pageId` (null takes it away). */
  setBackground(pageId: string, background: Background | null): void {
    this.edit(() => {
      const map = this.pageMap(pageId);
      if (!map) return;
      if (background === null) {
        map.delete("background");
      } else {
        const bg = new Y.Map<unknown>();
        for (const [key, value] of Object.entries(background)) bg.set(key, value);
        map.set("background", bg);
      }
    });
  }

  undo(): void {
    this.undoManager.undo();
  }

  redo(): void {
    this.undoManager.redo();
  }

  setCursor(cursor: Cursor | null): void {
    this.provider.awareness.setLocalStateField("cursor", cursor);
  }

  /** Stops syncing (the lesson ended): the board stays visible as it was. */
  disconnect(): void {
    this.provider.awareness.setLocalState(null);
    this.provider.disconnect();
  }
}

function newPage(id: string, title: string): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set("id", id);
  map.set("title", title);
  return map;
}
