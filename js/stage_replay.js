// The drawing on the annotator's stage, replayed: the annotations and the highlight, each a canvas the
// kernel draws on. The kernel draws with ipycanvas's calls (annotator/canvas_recorder.py) and syncs, per
// canvas, the commands drawn since it was last cleared, written shorter than ipycanvas's message: the first
// buffer is the JSON list of commands [number, args], the second the arrays' bytes, one after the other. An
// argument {dtype: shape} is the next array (cut from there by its dtype and shape), {same: n} the batch's
// n-th array again, read as it was sent: an array sent once for several commands. The numbers are
// ipycanvas's COMMANDS; only the calls the annotator draws with are replayed here, with ipycanvas's meaning.
// Our own commands beside them are EXTENSIONS (canvas_recorder.EXTENSIONS).
// @ts-check

/** ipycanvas's command numbers (ipycanvas.canvas.COMMANDS) of the calls replayed. */
const COMMANDS = {
  fillRect: 0, strokeRect: 1, fillRects: 2, strokeRects: 3, fillCircle: 6, strokeCircle: 8, strokeLine: 13,
  fillText: 28, setLineDash: 30, translate: 36, set: 42, clear: 43, strokePolygon: 46, strokeLines: 47,
  fillStyledRects: 51, strokeStyledRects: 52, fillStyledCircles: 53, fillStyledPolygons: 57,
  strokeStyledPolygons: 58, strokeStyledLineSegments: 59,
};
/**
 * Our commands, numbered clear of ipycanvas's. fillTexts [texts, codes, x, y]: text texts[codes[i]] filled
 * at (x[i], y[i]), many texts in one command (ipycanvas's fillText is one a command).
 */
const EXTENSIONS = { fillTexts: 100 };
/** ipycanvas's style attributes by number (Canvas.ATTRS), those the annotator sets. */
const ATTRS = /** @type {Record<number, "fillStyle" | "strokeStyle" | "lineWidth" | "font" | "textBaseline">} */ ({
  0: "fillStyle", 1: "strokeStyle", 3: "font", 5: "textBaseline", 8: "lineWidth",
});
const TYPED = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array,
  uint32: Uint32Array, float32: Float32Array, float64: Float64Array };

/**
 * An argument: a number (or text), or an array sent as a buffer, read item by item (a scalar is the same
 * for every item, as in ipycanvas).
 * @typedef {{at(i: number): any, length: number}} Arg
 * @typedef {{idx: number, dtype: keyof typeof TYPED, shape: number[]}} BufferArg
 */

/**
 * @param {any} arg
 * @param {DataView[]} buffers
 * @returns {Arg}
 */
function argument(arg, buffers) {
  if (arg === null || typeof arg !== "object") return { at: () => arg, length: Infinity };
  const { idx, dtype } = /** @type {BufferArg} */ (arg);
  const view = buffers[idx];
  const Typed = TYPED[dtype];
  // A typed array needs its offset aligned to its item size: a misaligned buffer is copied.
  const aligned = view.byteOffset % Typed.BYTES_PER_ELEMENT === 0;
  const whole = /** @type {ArrayBuffer} */ (view.buffer);
  const buffer = aligned ? whole : whole.slice(view.byteOffset, view.byteOffset + view.byteLength);
  const array = new Typed(buffer, aligned ? view.byteOffset : 0, view.byteLength / Typed.BYTES_PER_ELEMENT);
  return { at: (i) => array[i], length: array.length };
}

/**
 * Item i's colour of a styled call: its [r, g, b] row of `colors` and its alpha.
 * @param {Arg} colors
 * @param {Arg} alpha
 * @param {number} i
 */
const rgba = (colors, alpha, i) =>
  `rgba(${colors.at(3 * i)}, ${colors.at(3 * i + 1)}, ${colors.at(3 * i + 2)}, ${alpha.at(i)})`;

/**
 * A path through the points [x0, y0, x1, y1, ...] of `points` from item `start` to `stop`.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Arg} points
 * @param {number} start
 * @param {number} stop
 */
function tracePath(ctx, points, start, stop) {
  ctx.beginPath();
  ctx.moveTo(points.at(start), points.at(start + 1));
  for (let i = start + 2; i < stop; i += 2) ctx.lineTo(points.at(i), points.at(i + 1));
}

/**
 * Draw one command on `ctx`.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} name
 * @param {any[]} args
 * @param {DataView[]} buffers  the command's own
 */
function draw(ctx, name, args, buffers) {
  const a = (/** @type {number} */ i) => argument(args[i], buffers);
  /**
   * A circle's path, filled or stroked.
   * @param {number} x
   * @param {number} y
   * @param {number} r
   */
  const arc = (x, y, r) => {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    return ctx;
  };
  const fillCircle = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ r) => arc(x, y, r).fill();
  const strokeCircle = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ r) =>
    arc(x, y, r).stroke();
  if (name === COMMANDS.clear) {
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  } else if (name === COMMANDS.set) {
    const attr = ATTRS[args[0]];
    if (attr) Object.assign(ctx, { [attr]: args[1] });
  } else if (name === COMMANDS.setLineDash) {
    ctx.setLineDash(args[0]);
  } else if (name === COMMANDS.fillRect) {
    ctx.fillRect(args[0], args[1], args[2], args[3]);
  } else if (name === COMMANDS.strokeRect) {
    ctx.strokeRect(args[0], args[1], args[2], args[3]);
  } else if (name === COMMANDS.fillRects || name === COMMANDS.strokeRects) {
    const [x, y, w, h] = [a(0), a(1), a(2), a(3)];
    const n = Math.min(x.length, y.length, w.length, h.length);
    for (let i = 0; i < n; i++) {
      if (name === COMMANDS.fillRects) ctx.fillRect(x.at(i), y.at(i), w.at(i), h.at(i));
      else ctx.strokeRect(x.at(i), y.at(i), w.at(i), h.at(i));
    }
  } else if (name === COMMANDS.fillStyledRects || name === COMMANDS.strokeStyledRects) {
    const [x, y, w, h, colors, alpha] = [a(0), a(1), a(2), a(3), a(4), a(5)];
    const n = Math.min(x.length, y.length, w.length, h.length);
    const fill = name === COMMANDS.fillStyledRects;
    ctx.save();
    for (let i = 0; i < n; i++) {
      if (fill) {
        ctx.fillStyle = rgba(colors, alpha, i);
        ctx.fillRect(x.at(i), y.at(i), w.at(i), h.at(i));
      } else {
        ctx.strokeStyle = rgba(colors, alpha, i);
        ctx.strokeRect(x.at(i), y.at(i), w.at(i), h.at(i));
      }
    }
    ctx.restore();
  } else if (name === COMMANDS.fillCircle) {
    fillCircle(args[0], args[1], args[2]);
  } else if (name === COMMANDS.strokeCircle) {
    strokeCircle(args[0], args[1], args[2]);
  } else if (name === COMMANDS.fillStyledCircles) {
    const [x, y, r, colors, alpha] = [a(0), a(1), a(2), a(3), a(4)];
    const n = Math.min(x.length, y.length, r.length);
    ctx.save();
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = rgba(colors, alpha, i);
      fillCircle(x.at(i), y.at(i), r.at(i));
    }
    ctx.restore();
  } else if (name === COMMANDS.strokeLine) {
    ctx.beginPath();
    ctx.moveTo(args[0], args[1]);
    ctx.lineTo(args[2], args[3]);
    ctx.stroke();
  } else if (name === COMMANDS.strokeLines || name === COMMANDS.strokePolygon) {
    const points = a(0);
    tracePath(ctx, points, 0, points.length);
    if (name === COMMANDS.strokePolygon) ctx.closePath();
    ctx.stroke();
  } else if (name === COMMANDS.translate) {
    ctx.translate(args[0], args[1]);
  } else if (name === EXTENSIONS.fillTexts) {
    const [texts, codes, x, y] = [/** @type {string[]} */ (args[0]), a(1), a(2), a(3)];
    for (let i = 0; i < codes.length; i++) ctx.fillText(texts[codes.at(i)], x.at(i), y.at(i));
  } else if (name === COMMANDS.fillText) {
    if (args.length > 3) ctx.fillText(args[0], args[1], args[2], args[3]);
    else ctx.fillText(args[0], args[1], args[2]);
  } else if (
    name === COMMANDS.fillStyledPolygons || name === COMMANDS.strokeStyledPolygons ||
    name === COMMANDS.strokeStyledLineSegments
  ) {
    // [count, points, points per item, colors, alpha]
    const [count, points, sizes, colors, alpha] = [args[0], a(1), a(2), a(3), a(4)];
    ctx.save();
    let start = 0;
    for (let i = 0; i < count; i++) {
      const stop = start + 2 * sizes.at(i);
      tracePath(ctx, points, start, stop);
      start = stop;
      if (name === COMMANDS.fillStyledPolygons) {
        ctx.closePath();
        ctx.fillStyle = rgba(colors, alpha, i);
        ctx.fill();
      } else {
        if (name === COMMANDS.strokeStyledPolygons) ctx.closePath();
        ctx.strokeStyle = rgba(colors, alpha, i);
        ctx.stroke();
      }
    }
    ctx.restore();
  } else {
    console.error(`dlwidgets: the stage cannot draw ipycanvas command ${name}`);
  }
}

/**
 * Draw a canvas's commands (`batch`: the commands' JSON, then the arrays' buffers) on a blank context.
 * @param {HTMLCanvasElement} canvas
 * @param {DataView[]} batch
 */
export function replay(canvas, batch) {
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.reset?.();
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!batch || !batch.length) return;
  const [listed, arrays] = batch;
  /** @type {[number, any[]][]} */
  const commands = JSON.parse(new TextDecoder().decode(listed));
  /** @type {BufferArg[]} */
  const sent = []; // the batch's arrays so far, each as `argument` reads it from `buffers`
  /** @type {DataView[]} */
  const buffers = [];
  let at = 0;
  for (const [name, args] of commands) {
    const resolved = args.map((arg) => {
      if (arg === null || typeof arg !== "object" || Array.isArray(arg)) return arg;
      if (arg.same !== undefined) return sent[arg.same];
      const [[dtype, shape]] = /** @type {[keyof typeof TYPED, number[]][]} */ (Object.entries(arg));
      const length = TYPED[dtype].BYTES_PER_ELEMENT * shape.reduce((n, d) => n * d, 1);
      buffers.push(new DataView(arrays.buffer, arrays.byteOffset + at, length));
      at += length;
      sent.push({ idx: buffers.length - 1, dtype, shape });
      return sent[sent.length - 1];
    });
    draw(ctx, name, resolved, buffers);
  }
}
