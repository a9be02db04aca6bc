/** The drawing tools: the toolbar, pointer input on the canvas, the text/formula editor, shortcuts. */

import type { Board } from "./board";
import { el } from "./dom";
import { hits } from "./geometry";
import type { Renderer } from "./render";
import { PAGE_WIDTH, type Shape, type ShapeKind, type Stroke } from "./schema";

export type Tool = "pen" | "highlighter" | "line" | "arrow" | "rect" | "ellipse" | "text" | "formula" | "eraser";

const TOOLS: { tool: Tool; label: string; title: string }[] = [
  { tool: "pen", label: "✎", title: "Pen" },
  { tool: "highlighter", label: "▮", title: "Highlighter" },
  { tool: "line", label: "╱", title: "Line" },
  { tool: "arrow", label: "➚", title: "Arrow" },
  { tool: "rect", label: "▭", title: "Rectangle" },
  { tool: "ellipse", label: "◯", title: "Ellipse" },
  { tool: "text", label: "T", title: "Text" },
  { tool: "formula", label: "∑", title: "Formula (LaTeX)" },
  { tool: "eraser", label: "⌫", title: "Eraser: removes what it touches" },
];
const SWATCHES = ["#1d2330", "#e03131", "#2f9e44", "#1971c2", "#f08c00", "#ae3ec9"];
const ERASER_TOLERANCE = 6;
const CURSOR_INTERVAL_MS = 50; // awareness updates stay well under the socket's message limit

const round = (value: number): number => Math.round(value * 10) / 10;

export class Tools {
  tool: Tool = "pen";
  color = SWATCHES[0];
  width = 3;
  fill = false;
  enabled = true;
  private start: { x: number; y: number } | null = null;
  private points: number[] = [];
  private lastCursor = 0;
  private editor: HTMLTextAreaElement | null = null;
  private readonly buttons = new Map<Tool, HTMLButtonElement>();
  private undoButton!: HTMLButtonElement;
  private redoButton!: HTMLButtonElement;

  constructor(
    private readonly board: Board,
    private readonly renderer: Renderer,
    toolbar: HTMLElement,
  ) {
    this.buildToolbar(toolbar);
    const canvas = renderer.canvas;
    canvas.addEventListener("pointerdown", (event) => this.down(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    canvas.addEventListener("pointerup", (event) => this.up(event));
    canvas.addEventListener("pointercancel", () => this.cancel());
    canvas.addEventListener("pointerleave", () => this.board.setCursor(null));
    document.addEventListener("keydown", (event) => this.shortcut(event));
    board.subscribe(() => this.refreshButtons());
  }

  // --- toolbar ---------------------------------------------------------------------------------

  private buildToolbar(toolbar: HTMLElement): void {
    const tools = el("div", { class: "tool-group", role: "group", "aria-label": "Tools" });
    for (const { tool, label, title } of TOOLS) {
      const button = el("button", { type: "button", class: "tool", title, "aria-label": title, "data-tool": tool }, label);
      button.addEventListener("click", () => this.select(tool));
      this.buttons.set(tool, button);
      tools.append(button);
    }
    const colors = el("div", { class: "tool-group", role: "group", "aria-label": "Colour" });
    const picker = el("input", { type: "color", value: this.color, title: "Colour", id: "tool-color" });
    picker.addEventListener("input", () => this.setColor(picker.value, picker));
    for (const swatch of SWATCHES) {
      const button = el("button", { type: "button", class: "swatch", title: swatch, "aria-label": `Colour ${swatch}` });
      button.style.background = swatch;
      button.addEventListener("click", () => this.setColor(swatch, picker));
      colors.append(button);
    }
    colors.append(picker);
    const width = el("input", { type: "range", min: "1", max: "24", value: String(this.width), id: "tool-width" });
    width.title = "Width";
    width.addEventListener("input", () => (this.width = Number(width.value)));
    const fill = el("input", { type: "checkbox", id: "tool-fill" });
    fill.addEventListener("change", () => (this.fill = fill.checked));
    const sizes = el(
      "div",
      { class: "tool-group" },
      el("label", { class: "inline-label", for: "tool-width" }, "Width"),
      width,
      el("label", { class: "inline-label", for: "tool-fill" }, fill, " Fill"),
    );
    this.undoButton = el("button", { type: "button", class: "tool", title: "Undo (Ctrl+Z)", id: "undo" }, "↶");
    this.redoButton = el("button", { type: "button", class: "tool", title: "Redo (Ctrl+Shift+Z)", id: "redo" }, "↷");
    this.undoButton.addEventListener("click", () => this.board.undo());
    this.redoButton.addEventListener("click", () => this.board.redo());
    const history = el("div", { class: "tool-group" }, this.undoButton, this.redoButton);
    toolbar.append(tools, colors, sizes, history);
    this.select("pen");
  }

  select(tool: Tool): void {
    this.commitEditor();
    this.tool = tool;
    for (const [name, button] of this.buttons) button.classList.toggle("active", name === tool);
    this.renderer.canvas.dataset.tool = tool;
  }

  private setColor(color: string, picker: HTMLInputElement): void {
    this.color = color;
    picker.value = color;
  }

  private refreshButtons(): void {
    this.undoButton.disabled = !this.enabled || this.board.undoManager.undoStack.length === 0;
    this.redoButton.disabled = !this.enabled || this.board.undoManager.redoStack.length === 0;
  }

  /** The lesson ended: the board can be looked at, not changed. */
  disable(): void {
    this.commitEditor();
    this.enabled = false;
    this.cancel();
    this.renderer.canvas.dataset.tool = "none";
    for (const button of this.buttons.values()) button.disabled = true;
    this.refreshButtons();
  }

  // --- pointer input ---------------------------------------------------------------------------

  /** The event's position in board units. */
  private at(event: PointerEvent | MouseEvent): { x: number; y: number } {
    const rect = this.renderer.canvas.getBoundingClientRect();
    const unit = rect.width / PAGE_WIDTH;
    return { x: round((event.clientX - rect.left) / unit), y: round((event.clientY - rect.top) / unit) };
  }

  private down(event: PointerEvent): void {
    if (!this.enabled || event.button !== 0) return;
    const point = this.at(event);
    if (this.tool === "text" || this.tool === "formula") {
      event.preventDefault(); // keep the focus for the editor
      this.openEditor(point.x, point.y);
      return;
    }
    this.commitEditor();
    this.renderer.canvas.setPointerCapture(event.pointerId);
    this.start = point;
    this.points = [point.x, point.y];
    if (this.tool === "eraser") this.erase(point.x, point.y);
    this.updatePreview(point);
  }

  private move(event: PointerEvent): void {
    const point = this.at(event);
    const now = performance.now();
    if (now - this.lastCursor >= CURSOR_INTERVAL_MS) {
      this.lastCursor = now;
      this.board.setCursor({ x: point.x, y: point.y, page: this.renderer.pageId });
    }
    if (!this.start) return;
    if (this.tool === "eraser") {
      this.erase(point.x, point.y);
      return;
    }
    const n = this.points.length;
    if (Math.hypot(point.x - this.points[n - 2], point.y - this.points[n - 1]) >= 1.5) {
      this.points.push(point.x, point.y);
    }
    this.updatePreview(point);
  }

  private up(event: PointerEvent): void {
    if (!this.start) return;
    const point = this.at(event);
    if (this.tool !== "eraser") {
      const n = this.points.length;
      if (point.x !== this.points[n - 2] || point.y !== this.points[n - 1]) this.points.push(point.x, point.y);
      this.updatePreview(point);
      const element = this.renderer.preview;
      if (element?.type === "stroke") this.board.add(this.renderer.pageId, strokeProps(element));
      if (element?.type === "shape" && Math.hypot(element.w, element.h) >= 2) {
        this.board.add(this.renderer.pageId, shapeProps(element));
      }
    }
    this.cancel();
  }

  private cancel(): void {
    this.start = null;
    this.points = [];
    this.renderer.preview = null;
    this.renderer.request();
  }

  private updatePreview(point: { x: number; y: number }): void {
    const start = this.start;
    if (!start) return;
    const common = { id: "preview", page: this.renderer.pageId, author: 0, createdAt: 0, z: 0 };
    if (this.tool === "pen" || this.tool === "highlighter") {
      const highlighter = this.tool === "highlighter";
      this.renderer.preview = {
        ...common,
        type: "stroke",
        points: this.points.slice(),
        color: this.color,
        width: highlighter ? this.width * 4 : this.width,
        tool: this.tool,
      };
    } else if (this.tool === "line" || this.tool === "arrow" || this.tool === "rect" || this.tool === "ellipse") {
      const box = this.tool === "line" || this.tool === "arrow" ? directed(start, point) : normalised(start, point);
      this.renderer.preview = {
        ...common,
        type: "shape",
        shape: this.tool as ShapeKind,
        ...box,
        color: this.color,
        width: this.width,
        ...(this.fill && (this.tool === "rect" || this.tool === "ellipse") ? { fill: this.color } : {}),
      };
    }
    this.renderer.request();
  }

  private erase(x: number, y: number): void {
    const elements = this.board.elementsOn(this.renderer.pageId);
    for (let i = elements.length - 1; i >= 0; i--) {
      if (hits(elements[i], x, y, ERASER_TOLERANCE, this.renderer.measure)) {
        this.board.remove(elements[i].id);
        return;
      }
    }
  }

  // --- text and formula editor ------------------------------------------------------------------

  private openEditor(x: number, y: number): void {
    this.commitEditor();
    const formula = this.tool === "formula";
    const size = Math.round(14 + this.width * 2);
    const scale = this.renderer.scale;
    const editor = el("textarea", {
      class: `board-editor${formula ? " formula" : ""}`,
      rows: "1",
      placeholder: formula ? "LaTeX, e.g. \\frac{a}{b}" : "Text",
      "aria-label": formula ? "Formula (LaTeX)" : "Text",
    });
    editor.style.left = `${x * scale}px`;
    editor.style.top = `${y * scale}px`;
    editor.style.fontSize = `${size * scale}px`;
    editor.style.color = this.color;
    editor.dataset.x = String(x);
    editor.dataset.y = String(y);
    editor.dataset.size = String(size);
    editor.dataset.kind = formula ? "formula" : "text";
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        this.commitEditor();
      } else if (event.key === "Escape") {
        this.closeEditor();
      }
      event.stopPropagation();
    });
    editor.addEventListener("blur", () => this.commitEditor());
    this.renderer.canvas.parentElement?.append(editor);
    this.editor = editor;
    editor.focus();
  }

  private commitEditor(): void {
    const editor = this.editor;
    if (!editor) return;
    this.closeEditor();
    const value = editor.value.replace(/\s+$/, "");
    if (!value.trim() || !this.enabled) return;
    const x = Number(editor.dataset.x);
    const y = Number(editor.dataset.y);
    const size = Number(editor.dataset.size);
    const pageId = this.renderer.pageId;
    if (editor.dataset.kind === "formula") {
      this.board.add(pageId, { type: "formula", x, y, latex: value, color: this.color, size });
    } else {
      this.board.add(pageId, { type: "text", x, y, text: value, color: this.color, size });
    }
  }

  private closeEditor(): void {
    const editor = this.editor;
    this.editor = null;
    editor?.remove();
  }

  private shortcut(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (!this.enabled || target?.closest("input, textarea, select, [contenteditable]")) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === "z") {
      event.preventDefault();
      if (event.shiftKey) this.board.redo();
      else this.board.undo();
    } else if (mod && key === "y") {
      event.preventDefault();
      this.board.redo();
    }
  }
}

function directed(a: { x: number; y: number }, b: { x: number; y: number }) {
  return { x: a.x, y: a.y, w: round(b.x - a.x), h: round(b.y - a.y) };
}

function normalised(a: { x: number; y: number }, b: { x: number; y: number }) {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: round(Math.abs(b.x - a.x)), h: round(Math.abs(b.y - a.y)) };
}

function strokeProps(stroke: Stroke) {
  const points = stroke.points.length >= 4 ? stroke.points : [...stroke.points, ...stroke.points]; // a dot
  return { type: "stroke" as const, points, color: stroke.color, width: stroke.width, tool: stroke.tool };
}

function shapeProps(shape: Shape) {
  const { x, y, w, h, color, width, fill } = shape;
  return { type: "shape" as const, shape: shape.shape, x, y, w, h, color, width, ...(fill ? { fill } : {}) };
}
