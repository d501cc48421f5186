// A drag on the annotator's stage until the kernel answers it: the queue of the gestures sent and not
// answered yet (stage_gestures.js sends them), and the outline previewed for a drag from what the kernel
// said it grabbed.
// @ts-check

/**
 * @typedef {import("./annotator_stage.js").Grab} Grab
 * @typedef {import("./annotator_stage.js").Handle} Handle
 */

/**
 * A drag the kernel has not answered yet: where it began (x0, y0), is (x, y) and last panned (px, py).
 * @typedef {{id: number, x0: number, y0: number, x: number, y: number, px: number, py: number,
 *   grab: Grab | null, done: boolean}} Gesture
 */

/** @type {Record<Handle, string[]>} */
const HANDLE_EDGES = {
  nw: ["l", "t"], n: ["t"], ne: ["r", "t"], e: ["r"],
  se: ["r", "b"], s: ["b"], sw: ["l", "b"], w: ["l"],
};

/**
 * The rectangle to preview for a drag from (x0, y0) to (x, y), in canvas pixels.
 * @param {Pick<Grab, "mode" | "rect">} grab
 * @param {number} x0
 * @param {number} y0
 * @param {number} x
 * @param {number} y
 * @returns {number[]}
 */
export function previewRect(grab, x0, y0, x, y) {
  if (grab.mode === "new") return [x0, y0, x, y];
  const [l, t, r, b] = /** @type {number[]} */ (grab.rect);  // a grabbed box comes with its rect
  const dx = x - x0, dy = y - y0;
  if (grab.mode === "move") return [l + dx, t + dy, r + dx, b + dy];
  const edges = HANDLE_EDGES[/** @type {keyof typeof HANDLE_EDGES} */ (grab.mode)] || [];
  return [
    edges.includes("l") ? x : l, edges.includes("t") ? y : t,
    edges.includes("r") ? x : r, edges.includes("b") ? y : b,
  ];
}

/**
 * A turned box's corners (top-left, top-right, bottom-right, bottom-left before it was turned) with its
 * sides `edges` ("l", "t", "r", "b") moved along the box's own axes to pass through (x, y); the opposite
 * sides stay where they are.
 * @param {number[][]} corners
 * @param {string[]} edges
 * @param {number} x
 * @param {number} y
 * @returns {number[][]}
 */
function resizedCorners(corners, edges, x, y) {
  /** @type {(a: number[], b: number[]) => number[] | null} */
  const direction = (a, b) => {
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    return length ? [(b[0] - a[0]) / length, (b[1] - a[1]) / length] : null;
  };
  const along = direction(corners[0], corners[1]);
  const down = direction(corners[0], corners[3]) || (along ? [-along[1], along[0]] : [0, 1]);
  const u = along || [down[1], -down[0]];
  /** @type {Record<string, [number[], number[]]>} */
  const sides = { l: [[0, 3], u], r: [[1, 2], u], t: [[0, 1], down], b: [[2, 3], down] };
  const out = corners.map((p) => [...p]);
  for (const edge of edges) {
    const [on, [ax, ay]] = sides[edge];
    const [px, py] = corners[on[0]];
    const shift = (x - px) * ax + (y - py) * ay;
    for (const i of on) out[i] = [out[i][0] + shift * ax, out[i][1] + shift * ay];
  }
  return out;
}

// An ellipse's radius is dragged no smaller than this (canvas pixels; the kernel keeps 1 image pixel).
const MIN_RADIUS_PX = 1;

/**
 * The outline to preview for a drag of a shape grabbed as a path (`kind` "path"), from (x0, y0) to (x, y):
 * moved, its vertex `index` dragged, a vertex added after `index`, turned about `centre`, stretched
 * along `axis` (from `centre` to the end of the radius dragged: that radius grows by the drag along it),
 * or a turned box's corner or edge (`mode` "nw" ... "w") dragged to (x, y) along the box's axes.
 * @param {Pick<Grab, "mode" | "points" | "index" | "centre" | "axis">} grab
 * @param {number} x0
 * @param {number} y0
 * @param {number} x
 * @param {number} y
 * @returns {number[][]}
 */
export function previewPoints(grab, x0, y0, x, y) {
  const points = (grab.points || []).map((p) => [...p]);
  const dx = x - x0, dy = y - y0;
  const index = grab.index ?? -1;
  if (grab.mode === "move") return points.map(([px, py]) => [px + dx, py + dy]);
  if (grab.mode === "vertex" && points[index]) points[index] = [points[index][0] + dx, points[index][1] + dy];
  if (grab.mode === "insert") points.splice(index + 1, 0, [x, y]);
  if (grab.mode === "rotate" && grab.centre) {
    const [cx, cy] = grab.centre;
    const turn = Math.atan2(y - cy, x - cx) - Math.atan2(y0 - cy, x0 - cx);
    const c = Math.cos(turn), s = Math.sin(turn);
    return points.map(([px, py]) => [cx + (px - cx) * c - (py - cy) * s, cy + (px - cx) * s + (py - cy) * c]);
  }
  const edges = HANDLE_EDGES[/** @type {keyof typeof HANDLE_EDGES} */ (grab.mode)];
  if (edges && points.length === 4) return resizedCorners(points, edges, x, y);
  if (grab.mode === "radius" && grab.centre && grab.axis) {
    const [cx, cy] = grab.centre;
    const radius = Math.hypot(grab.axis[0], grab.axis[1]);
    if (!radius) return points;
    const ux = grab.axis[0] / radius, uy = grab.axis[1] / radius;
    const stretch = Math.max(Math.abs(radius + dx * ux + dy * uy), MIN_RADIUS_PX) / radius - 1;
    return points.map(([px, py]) => {
      const along = ((px - cx) * ux + (py - cy) * uy) * stretch;
      return [px + along * ux, py + along * uy];
    });
  }
  return points;
}

export class GestureQueue {
  // The gestures the kernel has not answered yet, oldest first. The newest may still be in progress
  // (pointer down); the others are finished and wait for the kernel's "committed" reply.
  constructor() {
    /** @type {Gesture[]} */
    this.pending = [];
    this.nextId = 1;
  }

  get active() {
    // The gesture the pointer is drawing now, or null.
    const last = this.pending[this.pending.length - 1];
    return last && !last.done ? last : null;
  }

  /**
   * @param {number} x
   * @param {number} y
   * @returns {{gesture: Gesture, finished: Gesture | null}}
   */
  begin(x, y) {
    // A new gesture at (x, y); one still in progress (its pointer-up was missed) is finished first and
    // returned as `finished`, so that its end can be sent too.
    const finished = this.active ? this.end(this.active.x, this.active.y) : null;
    /** @type {Gesture} */
    const gesture = { id: this.nextId++, x0: x, y0: y, x, y, px: x, py: y, grab: null, done: false };
    this.pending.push(gesture);
    return { gesture, finished };
  }

  /**
   * @param {number} x
   * @param {number} y
   */
  move(x, y) {
    const gesture = this.active;
    if (gesture) [gesture.x, gesture.y] = [x, y];
    return gesture;
  }

  /**
   * @param {number} x
   * @param {number} y
   * @returns {Gesture | null}
   */
  end(x, y) {
    // The pointer is up: the active gesture is finished and waits for its reply.
    const gesture = this.active;
    if (!gesture) return null;
    [gesture.x, gesture.y] = [x, y];
    gesture.done = true;
    return gesture;
  }

  cancel() {
    // Esc: the gesture in progress is dropped, never sent as ended; returns it, or null.
    const gesture = this.active;
    if (gesture) this.pending.pop();
    return gesture;
  }

  /** @param {number} id */
  find(id) {
    return this.pending.find((g) => g.id === id) || null;
  }

  /** @param {Grab} message */
  grab(message) {
    // The kernel's answer to a gesture's start: what the gesture does (draw, move, resize, pan).
    const gesture = this.find(message.id);
    if (gesture) gesture.grab = message;
    return gesture;
  }

  /**
   * @param {number} id
   * @returns {Gesture | null}
   */
  commit(id) {
    // The kernel has applied (and drawn) gesture `id`: only that gesture leaves the queue.
    const index = this.pending.findIndex((g) => g.id === id);
    if (index < 0) return null;
    return this.pending.splice(index, 1)[0];
  }
}
