// The annotator's image layer: the bottom canvas of its stage, under the ipycanvas layers that draw the
// annotations. The kernel sends each item's image as stored (JPEG stays JPEG), in a binary message of
// its own, first the workspace's small thumbnail and then the full image. Each is decoded off the main
// thread as soon as it arrives, even before the view exists (the model's initialize), and drawn once
// from the decoded image where the `view` puts it: the thumbnail scaled up at once, the full image over
// it when decoded; a big JPEG first at about the size it is shown at, then in full for zoom. Zoom, pan and resize redraw from the bitmap in the browser, with
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
 * A decoded image: a bitmap, or a frame of the JPEG decoder (both drawn and closed alike).
 * @typedef {ImageBitmap | VideoFrame} Decoded
 */

/**
 * What a layer shows: the newest item's best decoded image so far ("fit" is the full image decoded at
 * about the size it is shown at, see decodeToFit), its views' redraw functions, and the full image's
 * decoding, started once a view has drawn the fit one (`later`).
 * @typedef {{seq: number, stage: Stage, bitmap: Decoded | null, size: number[], redraws: Set<() => void>,
 *   later: (() => void) | null}} Shown
 * @typedef {"" | "thumbnail" | "fit" | "full"} Stage
 */

/** @type {Map<string, Shown>} */
const LAYERS = new Map();

/** Each stage replaces only the ones before it. */
const STAGES = ["", "thumbnail", "fit", "full"];

// A JPEG shown at most this share of its size on each side is decoded at about that size first.
const FIT_SCALE = 0.5;

/**
 * @param {string} key
 * @returns {Shown}
 */
function shownFor(key) {
  let shown = LAYERS.get(key);
  if (!shown) {
    shown = { seq: 0, stage: "", bitmap: null, size: [1, 1], redraws: new Set(), later: null };
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
  shown.later = null;
}

/**
 * Show `image` (stage `stage` of item `msg.seq`) if it is still the newest item's best; else close it.
 * @param {Shown} shown
 * @param {ImageMessage} msg
 * @param {Decoded} image
 * @param {Stage} stage
 */
function offer(shown, msg, image, stage) {
  // Meanwhile a newer item may have come, or a better stage of this one may have overtaken it.
  if (msg.seq !== shown.seq || STAGES.indexOf(stage) <= STAGES.indexOf(shown.stage)) {
    image.close();
    return;
  }
  if (shown.bitmap) shown.bitmap.close();
  shown.bitmap = image;
  shown.stage = stage;
  shown.size = [msg.width, msg.height];
  shown.redraws.forEach((redraw) => redraw());
}

/**
 * A big JPEG decoded at about the size it is shown at (`scale`: canvas pixels per image pixel), never
 * smaller: the JPEG decoder skips most of the work for a size of n/8 of the image's, so a 12 MP photo on
 * an 800 px canvas is on screen, as sharp as the canvas can show it, in half the time of its full
 * decoding (which follows, for zoom). Null where that does not pay (a smaller image, another format) or
 * the browser cannot (no WebCodecs ImageDecoder: insecure origins, Safari).
 * @param {ImageMessage} msg
 * @param {DataView<ArrayBuffer>} bytes
 * @param {number} scale
 * @returns {Promise<VideoFrame | null>}
 */
async function decodeToFit(msg, bytes, scale) {
  if (msg.mimetype !== "image/jpeg" || scale > FIT_SCALE || typeof ImageDecoder === "undefined") return null;
  const eighths = Math.ceil(8 * scale);
  const [width, height] = [Math.ceil((msg.width * eighths) / 8), Math.ceil((msg.height * eighths) / 8)];
  const type = msg.mimetype;
  const decoder = new ImageDecoder({ data: bytes, type, desiredWidth: width, desiredHeight: height });
  try {
    const { image } = await decoder.decode();
    // Smaller than shown (a decoder that rounds the other way) would blur: the full image instead.
    if (image.displayWidth >= msg.width * scale && image.displayHeight >= msg.height * scale) return image;
    image.close();
    return null;
  } finally {
    decoder.close();
  }
}

/**
 * @param {Shown} shown
 * @param {ImageMessage} msg
 * @param {DataView<ArrayBuffer>[]} buffers
 * @param {number} scale  the canvas pixels per image pixel the image is shown at now
 */
async function decode(shown, msg, buffers, scale) {
  // A new item's image replaces the last one's when decoded (no blank frame between items).
  if (msg.seq < shown.seq) return;
  if (msg.seq > shown.seq) [shown.seq, shown.stage, shown.later] = [msg.seq, "", null];
  const full = async () => {
    const bitmap = await createImageBitmap(new Blob([buffers[0]], { type: msg.mimetype }));
    offer(shown, msg, bitmap, msg.stage);
  };
  if (msg.stage === "full" && STAGES.indexOf(shown.stage) < STAGES.indexOf("fit")) {
    const fit = await decodeToFit(msg, buffers[0], scale).catch(() => null);
    if (fit && msg.seq === shown.seq) {
      // The full image is decoded once a view has drawn this one: not competing with the page's start.
      shown.later = () => full().catch(failed);
      offer(shown, msg, fit, "fit");
      return;
    }
    fit?.close();
  }
  await full();
}

/** @param {unknown} error */
function failed(error) {
  console.error("dlwidgets: the image could not be decoded", error);
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
      // The layer's view is the first item's (the model is made with it); a later item's comes after its
      // image, and is at most as wide as the canvas.
      const scale = model.get("view")[0];
      const widest = msg.seq === 1 ? scale : Math.max(scale, model.get("width") / msg.width);
      decode(shown, msg, buffers, widest).catch(failed);
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
    const later = shown.later;
    shown.later = null;
    if (later) setTimeout(later);
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
