/** Where elements are: bounding boxes and hit tests for the eraser (board units). */

import type { Element, Formula, Text } from "./schema";

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Measures a line of text at a font size (the renderer's canvas does it). */
export type Measure = (text: string, size: number, monospace: boolean) => number;

export const FORMULA_PADDING = 6;
export const LINE_HEIGHT = 1.25;

export function textBox(element: Text | Formula, measure: Measure): Box {
  const formula = element.type === "formula";
  const lines = (formula ? element.latex : element.text).split("\n");
  const width = Math.max(1, ...lines.map((line) => measure(line, element.size, formula)));
  const height = lines.length * element.size * LINE_HEIGHT;
  const pad = formula ? FORMULA_PADDING : 0;
  return { x: element.x, y: element.y, w: width + 2 * pad, h: height + 2 * pad };
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function inBox(px: number, py: number, box: Box, margin: number): boolean {
  const x0 = Math.min(box.x, box.x + box.w) - margin;
  const y0 = Math.min(box.y, box.y + box.h) - margin;
  return px >= x0 && py >= y0 && px <= x0 + Math.abs(box.w) + 2 * margin && py <= y0 + Math.abs(box.h) + 2 * margin;
}

/** Whether the point (px, py) touches the element, within `tolerance` board units. */
export function hits(element: Element, px: number, py: number, tolerance: number, measure: Measure): boolean {
  switch (element.type) {
    case "stroke": {
      const reach = element.width / 2 + tolerance;
      const p = element.points;
      if (p.length < 4) return Math.hypot(px - p[0], py - p[1]) <= reach;
      for (let i = 0; i + 3 < p.length; i += 2) {
        if (segmentDistance(px, py, p[i], p[i + 1], p[i + 2], p[i + 3]) <= reach) return true;
      }
      return false;
    }
    case "shape": {
      const reach = element.width / 2 + tolerance;
      const { x, y, w, h } = element;
      if (element.shape === "line" || element.shape === "arrow") {
        return segmentDistance(px, py, x, y, x + w, y + h) <= reach;
      }
      if (element.shape === "rect") {
        if (element.fill && inBox(px, py, element, 0)) return true;
        const x1 = x + w;
        const y1 = y + h;
        return (
          segmentDistance(px, py, x, y, x1, y) <= reach ||
          segmentDistance(px, py, x1, y, x1, y1) <= reach ||
          segmentDistance(px, py, x1, y1, x, y1) <= reach ||
          segmentDistance(px, py, x, y1, x, y) <= reach
        );
      }
      const rx = Math.abs(w) / 2;
      const ry = Math.abs(h) / 2;
      if (rx < 0.5 || ry < 0.5) return segmentDistance(px, py, x, y, x + w, y + h) <= reach;
      const r = Math.hypot((px - (x + w / 2)) / rx, (py - (y + h / 2)) / ry);
      return (element.fill !== undefined && r <= 1) || Math.abs(r - 1) * Math.min(rx, ry) <= reach;
    }
    case "text":
    case "formula":
      return inBox(px, py, textBox(element, measure), tolerance);
    case "image":
      return inBox(px, py, element, tolerance);
  }
}
