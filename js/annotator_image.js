// The annotator's image layer: the bottom canvas of its stage, under the ipycanvas layers that draw the
// annotations. The kernel sends each item's image as stored (JPEG stays JPEG), in a binary message of
// its own, first the workspace's small thumbnail and then the full image. Each is decoded off the main
// thread with createImageBitmap as soon as it arrives, even before the view exists (the model's
// initialize), and drawn once from that bitmap where the `view` puts it: the thumbnail scaled up at once,
// the full image over it when decoded. Zoom, pan and resize redraw from the bitmap in the browser, with
// nothing sent again. Only anywidget's narrow model API is used (get, on, off).
//
// The traits and messages below are the protocol; dlwidgets/widgets/annotator/image_layer.py has the
// same TypedDicts.
// @ts-check

/**
 * The synced traits (Python: `ImageLayer`'s traitlets): `key` names this layer's decoded images (shared
 * by the model's initialize and its views), the canvas size, and the image's [scale, offset_x, offset_y].
 * @typedef {{key: string, width: number, height: number, view: number[]}} ImageTraits
 */

/**
 * Kernel -> browser (Python: `ImageMessage`, `ClearImage`). `seq` numbers the items shown: a message of
 * an older item than the last one announced is dropped. `width` x `height` is the image's full size in
 * image pixels (the thumbnail is drawn stretched to it); one buffer holds the encoded bytes.
 * @typedef {{type: "image", seq: number, stage: "thumbnail" | "full", width: number, height: number,
 *   mimetype: string}} ImageMessage
 * @typedef {{type: "clear", seq: number}} ClearImage
 * @typedef {ImageMessage | ClearImage} ImageCommand
 *
 * Browser -> kernel (Python: `PageReady`): a page has made this layer's model and has no image yet (sent
 * by every page that opens it; one opened later, as a reloaded page, gets the image sent again).
 * @typedef {{type: "ready"}} PageReady
 */

/**
 * What a layer shows: the newest item's best decoded image so far, and its views' redraw functions.
 * @typedef {{seq: number, stage: "" | "thumbnail" | "full", bitmap: ImageBitmap | null,
 *   size: number[], redraws: Set<() => void>}} Shown
 */

/** @type {Map<string, Shown>} */
const LAYERS = new Map();

/**
 * @param {string} key
 * @returns {Shown}
 */
function shownFor(key) {
  let shown = LAYERS.get(key);
  if (!shown) {
    shown = { seq: 0, stage: "", bitmap: null, size: [1, 1], redraws: new Set() };
    LAYERS.set(key, shown);
  }
  return shown;
}

/**
 * Nothing to show (an item that is not an image).
 * @param {Shown} shown
 * @param {number} seq
 */
function clear(shown, seq) {
  if (shown.bitmap) shown.bitmap.close();
  shown.seq = seq;
  shown.stage = "";
  shown.bitmap = null;
}

/**
 * @param {Shown} shown
 * @param {ImageMessage} msg
 * @param {DataView<ArrayBuffer>[]} buffers
 */
async function decode(shown, msg, buffers) {
  // A new item's image replaces the last one's when decoded (no blank frame between items).
  if (msg.seq < shown.seq) return;
  if (msg.seq > shown.seq) [shown.seq, shown.stage] = [msg.seq, ""];
  const bitmap = await createImageBitmap(new Blob([buffers[0]], { type: msg.mimetype }));
  // Meanwhile a newer item may have come, or the full image may have overtaken its thumbnail.
  if (msg.seq !== shown.seq || (msg.stage === "thumbnail" && shown.stage === "full")) {
    bitmap.close();
    return;
  }
  if (shown.bitmap) shown.bitmap.close();
  shown.bitmap = bitmap;
  shown.stage = msg.stage;
  shown.size = [msg.width, msg.height];
  shown.redraws.forEach((redraw) => redraw());
}

/** @param {import("@anywidget/types").InitializeProps<ImageTraits>} props */
function initialize({ model }) {
  const shown = shownFor(model.get("key"));
  /**
   * @param {ImageCommand} msg
   * @param {DataView<ArrayBuffer>[]} buffers
   */
  const onMessage = (msg, buffers) => {
    if (msg.type === "image") {
      decode(shown, msg, buffers).catch((error) => {
        console.error("dlwidgets: the image could not be decoded", error);
      });
    } else if (msg.type === "clear" && msg.seq >= shown.seq) {
      clear(shown, msg.seq);
      shown.redraws.forEach((redraw) => redraw());
    }
  };
  model.on("msg:custom", onMessage);
  /** @type {PageReady} */
  const ready = { type: "ready" };
  model.send(ready);
  return () => {
    model.off("msg:custom", onMessage);
    if (shown.bitmap) shown.bitmap.close();
    LAYERS.delete(model.get("key"));
  };
}

/** @param {import("@anywidget/types").RenderProps<ImageTraits>} props */
function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.className = "dlw-image";
  // Stretched to the stage's width like the layers above it, until the kernel's size arrives.
  canvas.style.display = "block";
  canvas.style.width = "100%";
  canvas.style.height = "auto";
  el.appendChild(canvas);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const shown = shownFor(model.get("key"));
  let frame = 0;

  const draw = () => {
    frame = 0;
    if (canvas.width !== model.get("width")) canvas.width = model.get("width");
    if (canvas.height !== model.get("height")) canvas.height = model.get("height");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!shown.bitmap) return;
    const [scale, x, y] = model.get("view");
    const [width, height] = shown.size;
    ctx.drawImage(shown.bitmap, x, y, width * scale, height * scale);
    canvas.dataset.stage = shown.stage;
  };
  // A decoded image is drawn at once; changes of size and view, which come in several messages, in the
  // next frame, once.
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  draw();
  shown.redraws.add(draw);
  model.on("change:width", schedule);
  model.on("change:height", schedule);
  model.on("change:view", schedule);
  return () => {
    shown.redraws.delete(draw);
    model.off("change:width", schedule);
    model.off("change:height", schedule);
    model.off("change:view", schedule);
    if (frame) cancelAnimationFrame(frame);
  };
}

export default { initialize, render };
