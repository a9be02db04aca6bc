/** Draws one page of the board on a canvas: background, elements, the stroke being drawn, cursors. */

import type { Board } from "./board";
import { FORMULA_PADDING, LINE_HEIGHT, type Measure, textBox } from "./geometry";
import { type Element, type Formula, type Page, PAGE_WIDTH, type Shape, type Stroke, type Text } from "./schema";

/** A page is 1000 units wide and at least this tall (taller when its background is). */
export const MIN_PAGE_HEIGHT = 700;
const SANS = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const MONO = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace";

export function pageHeight(page: Page | undefined): number {
  const bg = page?.background;
  return bg ? Math.max(MIN_PAGE_HEIGHT, (PAGE_WIDTH * bg.height) / bg.width) : MIN_PAGE_HEIGHT;
}

export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly images = new Map<string, HTMLImageElement>();
  private frame = 0;
  /** CSS pixels per board unit. */
  scale = 1;
  pageId: string;
  /** The element a tool is drawing, not yet in the document. */
  preview: Element | null = null;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly board: Board,
    pageId: string,
  ) {
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    this.ctx = ctx;
    this.pageId = pageId;
    new ResizeObserver(() => this.request()).observe(canvas.parentElement ?? canvas);
  }

  readonly measure: Measure = (text, size, monospace) => {
    this.ctx.font = `${size}px ${monospace ? MONO : SANS}`;
    return this.ctx.measureText(text).width;
  };

  /** Redraw at the next animation frame (many changes, one paint). */
  request(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private image(src: string): HTMLImageElement {
    let image = this.images.get(src);
    if (!image) {
      image = new Image();
      image.onload = () => this.request();
      image.src = src;
      this.images.set(src, image);
    }
    return image;
  }

  private resize(page: Page | undefined): void {
    const width = (this.canvas.parentElement ?? this.canvas).clientWidth || PAGE_WIDTH;
    const height = pageHeight(page);
    this.scale = width / PAGE_WIDTH;
    const dpr = window.devicePixelRatio || 1;
    const pixelsW = Math.round(width * dpr);
    const pixelsH = Math.round(height * this.scale * dpr);
    if (this.canvas.width !== pixelsW || this.canvas.height !== pixelsH) {
      this.canvas.width = pixelsW;
      this.canvas.height = pixelsH;
      this.canvas.style.height = `${height * this.scale}px`;
    }
    this.ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, 0, 0);
  }

  draw(): void {
    this.frame = 0;
    const page = this.board.page(this.pageId);
    this.resize(page);
    const ctx = this.ctx;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, PAGE_WIDTH, pageHeight(page));
    if (page?.background) {
      const bg = page.background;
      const image = this.image(bg.src);
      if (image.complete && image.naturalWidth) {
        ctx.drawImage(image, 0, 0, PAGE_WIDTH, (PAGE_WIDTH * bg.height) / bg.width);
      }
    }
    for (const element of this.board.elementsOn(this.pageId)) this.element(element);
    if (this.preview) this.element(this.preview);
    this.cursors();
  }

  private element(element: Element): void {
    const ctx = this.ctx;
    ctx.save();
    switch (element.type) {
      case "stroke":
        this.stroke(element);
        break;
      case "shape":
        this.shape(element);
        break;
      case "text":
      case "formula":
        this.text(element);
        break;
      case "image": {
        const image = this.image(element.src);
        if (image.complete && image.naturalWidth) {
          ctx.drawImage(image, element.x, element.y, element.w, element.h);
        } else {
          ctx.strokeStyle = "#c4cad6";
          ctx.setLineDash([6, 6]);
          ctx.strokeRect(element.x, element.y, element.w, element.h);
        }
        break;
      }
    }
    ctx.restore();
  }

  private stroke(stroke: Stroke): void {
    const ctx = this.ctx;
    const p = stroke.points;
    ctx.strokeStyle = stroke.color;
    ctx.lineWidth = stroke.width;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    if (stroke.tool === "highlighter") {
      ctx.globalAlpha = 0.35;
      ctx.globalCompositeOperation = "multiply";
    }
    ctx.beginPath();
    ctx.moveTo(p[0], p[1]);
    if (p.length < 4) {
      ctx.lineTo(p[0] + 0.01, p[1]); // a dot
    } else {
      // quadratic curves through the midpoints: smooth, and still through the drawn points
      for (let i = 2; i + 3 < p.length; i += 2) {
        ctx.quadraticCurveTo(p[i], p[i + 1], (p[i] + p[i + 2]) / 2, (p[i + 1] + p[i + 3]) / 2);
      }
      ctx.lineTo(p[p.length - 2], p[p.length - 1]);
    }
    ctx.stroke();
  }

  private shape(shape: Shape): void {
    const ctx = this.ctx;
    const { x, y, w, h } = shape;
    ctx.strokeStyle = shape.color;
    ctx.lineWidth = shape.width;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    if (shape.shape === "rect") {
      ctx.rect(x, y, w, h);
    } else if (shape.shape === "ellipse") {
      ctx.ellipse(x + w / 2, y + h / 2, Math.abs(w) / 2, Math.abs(h) / 2, 0, 0, Math.PI * 2);
    } else {
      ctx.moveTo(x, y);
      ctx.lineTo(x + w, y + h);
      if (shape.shape === "arrow") {
        const angle = Math.atan2(h, w);
        const head = Math.max(10, shape.width * 4);
        for (const side of [-1, 1]) {
          ctx.moveTo(x + w, y + h);
          ctx.lineTo(x + w - head * Math.cos(angle + side * 0.45), y + h - head * Math.sin(angle + side * 0.45));
        }
      }
    }
    if (shape.fill && (shape.shape === "rect" || shape.shape === "ellipse")) {
      ctx.fillStyle = shape.fill;
      ctx.fill();
    }
    ctx.stroke();
  }

  private text(element: Text | Formula): void {
    const ctx = this.ctx;
    const formula = element.type === "formula";
    const lines = (formula ? element.latex : element.text).split("\n");
    if (formula) {
      // the LaTeX source in a monospace box (no math renderer in the bundle)
      const box = textBox(element, this.measure);
      ctx.fillStyle = "#f6f7fb";
      ctx.strokeStyle = "#c4cad6";
      ctx.lineWidth = 1;
      ctx.fillRect(box.x, box.y, box.w, box.h);
      ctx.strokeRect(box.x, box.y, box.w, box.h);
    }
    const pad = formula ? FORMULA_PADDING : 0;
    ctx.font = `${element.size}px ${formula ? MONO : SANS}`;
    ctx.fillStyle = element.color;
    ctx.textBaseline = "top";
    lines.forEach((line, i) => {
      ctx.fillText(line, element.x + pad, element.y + pad + i * element.size * LINE_HEIGHT);
    });
  }

  private cursors(): void {
    const ctx = this.ctx;
    for (const peer of this.board.peers()) {
      const cursor = peer.cursor;
      if (!cursor || cursor.page !== this.pageId || !Number.isFinite(cursor.x) || !Number.isFinite(cursor.y)) continue;
      const color = /^#[0-9a-fA-F]{6}$/.test(peer.user.color) ? peer.user.color : "#667085";
      ctx.save();
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(cursor.x, cursor.y);
      ctx.lineTo(cursor.x + 4, cursor.y + 16);
      ctx.lineTo(cursor.x + 8, cursor.y + 10);
      ctx.lineTo(cursor.x + 16, cursor.y + 8);
      ctx.closePath();
      ctx.fill();
      const label = String(peer.user.name || peer.user.role || "");
      if (label) {
        ctx.font = `12px ${SANS}`;
        const width = ctx.measureText(label).width + 8;
        ctx.fillRect(cursor.x + 12, cursor.y + 14, width, 17);
        ctx.fillStyle = "#ffffff";
        ctx.textBaseline = "top";
        ctx.fillText(label, cursor.x + 16, cursor.y + 16);
      }
      ctx.restore();
    }
  }
}
