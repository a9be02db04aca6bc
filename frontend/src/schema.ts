/**
 * The whiteboard document schema of docs/whiteboard.md, as plain TypeScript values, and the checks
 * that turn what a peer wrote into them (a malformed element is skipped, never drawn half-way).
 */

export const PAGE_WIDTH = 1000;
export const DEFAULT_PAGE_ID = "p1";

export interface Background {
  material: number;
  page: number;
  src: string;
  width: number;
  height: number;
}

export interface Page {
  id: string;
  title: string;
  background: Background | null;
}

interface Common {
  id: string;
  page: string;
  author: number;
  createdAt: number;
  z: number;
}

export type StrokeTool = "pen" | "highlighter";
export type ShapeKind = "line" | "arrow" | "rect" | "ellipse";

export interface Stroke extends Common {
  type: "stroke";
  points: number[];
  color: string;
  width: number;
  tool: StrokeTool;
}

export interface Shape extends Common {
  type: "shape";
  shape: ShapeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  width: number;
  fill?: string;
}

export interface Text extends Common {
  type: "text";
  x: number;
  y: number;
  text: string;
  color: string;
  size: number;
}

export interface Formula extends Common {
  type: "formula";
  x: number;
  y: number;
  latex: string;
  color: string;
  size: number;
}

export interface Image extends Common {
  type: "image";
  x: number;
  y: number;
  w: number;
  h: number;
  material: number;
  materialPage: number;
  src: string;
}

export type Element = Stroke | Shape | Text | Formula | Image;

/** What a tool hands the board: the board adds `id`, `author`, `createdAt` and `z`. */
export type NewElement =
  | Omit<Stroke, keyof Common | "page">
  | Omit<Shape, keyof Common | "page">
  | Omit<Text, keyof Common | "page">
  | Omit<Formula, keyof Common | "page">
  | Omit<Image, keyof Common | "page">;

type Json = Record<string, unknown>;

const COLOR = /^#[0-9a-fA-F]{6}$/;
/** Images come from the lesson materials only: a peer cannot make the others load another address. */
const MATERIAL_SRC = /^\/api\/v1\/classroom\/materials\/\d+\/pages\/\d+\/$/;
const SHAPES: readonly string[] = ["line", "arrow", "rect", "ellipse"];

const num = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const str = (value: unknown): value is string => typeof value === "string";
const color = (value: unknown): string => (str(value) && COLOR.test(value) ? value : "#000000");

/** The element stored under `id`, or null when it does not follow the schema. */
export function parseElement(id: string, raw: Json): Element | null {
  if (!str(raw.page)) return null;
  const common: Common = {
    id,
    page: raw.page,
    author: num(raw.author) ? raw.author : 0,
    createdAt: num(raw.createdAt) ? raw.createdAt : 0,
    z: num(raw.z) ? raw.z : 0,
  };
  switch (raw.type) {
    case "stroke": {
      const points = raw.points;
      if (!Array.isArray(points) || points.length < 2 || !points.every(num) || !num(raw.width)) return null;
      const tool: StrokeTool = raw.tool === "highlighter" ? "highlighter" : "pen";
      return { ...common, type: "stroke", points: points as number[], color: color(raw.color), width: raw.width, tool };
    }
    case "shape": {
      if (!str(raw.shape) || !SHAPES.includes(raw.shape)) return null;
      if (!num(raw.x) || !num(raw.y) || !num(raw.w) || !num(raw.h) || !num(raw.width)) return null;
      const shape: Shape = {
        ...common,
        type: "shape",
        shape: raw.shape as ShapeKind,
        x: raw.x,
        y: raw.y,
        w: raw.w,
        h: raw.h,
        color: color(raw.color),
        width: raw.width,
      };
      if (str(raw.fill) && COLOR.test(raw.fill)) shape.fill = raw.fill;
      return shape;
    }
    case "text":
      if (!num(raw.x) || !num(raw.y) || !str(raw.text) || !num(raw.size)) return null;
      return { ...common, type: "text", x: raw.x, y: raw.y, text: raw.text, color: color(raw.color), size: raw.size };
    case "formula":
      if (!num(raw.x) || !num(raw.y) || !str(raw.latex) || !num(raw.size)) return null;
      return {
        ...common,
        type: "formula",
        x: raw.x,
        y: raw.y,
        latex: raw.latex,
        color: color(raw.color),
        size: raw.size,
      };
    case "image":
      if (!num(raw.x) || !num(raw.y) || !num(raw.w) || !num(raw.h) || !str(raw.src)) return null;
      if (!MATERIAL_SRC.test(raw.src)) return null;
      return {
        ...common,
        type: "image",
        x: raw.x,
        y: raw.y,
        w: raw.w,
        h: raw.h,
        material: num(raw.material) ? raw.material : 0,
        materialPage: num(raw.materialPage) ? raw.materialPage : 0,
        src: raw.src,
      };
    default:
      return null;
  }
}

export function parsePage(raw: Json, index: number): Page | null {
  if (!str(raw.id)) return null;
  const bg = raw.background as Json | undefined;
  const background =
    bg && typeof bg === "object" && str(bg.src) && MATERIAL_SRC.test(bg.src) && num(bg.width) && num(bg.height) && bg.width > 0 && bg.height > 0
      ? {
          material: num(bg.material) ? bg.material : 0,
          page: num(bg.page) ? bg.page : 0,
          src: bg.src,
          width: bg.width,
          height: bg.height,
        }
      : null;
  return { id: raw.id, title: str(raw.title) ? raw.title : `Page ${index + 1}`, background };
}
