// Polygons and polylines drawn click by click on the annotator's stage: each click adds a vertex here, with
// no message to the kernel; the finished shape goes in one message (stage_gestures.js sends it).
// @ts-check

// A click this close (canvas pixels) to the first vertex closes a polygon; a second click this close to
// the last vertex within DOUBLE_CLICK_MS is a double-click, which finishes the shape.
const CLOSE_PX = 8;
const DOUBLE_CLICK_MS = 400;

export class PathDraft {
  // The vertices of a polygon (`closed`) or polyline being drawn, in image pixels, and where the pointer is
  // (canvas pixels), for the rubber band to it.
  /** @param {boolean} closed */
  constructor(closed) {
    this.closed = closed;
    /** @type {number[][]} */
    this.points = [];
    /** @type {number[] | null} */
    this.pointer = null;
    this.lastClick = { t: -Infinity, x: NaN, y: NaN };
  }

  get isFinishable() {
    return this.points.length >= (this.closed ? 3 : 2);
  }

  /**
   * A click at canvas point (x, y), image point `at`, at time `t` (ms): "close" when it finishes the shape
   * (on the first vertex of a polygon, or the second click of a double-click), else "added".
   * @param {number} x
   * @param {number} y
   * @param {number[]} at
   * @param {number} t
   * @param {(p: number[]) => number[]} toCanvas
   * @returns {"close" | "added"}
   */
  click(x, y, at, t, toCanvas) {
    const near = (/** @type {number[]} */ p) => {
      const [px, py] = toCanvas(p);
      return Math.hypot(px - x, py - y) <= CLOSE_PX;
    };
    const last = this.lastClick;
    const isDouble = t - last.t <= DOUBLE_CLICK_MS && Math.hypot(last.x - x, last.y - y) <= CLOSE_PX;
    this.lastClick = { t, x, y };
    if (this.isFinishable && (isDouble || (this.closed && near(this.points[0])))) return "close";
    if (isDouble) return "added";  // a double-click too early to finish adds nothing more
    this.points.push(at);
    return "added";
  }

  /** Backspace: the last vertex goes; false when there was none. */
  removeLast() {
    return this.points.pop() !== undefined;
  }
}

/**
 * Draw a polygon or polyline's edges (canvas points), a rubber band to `pointer` and, if `marked`, its
 * vertices.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number[][]} points
 * @param {boolean} closed
 * @param {number[] | null} pointer
 * @param {string} color
 * @param {boolean} [marked]
 */
export function drawPath(ctx, points, closed, pointer, color, marked = true) {
  if (!points.length) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 4]);
  ctx.beginPath();
  points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  if (pointer) ctx.lineTo(pointer[0], pointer[1]);
  if (closed) ctx.closePath();
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#ffffff";
  for (const [x, y] of marked ? points : []) {
    ctx.fillRect(x - 3, y - 3, 6, 6);
    ctx.strokeRect(x - 3, y - 3, 6, 6);
  }
  ctx.restore();
}
