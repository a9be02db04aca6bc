/**
 * 1:1 video over WebRTC, signalled through the room socket with the "perfect negotiation" pattern.
 *
 * Roles: the student is the polite peer, the tutor the impolite one: when both offer at once the
 * tutor's offer wins and the student rolls its own back. Each peer connection has a random `conn` id
 * sent with every signal, so an offer from a new connection of the other side (a reload, a new socket)
 * replaces the old call instead of confusing it. Without a camera or microphone (denied, missing, or a
 * page that is not a secure context) the call still connects and receives the other side.
 */

import { nanoid } from "./dom";
import type { SignalData } from "./room";
import type { Role } from "./types";

export interface VideoElements {
  local: HTMLVideoElement;
  remote: HTMLVideoElement;
  status: HTMLElement;
  mic: HTMLButtonElement;
  camera: HTMLButtonElement;
  play: HTMLButtonElement;
}

const MEDIA_WAIT_MS = 3000; // how long a new call waits for the camera before it starts without it
const RESTART_AFTER_FAILURE_MS = 2000;
// A call not connected this long after it started is replaced by a new one (by the tutor, whom the
// student follows): some negotiations stall without ever reaching "failed".
const CONNECT_TIMEOUT_MS = 12_000;

export class Video {
  readonly polite: boolean;
  private pc: RTCPeerConnection | null = null;
  private conn = "";
  private remoteConn: string | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private tasks: Promise<void> = Promise.resolve();
  private local: MediaStream | null = null;
  private readonly media: Promise<void>;
  private mediaNote = "";
  private ended = false;
  /** How many peer connections this page has made (a new one for each call). */
  calls = 0;

  constructor(
    role: Role,
    private readonly iceServers: RTCIceServer[],
    private readonly signal: (data: SignalData) => boolean,
    private readonly ui: VideoElements,
  ) {
    this.polite = role === "student";
    this.media = this.startMedia();
    ui.mic.addEventListener("click", () => this.toggle("audio", ui.mic));
    ui.camera.addEventListener("click", () => this.toggle("video", ui.camera));
    ui.play.addEventListener("click", () => this.playRemote());
    this.render();
  }

  /** The connection state of the call: "new" while there is none. */
  state(): RTCPeerConnectionState {
    return this.pc?.connectionState ?? (this.ended ? "closed" : "new");
  }

  hasLocalMedia(): boolean {
    return this.local !== null;
  }

  // --- events from the room --------------------------------------------------------------------

  /** The other participant is in the room: make sure there is a call. */
  peerPresent(): void {
    this.run(async () => {
      await this.ensurePeer();
    });
  }

  peerLeft(): void {
    this.run(async () => this.closePeer());
  }

  handleSignal(data: SignalData): void {
    this.run(() => this.onSignal(data));
  }

  /** Leaving (page closed or lesson over): tell the other side and release the camera. */
  hangup(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.pc) this.signal({ kind: "hangup", conn: this.conn });
    this.closePeer();
    for (const track of this.local?.getTracks() ?? []) track.stop();
    this.ui.local.srcObject = null;
    this.render();
  }

  private run(task: () => Promise<void>): void {
    this.tasks = this.tasks.then(task).catch((error: unknown) => console.warn("video:", error));
  }

  // --- local media -----------------------------------------------------------------------------

  private async startMedia(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.mediaNote = "No camera on this page (it needs HTTPS): you can still see and hear the other side.";
      this.render();
      return;
    }
    const tries: MediaStreamConstraints[] = [{ video: true, audio: true }, { audio: true }, { video: true }];
    for (const constraints of tries) {
      try {
        this.local = await navigator.mediaDevices.getUserMedia(constraints);
        break;
      } catch (error) {
        if (error instanceof DOMException && error.name === "NotAllowedError") break; // asked once is enough
      }
    }
    if (this.ended) {
      for (const track of this.local?.getTracks() ?? []) track.stop();
      return;
    }
    if (!this.local) {
      this.mediaNote = "Camera and microphone are off or unavailable: you can still see and hear the other side.";
    } else {
      this.ui.local.srcObject = this.local;
      if (!this.local.getVideoTracks().length) this.mediaNote = "No camera: the other side hears you.";
      if (this.pc) this.addLocalTracks(this.pc); // the call started before the camera was ready
    }
    this.render();
  }

  private addLocalTracks(pc: RTCPeerConnection): void {
    const local = this.local;
    if (!local) return;
    const sending = new Set(pc.getSenders().map((sender) => sender.track));
    for (const track of local.getTracks()) {
      if (!sending.has(track)) pc.addTrack(track, local); // reuses an unused transceiver of the kind
    }
  }

  private toggle(kind: "audio" | "video", button: HTMLButtonElement): void {
    const tracks = kind === "audio" ? this.local?.getAudioTracks() : this.local?.getVideoTracks();
    if (!tracks?.length) return;
    const enabled = !tracks[0].enabled;
    for (const track of tracks) track.enabled = enabled;
    button.classList.toggle("off", !enabled);
    button.setAttribute("aria-pressed", String(!enabled));
  }

  // --- the call --------------------------------------------------------------------------------

  private async ensurePeer(): Promise<RTCPeerConnection | null> {
    if (this.ended) return null;
    if (this.pc) return this.pc;
    await Promise.race([this.media, new Promise((resolve) => setTimeout(resolve, MEDIA_WAIT_MS))]);
    if (this.ended || this.pc) return this.pc;
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    this.calls += 1;
    this.conn = nanoid();
    this.remoteConn = null;
    this.makingOffer = false;
    this.ignoreOffer = false;
    const remote = new MediaStream();
    this.ui.remote.srcObject = remote;

    pc.ontrack = ({ track }) => {
      remote.addTrack(track);
      this.playRemote();
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && this.pc === pc) {
        this.signal({
          kind: "candidate",
          conn: this.conn,
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid,
          sdpMLineIndex: candidate.sdpMLineIndex,
        });
      }
    };
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        if (this.pc === pc && pc.localDescription) {
          this.signal({ kind: "offer", conn: this.conn, sdp: pc.localDescription.sdp });
        }
      } catch (error) {
        console.warn("video: could not make an offer", error);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onconnectionstatechange = () => {
      this.render();
      // ICE gave up (a network change, say): start a new call; the other side follows the new conn id
      if (pc.connectionState === "failed") this.restartUnlessConnected(pc, RESTART_AFTER_FAILURE_MS);
    };
    if (!this.polite) this.restartUnlessConnected(pc, CONNECT_TIMEOUT_MS);

    if (this.local) {
      this.addLocalTracks(pc);
    } else {
      // nothing to send (yet): still ask to receive both, so the call connects
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    this.render();
    return pc;
  }

  private async onSignal(data: SignalData): Promise<void> {
    if (this.ended) return;
    const from = typeof data.conn === "string" ? data.conn : "";
    const known = this.remoteConn === null || this.remoteConn === from;
    if (data.kind === "hangup") {
      if (this.pc && known) this.closePeer();
      return;
    }
    if (data.kind === "offer" && this.pc && !known) this.closePeer(); // the other side started a new call
    if (data.kind !== "offer" && (!this.pc || !known)) return; // an answer or candidate of an old call
    const pc = await this.ensurePeer();
    if (!pc) return;

    if (data.kind === "candidate") {
      if (typeof data.candidate !== "string") return;
      try {
        await pc.addIceCandidate({
          candidate: data.candidate,
          sdpMid: typeof data.sdpMid === "string" ? data.sdpMid : null,
          sdpMLineIndex: typeof data.sdpMLineIndex === "number" ? data.sdpMLineIndex : null,
        });
      } catch (error) {
        if (!this.ignoreOffer) console.warn("video: bad candidate", error);
      }
      return;
    }
    if (typeof data.sdp !== "string") return;
    const offerCollision = data.kind === "offer" && (this.makingOffer || pc.signalingState !== "stable");
    this.ignoreOffer = !this.polite && offerCollision;
    if (this.ignoreOffer) return; // impolite: our offer stands, theirs is dropped
    this.remoteConn = from;
    await pc.setRemoteDescription({ type: data.kind, sdp: data.sdp }); // polite: rolls our offer back
    if (data.kind === "offer") {
      await pc.setLocalDescription();
      if (pc.localDescription) this.signal({ kind: "answer", conn: this.conn, sdp: pc.localDescription.sdp });
    }
  }

  /** In ``delay`` ms, replace the call ``pc`` by a new one unless it has connected or been replaced. */
  private restartUnlessConnected(pc: RTCPeerConnection, delay: number): void {
    setTimeout(() => this.run(async () => {
      if (this.pc === pc && pc.connectionState !== "connected") {
        this.closePeer();
        await this.ensurePeer();
      }
    }), delay);
  }

  private closePeer(): void {
    const pc = this.pc;
    this.pc = null;
    this.remoteConn = null;
    if (pc) {
      pc.ontrack = pc.onicecandidate = pc.onnegotiationneeded = pc.onconnectionstatechange = null;
      pc.close();
    }
    this.ui.remote.srcObject = null;
    this.ui.play.hidden = true;
    this.render();
  }

  private playRemote(): void {
    this.ui.remote.play().then(
      () => (this.ui.play.hidden = true),
      () => (this.ui.play.hidden = !this.pc), // autoplay with sound refused: a click starts it
    );
  }

  private render(): void {
    const state = this.state();
    const text: Record<string, string> = {
      new: "Waiting for the other participant…",
      connecting: "Connecting the call…",
      connected: "",
      disconnected: "The call dropped: reconnecting…",
      failed: "The call failed: retrying…",
      closed: this.ended ? "The call has ended." : "Waiting for the other participant…",
    };
    this.ui.status.textContent = [text[state] ?? "", this.mediaNote].filter(Boolean).join(" ");
    this.ui.status.dataset.state = state;
    this.ui.mic.disabled = this.ended || !this.local?.getAudioTracks().length;
    this.ui.camera.disabled = this.ended || !this.local?.getVideoTracks().length;
  }
}
