// Brush and eraser strokes on masks, on the annotator's stage. A stroke is painted here as the pointer
// moves, with no message to the kernel; when the pointer is released the whole stroke goes in one message
// (its path in image pixels and its radius), and its preview stays until the kernel has drawn the mask it
// painted.
// @ts-check

/**
 * @typedef {import("./annotator_stage.js").Brush} Brush
 * @typedef {import("./annotator_stage.js").Stroke} Stroke
 */

// Points closer than this (canvas pixels) to the last one kept add nothing a person can see.
export const STROKE_STEP_PX = 1.5;
// The preview's opacity: the mask's own on the annotation layer.
const STROKE_ALPHA = 0.45;

export class BrushStroke {
  // One stroke of `brush`, as image points (x, y pairs, to 0.1 pixel).
  /**
   * @param {number} id
   * @param {Brush} brush
   */
  constructor(id, brush) {
    this.id = id;
    this.brush = brush;
    /** @type {number[]} */
    this.points = [];
  }

  /**
   * Add the image point `at` ([x, y]) unless it is within `step` image pixels of the last one (`force`:
   * add it anyway unless it is that very point, as for the pointer's release).
   * @param {number[]} at
   * @param {number} step
   * @param {boolean} [force]
   */
  add([x, y], step, force = false) {
    const [rx, ry] = [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
    const n = this.points.length;
    if (n) {
      const [lx, ly] = [this.points[n - 2], this.points[n - 1]];
      const far = Math.hypot(rx - lx, ry - ly);
      if (far < step && !(force && far > 0)) return false;
    }
    this.points.push(rx, ry);
    return true;
  }

  /**
   * The message that sends it.
   * @returns {Stroke}
   */
  message() {
    return {
      type: "stroke", id: this.id, tool: this.brush.tool, radius: this.brush.radius, points: this.points,
    };
  }
}

/**
 * Draw a stroke as the kernel will paint it: round, `radius` wide on each side of its path, in its label's
 * colour (the eraser in white), half transparent; `view` is the image's [scale, offset_x, offset_y].
 * @param {CanvasRenderingContext2D} ctx
 * @param {BrushStroke} stroke
 * @param {number[]} view
 */
export function drawStroke(ctx, stroke, view) {
  const [scale, ox, oy] = view;
  const p = stroke.points;
  if (!p.length) return;
  ctx.save();
  ctx.globalAlpha = STROKE_ALPHA;
  ctx.strokeStyle = stroke.brush.tool === "eraser" ? "#ffffff" : stroke.brush.color;
  ctx.lineWidth = 2 * stroke.brush.radius * scale;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  ctx.moveTo(p[0] * scale + ox, p[1] * scale + oy);
  // A single point is a dot: a zero-length line with round caps.
  for (let i = p.length > 2 ? 2 : 0; i < p.length; i += 2) ctx.lineTo(p[i] * scale + ox, p[i + 1] * scale + oy);
  ctx.stroke();
  ctx.restore();
}

/**
 * The brush's outline where the pointer is (canvas pixels), so its size shows before painting.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Brush} brush
 * @param {number[]} at
 * @param {number[]} view
 */
export function drawBrushOutline(ctx, brush, at, view) {
  ctx.save();
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#ffffff";
  ctx.beginPath();
  ctx.arc(at[0], at[1], Math.max(brush.radius * view[0], 1), 0, 2 * Math.PI);
  ctx.stroke();
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = "#000000";
  ctx.stroke();
  ctx.restore();
}
