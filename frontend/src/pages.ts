/** The page list above the board: switch page, add a page; a dot marks where the others are. */

import type { Board } from "./board";
import { el } from "./dom";
import type { Renderer } from "./render";

export class PageBar {
  private readonly list: HTMLElement;
  private readonly addButton: HTMLButtonElement;
  private rendered = "";

  constructor(
    private readonly board: Board,
    private readonly renderer: Renderer,
    container: HTMLElement,
  ) {
    this.list = el("div", { class: "page-list", role: "tablist", "aria-label": "Pages" });
    this.addButton = el("button", { type: "button", class: "secondary", id: "add-page", title: "Add a page" }, "+ Page");
    this.addButton.addEventListener("click", () => this.show(this.board.addPage()));
    container.append(this.list, this.addButton);
    board.subscribe(() => this.update());
    this.update();
  }

  /** Switch to a page; the others see this client's cursor move there. */
  show(pageId: string): void {
    this.renderer.pageId = pageId;
    this.board.setCursor(null);
    this.renderer.request();
    this.update();
  }

  disable(): void {
    this.addButton.disabled = true;
  }

  private update(): void {
    const pages = this.board.pages();
    if (!pages.some((page) => page.id === this.renderer.pageId)) {
      this.renderer.pageId = pages[0].id; // the page shown was removed, or "p1" got its real id
    }
    const elsewhere = new Set(this.board.peers().map((peer) => peer.cursor?.page));
    const key = JSON.stringify([pages.map((p) => [p.id, p.title]), this.renderer.pageId, [...elsewhere]]);
    if (key === this.rendered) return; // the list did not change: keep the DOM (and focus) as it is
    this.rendered = key;
    this.list.replaceChildren(
      ...pages.map((page) => {
        const current = page.id === this.renderer.pageId;
        const button = el(
          "button",
          {
            type: "button",
            class: `page-tab${current ? " active" : ""}`,
            role: "tab",
            "aria-selected": String(current),
            "data-page": page.id,
          },
          page.title,
          elsewhere.has(page.id) && !current ? el("span", { class: "peer-dot", title: "Someone is here" }) : null,
        );
        button.addEventListener("click", () => this.show(page.id));
        return button;
      }),
    );
  }
}
