/**
 * The classroom page: reads the page's config, fetches the join token, then wires the whiteboard, the
 * room socket (presence, chat, lesson events), the video call and, for the tutor, the materials.
 * Debugging hooks: window.m4shBoard, window.m4shVideo, window.m4shRoom (see docs/frontend.md).
 */

import "./classroom.css";

import { Board } from "./board";
import { byId, wsUrl } from "./dom";
import { Materials } from "./materials";
import { PageBar } from "./pages";
import { Renderer } from "./render";
import { type RoomMessage, RoomSocket, type RoomState } from "./room";
import { RoomView } from "./roomview";
import type { Element, Page } from "./schema";
import { Tools } from "./tools";
import type { Access, ClassroomConfig, Participant } from "./types";
import { Video } from "./video";

declare global {
  interface Window {
    m4shBoard?: {
      elementCount(): number;
      elements(): Element[];
      pages(): Page[];
      currentPage(): string;
      synced(): boolean;
      status(): string;
      peers(): string[];
    };
    m4shVideo?: { state(): RTCPeerConnectionState; polite: boolean; hasLocalMedia(): boolean; calls(): number };
    m4shRoom?: { state(): RoomState };
  }
}

const COLORS = { tutor: "#e8590c", student: "#1c7ed6" } as const;

function readConfig(): ClassroomConfig | null {
  const node = document.getElementById("classroom-config");
  return node?.textContent ? (JSON.parse(node.textContent) as ClassroomConfig) : null;
}

async function fetchAccess(url: string): Promise<Access> {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  return (await response.json()) as Access;
}

async function start(): Promise<void> {
  const config = readConfig();
  const root = document.getElementById("classroom");
  if (!config || !root) return; // the "classroom is not open" page
  const status = byId("lesson-status");
  let access: Access;
  try {
    access = await fetchAccess(config.accessUrl);
  } catch (error) {
    root.dataset.status = "error";
    status.textContent = `Could not enter the classroom (${error instanceof Error ? error.message : error}). Reload to try again.`;
    return;
  }
  if (!access.token) {
    root.dataset.status = "closed";
    status.textContent = "The classroom is not open right now.";
    return;
  }
  const me: Participant = { id: config.userId, name: config.userName, role: config.role, color: COLORS[config.role] };

  // --- the whiteboard ---
  const boardServer = wsUrl(access.ws.board.replace(/\/board\/?$/, "")); // the provider appends "/board"
  const board = new Board(boardServer, access.token, me);
  const renderer = new Renderer(byId<HTMLCanvasElement>("board"), board, board.pages()[0].id);
  const tools = new Tools(board, renderer, byId("toolbar"));
  const pages = new PageBar(board, renderer, byId("pages"));
  const boardStatus = byId("board-status");
  board.subscribe(() => {
    renderer.request();
    boardStatus.dataset.state = board.status;
    boardStatus.textContent = {
      connecting: "Board: connecting…",
      connected: board.synced ? "Board: live" : "Board: syncing…",
      disconnected: "Board: offline, reconnecting…",
      refused: "Board: access refused",
    }[board.status];
  });
  renderer.request();

  // --- room socket, side panel and video ---
  let socket: RoomSocket | null = null;
  const room = (): RoomSocket => {
    if (!socket) throw new Error("the room socket is not set up yet");
    return socket;
  };
  const view = new RoomView(
    config,
    {
      status,
      presence: byId("presence"),
      messages: byId<HTMLOListElement>("chat-messages"),
      form: byId<HTMLFormElement>("chat-form"),
      input: byId<HTMLInputElement>("chat-input"),
      endButton: document.getElementById("end-lesson") as HTMLButtonElement | null,
    },
    room,
    access.ends_at,
  );
  const video = new Video(config.role, access.ice_servers ?? [], (data) => room().signal(data), {
    local: byId<HTMLVideoElement>("local-video"),
    remote: byId<HTMLVideoElement>("remote-video"),
    status: byId("video-status"),
    mic: byId<HTMLButtonElement>("toggle-mic"),
    camera: byId<HTMLButtonElement>("toggle-camera"),
    play: byId<HTMLButtonElement>("play-remote"),
  });
  board.subscribe(() => {
    for (const peer of board.peers()) view.learnName(peer.user.id, peer.user.name);
  });

  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    tools.disable();
    pages.disable();
    board.disconnect();
    video.hangup();
    view.lessonEnded();
    root.dataset.status = "ended";
    byId("lesson-over").hidden = false;
  };

  const onMessage = (message: RoomMessage): void => {
    view.handle(message);
    if (message.type === "presence" && message.user.id !== config.userId) {
      if (message.event === "left") video.peerLeft();
      else video.peerPresent();
    } else if (message.type === "signal" && message.from !== config.userId) {
      video.handleSignal(message.data);
    } else if (
      (message.type === "lesson" && message.event === "ended") ||
      (message.type === "welcome" && message.lesson.status === "completed")
    ) {
      end();
    }
  };
  let roomState: RoomState = "connecting";
  socket = new RoomSocket(wsUrl(access.ws.room), access.token, {
    message: onMessage,
    state: (state, detail) => {
      roomState = state;
      view.connectionState(state, detail);
      if (!ended) root.dataset.status = state;
    },
  });
  socket.connect();

  if (config.role === "tutor") {
    new Materials(access.session_id, board, renderer, byId("materials"));
  }

  window.addEventListener("pagehide", () => {
    video.hangup();
    room().close();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload(); // back from the page cache: the call and sockets were closed
  });

  window.m4shBoard = {
    elementCount: () => board.elements().length,
    elements: () => board.elements(),
    pages: () => board.pages(),
    currentPage: () => renderer.pageId,
    synced: () => board.synced,
    status: () => board.status,
    peers: () => board.peers().map((peer) => peer.user.name),
  };
  window.m4shVideo = {
    state: () => video.state(),
    polite: video.polite,
    hasLocalMedia: () => video.hasLocalMedia(),
    calls: () => video.calls,
  };
  window.m4shRoom = { state: () => roomState };
}

void start();
