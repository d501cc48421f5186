// The item's image on the annotator's stage, decoded once for the model and its views: the model's
// initialize decodes (annotator_stage.js), each view draws what is shown here (renderLayers).
//
// The image: the kernel sends each item's image as stored (JPEG stays JPEG): the workspace's small
// thumbnail in the `thumbnail` trait (for the first item, in the model's opening state), then the full
// image in a binary message of its own (never state: a notebook saved with its widgets' state does not
// carry it), the first item's once the kernel's cell has shown the widget. Each is decoded off the main
// thread, even before the view exists (the model's initialize):
// the thumbnail as soon as the model has it, the full image once the thumbnail is decoded (two decodings
// at once finish together), and drawn once from the decoded image where the
// `view` puts it: the thumbnail scaled up, with the annotations, in the view's first frame, the full
// image over it when decoded; a big JPEG first at about the size it is shown at, then in full for zoom.
// The page's loader builds the toolbar and the side panel once the stage has drawn the image at the size
// it is shown (or cannot): built beside the full image's decoding, they would hold it back.
// Zoom, pan and resize redraw from the bitmap in the browser, with nothing sent again.
// @ts-check

/**
 * A decoded image: a bitmap, or a frame of the JPEG decoder (both drawn and closed alike).
 * @typedef {ImageBitmap | VideoFrame} Decoded
 */

/**
 * What a layer shows: the newest item's best decoded image so far ("fit" is the full image decoded at
 * about the size it is shown at, see decodeToFit), its views' redraw functions, and the full image's
 * decoding, started once a view has drawn the fit one (`later`); `drew` tells the page's loader that the
 * stage has drawn what it will of its first item before the controls: the image at the size shown (fit
 * or full: not the thumbnail), or none (the item has none, or it could not be decoded); the toolbar and
 * the side panel are built after it (shared_module.js). `thumbnail` settles
 * once the last thumbnail's decoding has (the full image's waits for it). `error` says why the newest
 * item's image is not shown ("": it is, or the item has none).
 * @typedef {{seq: number, stage: ImageStage, bitmap: Decoded | null, size: number[], redraws: Set<() => void>,
 *   later: (() => void) | null, drew: () => void, thumbnail: Promise<void>, error: string}} Shown
 * @typedef {"" | "thumbnail" | "fit" | "full"} ImageStage
 * An encoded image of item `seq` to decode, at `stage`: the thumbnail or the full image.
 * @typedef {{seq: number, stage: "thumbnail" | "full", width: number, height: number, mimetype: string}} Encoded
 */

/** @type {Map<string, Shown>} */
export const LAYERS = new Map();

/** Each stage replaces only the ones before it. */
const STAGES = ["", "thumbnail", "fit", "full"];

// A JPEG shown at most this share of its size on each side is decoded at about that size first: a 1 MP
// photo on an 800 px canvas (0.69) too, whose 6/8 decoding is on screen sooner than a full one.
const FIT_SCALE = 0.8;

/**
 * @param {string} key
 * @returns {Shown}
 */
export function shownFor(key) {
  let shown = LAYERS.get(key);
  if (!shown) {
    const thumbnail = Promise.resolve();
    shown = {
      seq: 0, stage: "", bitmap: null, size: [1, 1], redraws: new Set(), later: null, drew: () => {}, thumbnail,
      error: "",
    };
    LAYERS.set(key, shown);
  }
  return shown;
}

/**
 * Nothing to show (an item that is not an image).
 * @param {Shown} shown
 * @param {number} seq
 */
export function clear(shown, seq) {
  if (shown.bitmap) shown.bitmap.close();
  shown.seq = seq;
  shown.stage = "";
  shown.bitmap = null;
  shown.later = null;
  shown.error = "";
}

/**
 * Show `image` (stage `stage` of item `msg.seq`) if it is still the newest item's best; else close it.
 * @param {Shown} shown
 * @param {Encoded} msg
 * @param {Decoded} image
 * @param {ImageStage} stage
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
  shown.error = "";
  shown.redraws.forEach((redraw) => redraw());
}

/**
 * A big JPEG decoded at about the size it is shown at (`scale`: canvas pixels per image pixel), never
 * smaller: the JPEG decoder skips most of the work for a size of n/8 of the image's, so a 12 MP photo on
 * an 800 px canvas is on screen, as sharp as the canvas can show it, in half the time of its full
 * decoding (which follows, for zoom). Null where that does not pay (a smaller image, another format) or
 * the browser cannot (no WebCodecs ImageDecoder: insecure origins, Safari).
 * @param {Encoded} msg
 * @param {DataView<ArrayBuffer>} bytes
 * @param {number} scale
 * @returns {Promise<VideoFrame | null>}
 */
async function decodeToFit(msg, bytes, scale) {
  if (msg.mimetype !== "image/jpeg" || scale > FIT_SCALE) return null;
  const eighths = Math.ceil(8 * scale);
  const [width, height] = [Math.ceil((msg.width * eighths) / 8), Math.ceil((msg.height * eighths) / 8)];
  const image = await decodeHere(msg, bytes, { desiredWidth: width, desiredHeight: height });
  // Smaller than shown (a decoder that rounds the other way) would blur: the full image instead.
  if (!image) return null;
  if (image.displayWidth >= msg.width * scale && image.displayHeight >= msg.height * scale) return image;
  image.close();
  return null;
}

/**
 * An image decoded where its bytes are, by WebCodecs' ImageDecoder (at `size`, if given: the decoder's
 * desiredWidth and desiredHeight): createImageBitmap takes a Blob, whose bytes go to the browser's process
 * and back before the decoding, round trips that took 20-40 ms for the thumbnail while the page was opening
 * the widget (benchmarks/peers.py --breakdown). Null where there is no ImageDecoder (insecure origins,
 * Safari): createImageBitmap then.
 * @param {Encoded} msg
 * @param {DataView<ArrayBuffer>} bytes
 * @param {{desiredWidth?: number, desiredHeight?: number}} [size]
 * @returns {Promise<VideoFrame | null>}
 */
async function decodeHere(msg, bytes, size = {}) {
  if (typeof ImageDecoder === "undefined") return null;
  const decoder = new ImageDecoder({ data: bytes, type: msg.mimetype, ...size });
  try {
    return (await decoder.decode()).image;
  } finally {
    decoder.close();
  }
}

/**
 * @param {Shown} shown
 * @param {Encoded} msg
 * @param {DataView<ArrayBuffer>[]} buffers
 * @param {number} scale  the canvas pixels per image pixel the image is shown at now
 */
export async function decode(shown, msg, buffers, scale) {
  // A new item's image replaces the last one's when decoded (no blank frame between items).
  if (msg.seq < shown.seq) return;
  if (msg.seq > shown.seq) [shown.seq, shown.stage, shown.later, shown.error] = [msg.seq, "", null, ""];
  if (msg.stage === "full") {
    // Decoded beside the thumbnail, the full image would make it wait: both would be drawn together.
    await shown.thumbnail;
    if (msg.seq !== shown.seq) return;
  }
  const full = async () => {
    const bitmap = await createImageBitmap(new Blob([buffers[0]], { type: msg.mimetype }));
    offer(shown, msg, bitmap, msg.stage);
  };
  if (msg.stage === "thumbnail") {
    const small = await decodeHere(msg, buffers[0]).catch(() => null);
    if (small) return offer(shown, msg, small, "thumbnail");
  }
  if (msg.stage === "full" && STAGES.indexOf(shown.stage) < STAGES.indexOf("fit")) {
    const fit = await decodeToFit(msg, buffers[0], scale).catch(() => null);
    if (fit && msg.seq === shown.seq) {
      // The full image is decoded once a view has drawn this one: not competing with the page's start.
      shown.later = () => full().catch((error) => undecoded(shown, msg, buffers[0], error));
      offer(shown, msg, fit, "fit");
      return;
    }
    fit?.close();
  }
  await full();
}

/**
 * An image the browser cannot decode: said on the stage, which keeps what it shows of the item (its
 * thumbnail), else shows no image rather than the last item's; the annotations are drawn as ever.
 * @param {Shown} shown
 * @param {Encoded} msg
 * @param {DataView} bytes
 * @param {unknown} error
 */
export function undecoded(shown, msg, bytes, error) {
  console.error("dlwidgets: the image could not be decoded", error);
  if (msg.seq !== shown.seq) return; // a newer item's is shown
  const kept = shown.stage !== "";
  if (!kept && shown.bitmap) {
    shown.bitmap.close();
    shown.bitmap = null;
  }
  const what = msg.stage === "thumbnail" ? "thumbnail" : "image";
  shown.error =
    `This browser could not decode the item's ${what} (${msg.mimetype || "no type"}, ` +
    `${msg.width} x ${msg.height} px, ${bytes.byteLength} bytes)` +
    (kept ? ": a smaller copy is shown." : ". The annotations are drawn without it.");
  shown.redraws.forEach((redraw) => redraw());
  shown.drew();
}
