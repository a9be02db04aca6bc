/**
 * Lesson materials (tutor): upload a PDF or an image, list them, and put a page on the board, either as
 * an image element or as the current page's background. The board holds references, never binaries.
 */

import type { Board } from "./board";
import { cookie, el } from "./dom";
import type { Renderer } from "./render";
import { PAGE_WIDTH } from "./schema";

interface MaterialPage {
  number: number;
  width: number;
  height: number;
  url: string;
}

interface Material {
  id: number;
  kind: string;
  name: string;
  size: number;
  status: "processing" | "ready" | "failed" | string;
  pages: MaterialPage[];
}

const POLL_MS = 2000;
const IMAGE_WIDTH = 600;

export class Materials {
  private readonly url: string;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private readonly input: HTMLInputElement;
  private poll = 0;

  constructor(
    sessionId: number,
    private readonly board: Board,
    private readonly renderer: Renderer,
    container: HTMLElement,
  ) {
    this.url = `/api/v1/classroom/sessions/${sessionId}/materials/`;
    this.input = el("input", {
      type: "file",
      id: "material-file",
      accept: "application/pdf,image/png,image/jpeg,image/webp",
    });
    this.input.addEventListener("change", () => void this.upload());
    this.note = el("p", { class: "muted small", role: "status" });
    this.list = el("ul", { class: "material-list", id: "material-list" });
    const clear = el("button", { type: "button", class: "secondary small", id: "clear-background" }, "No background");
    clear.title = "Take the material off the current page's background";
    clear.addEventListener("click", () => this.board.setBackground(this.renderer.pageId, null));
    container.append(
      el("h2", {}, "Materials"),
      el("label", { class: "button secondary upload", for: "material-file" }, "Upload PDF or image"),
      this.input,
      clear,
      this.note,
      this.list,
    );
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    window.clearTimeout(this.poll);
    let materials: Material[];
    try {
      const response = await fetch(this.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const body: unknown = await response.json();
      // a plain list, or a page of results
      materials = Array.isArray(body) ? body : ((body as { results?: Material[] }).results ?? []);
    } catch {
      this.note.textContent = "Could not load the materials.";
      return;
    }
    this.render(materials);
    if (materials.some((material) => material.status === "processing")) {
      this.poll = window.setTimeout(() => void this.refresh(), POLL_MS);
    }
  }

  private async upload(): Promise<void> {
    const file = this.input.files?.[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    this.note.textContent = `Uploading ${file.name}…`;
    try {
      const response = await fetch(this.url, {
        method: "POST",
        body: form,
        credentials: "same-origin",
        headers: { "X-CSRFToken": cookie("csrftoken") ?? "", Accept: "application/json" },
      });
      if (!response.ok) {
        // the API's error shape: {message, code, extra: {fields: {file: [{message, code}]}}}
        const error = (await response.json().catch(() => ({}))) as {
          message?: string;
          extra?: { fields?: Record<string, { message?: string }[]> };
        };
        const field = error.extra?.fields?.file?.[0]?.message;
        throw new Error(field ?? error.message ?? `the server answered ${response.status}`);
      }
      this.note.textContent = `${file.name} uploaded.`;
    } catch (error) {
      this.note.textContent = `Upload failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.input.value = "";
    }
    await this.refresh();
  }

  private render(materials: Material[]): void {
    this.list.replaceChildren(
      ...materials.map((material) =>
        el(
          "li",
          { "data-material": String(material.id) },
          el("div", { class: "material-name" }, material.name, " ", el("span", { class: "muted" }, status(material))),
          material.status === "ready"
            ? el("div", { class: "material-pages" }, ...material.pages.map((page) => this.pageCard(material, page)))
            : null,
        ),
      ),
    );
    if (!materials.length) this.list.append(el("li", { class: "muted" }, "No materials yet."));
  }

  private pageCard(material: Material, page: MaterialPage): HTMLElement {
    const insert = el("button", { type: "button", class: "secondary small", title: "Put it on the board" }, "Insert");
    insert.addEventListener("click", () => this.insert(material, page));
    const background = el("button", { type: "button", class: "secondary small", title: "Draw over it" }, "Background");
    background.addEventListener("click", () => this.setBackground(material, page));
    return el(
      "figure",
      { class: "material-page" },
      el("img", { src: page.url, alt: `${material.name}, page ${page.number}`, loading: "lazy" }),
      el("figcaption", {}, `p. ${page.number}`),
      el("div", { class: "material-actions" }, insert, background),
    );
  }

  /** An image element in the middle of the current page, 600 units wide at most. */
  private insert(material: Material, page: MaterialPage): void {
    const w = Math.min(IMAGE_WIDTH, page.width || IMAGE_WIDTH);
    const h = Math.round((w * (page.height || w)) / (page.width || w));
    this.board.add(this.renderer.pageId, {
      type: "image",
      x: Math.round((PAGE_WIDTH - w) / 2),
      y: 40,
      w,
      h,
      material: material.id,
      materialPage: page.number,
      src: page.url,
    });
  }

  private setBackground(material: Material, page: MaterialPage): void {
    this.board.setBackground(this.renderer.pageId, {
      material: material.id,
      page: page.number,
      src: page.url,
      width: page.width,
      height: page.height,
    });
  }
}

function status(material: Material): string {
  if (material.status === "processing") return "(processing…)";
  if (material.status === "failed") return "(could not be read)";
  return `(${material.pages.length} page${material.pages.length === 1 ? "" : "s"})`;
}
