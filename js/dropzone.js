// The dropzone: files and folders dropped or picked here travel to the kernel in chunks and become items.
// Each file is read a slice at a time (file.slice), so no whole file is ever held in memory; each slice
// is one custom message with one binary buffer, acknowledged by the kernel, with at most `window`
// slices unacknowledged. The traits and messages below are the protocol; dlwidgets/widgets/dropzone.py
// has the same TypedDicts.
// A kernel that is restarted or dies takes its unfinished files with it, and the page says so: at once
// where the widget manager knows the kernel (JupyterLab, Notebook 7) or the model reports that it lost
// its kernel (`comm_live_update`, ipywidgets 7 too), else after `ack_timeout` seconds of silence.
// anywidget loads this module from a blob: URL, where relative imports cannot resolve, so the pure
// parts (chunk planning, flow control, paths, limits, formatting) are named exports of this one file,
// and js/dropzone.test.mjs imports them. Besides anywidget's narrow model API (get, set, save_changes,
// on, off, send) it only looks for `model.widget_manager.kernel` and does without it, so it runs in
// JupyterLab, Notebook 7, VS Code and Colab alike. Its look is dropzone.css, the widget's `_css`.
// @ts-check

/**
 * The synced traits (Python: `Dropzone`'s traitlets). Sizes are bytes; `max_file_size` 0 is no limit.
 * @typedef {object} DropzoneTraits
 * @property {string} remote_path   the folder the files go to
 * @property {boolean} overwrite    set here by the checkbox too
 * @property {string} accept        an HTML accept list, "image/*,.pdf"; "" accepts everything
 * @property {number} max_files     per drop
 * @property {number} max_file_size
 * @property {number} max_chunk     the size of a slice
 * @property {number} window        slices in flight, unacknowledged
 * @property {number} ack_timeout   seconds without an answer before the files waiting fail
 */

/**
 * Browser -> kernel (Python: `DropzoneRequest`); `id` is this page's name for one file.
 * "begin": a file (`path` relative, with its folders) comes in slices of `chunk` bytes. "chunk": slice
 * `index`, at byte `offset`, is the message's one buffer. "end": all `chunks` were sent. "cancel": forget
 * the file; with a `reason`, it failed here (the file changed while it was read). "finished": no file is
 * left to send, the drop is over (the kernel then tells its `on_batch` callbacks, once per drop).
 * @typedef {{type: "begin", id: string, path: string, size: number, chunk: number, mimetype: string}} Begin
 * @typedef {{type: "chunk", id: string, index: number, offset: number}} Chunk
 * @typedef {{type: "end", id: string, chunks: number}} End
 * @typedef {{type: "cancel", id: string, reason?: string}} Cancel
 * @typedef {{type: "finished"}} Finished
 * @typedef {Begin | Chunk | End | Cancel | Finished} DropzoneRequest
 */

/**
 * Kernel -> browser (Python: `DropzoneReply`). "status" answers "begin" ("uploading": send the slices;
 * "skipped": the item exists), "end" ("done", with the item) and "cancel", or says a file "failed";
 * `path` is the item's remote path. "ack" acknowledges slice `index`. "notice" is the widget base's
 * status line: a failing `on_upload` callback, shown as an error.
 * @typedef {"uploading" | "skipped" | "done" | "failed" | "cancelled"} RemoteStatus
 * @typedef {{type: "status", id: string, status: RemoteStatus, path?: string, reason?: string,
 *   item?: {id: string, filename: string, size: number | null}}} Status
 * @typedef {{type: "ack", id: string, index: number}} Ack
 * @typedef {{type: "notice", kind: "error" | "notice", error?: string, notice?: string}} Notice
 * @typedef {Status | Ack | Notice} DropzoneReply
 */

/** @typedef {{index: number, start: number, end: number}} PlannedChunk */
/** @typedef {{file: File, path: string, reason?: string}} Found  a file of a drop, `path` folder-relative */

export const MIB = 1 << 20;

// ---- pure parts ------------------------------------------------------------------------------------

/**
 * The chunks of a `size`-byte file: [{index, start, end}], the last one shorter; none for 0 bytes.
 * @param {number} size
 * @param {number} chunkSize
 * @returns {PlannedChunk[]}
 */
export function planChunks(size, chunkSize) {
  if (!(chunkSize > 0)) throw new Error(`chunk size ${chunkSize} is not positive`);
  const chunks = [];
  for (let index = 0, start = 0; start < size; index++, start += chunkSize) {
    chunks.push({ index, start, end: Math.min(size, start + chunkSize) });
  }
  return chunks;
}

/** Sends one file's chunks with at most `window` unacknowledged; `done` settles once all are acked. */
export class FileSender {
  /**
   * @param {object} options
   * @param {number} options.size
   * @param {number} options.chunkSize
   * @param {number} options.window
   * @param {(start: number, end: number) => Promise<ArrayBuffer>} options.read
   * @param {(chunk: PlannedChunk, data: ArrayBuffer) => void} options.send
   */
  constructor({ size, chunkSize, window, read, send }) {
    this.chunks = planChunks(size, chunkSize);
    this.window = Math.max(1, window);
    this.read = read;
    this.send = send;
    this.next = 0;
    /** @type {Map<number, number>} */
    this.inFlight = new Map();    // index -> bytes
    this.ackedBytes = 0;
    this.ackedCount = 0;
    this.maxInFlight = 0;
    /** @type {"idle" | "sending" | "done" | "failed" | "cancelled"} */
    this.state = "idle";
    this.pumping = false;
    /** @type {() => void} */
    this.resolve = () => {};
    /** @type {(error: Error) => void} */
    this.reject = () => {};
    /** @type {Promise<void>} */
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => {});   // a caller that never awaits must not see an unhandled rejection
  }

  start() {
    this.state = "sending";
    this.pump();
    return this.done;
  }

  /**
   * The kernel acknowledged chunk `index`; false for a duplicate or unknown ack.
   * @param {number} index
   */
  ack(index) {
    if (!this.inFlight.has(index)) return false;
    this.ackedBytes += this.inFlight.get(index) || 0;
    this.ackedCount += 1;
    this.inFlight.delete(index);
    this.pump();
    return true;
  }

  cancel() {
    this.stop("cancelled", new Error("cancelled"));
  }

  /** @param {string} reason */
  fail(reason) {
    this.stop("failed", new Error(reason));
  }

  /**
   * @param {"failed" | "cancelled"} state
   * @param {Error} error
   */
  stop(state, error) {
    if (this.state !== "sending" && this.state !== "idle") return;
    this.state = state;
    this.reject(error);
  }

  async pump() {
    if (this.pumping || this.state !== "sending") return;
    this.pumping = true;
    try {
      while (this.state === "sending" && this.next < this.chunks.length && this.inFlight.size < this.window) {
        const chunk = this.chunks[this.next++];
        const data = await this.read(chunk.start, chunk.end);
        if (this.state !== "sending") return;
        if (data.byteLength !== chunk.end - chunk.start) {
          throw new Error(
            `the file changed while it was read: bytes ${chunk.start}-${chunk.end} gave ${data.byteLength}`);
        }
        this.inFlight.set(chunk.index, data.byteLength);
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight.size);
        this.send(chunk, data);
      }
      if (this.state === "sending" && this.ackedCount === this.chunks.length) {
        this.state = "done";
        this.resolve();
      }
    } catch (error) {
      this.fail(readFailure(error));
    } finally {
      this.pumping = false;
    }
  }
}

/** @param {any} error */
function readFailure(error) {
  // Chromium raises NotReadableError when a picked file is changed or removed before it is read.
  if (error && error.name === "NotReadableError" || error && error.name === "NotFoundError") {
    return "the file changed or disappeared while it was read";
  }
  return String(error && error.message || error);
}

/** Bytes per second over the last `span` ms of (time, total bytes) samples. */
export class RateMeter {
  constructor(span = 3000) {
    this.span = span;
    /** @type {[number, number][]} */
    this.samples = [];
  }

  /**
   * @param {number} time
   * @param {number} bytes
   */
  add(time, bytes) {
    this.samples.push([time, bytes]);
    while (this.samples.length > 2 && time - this.samples[1][0] > this.span) this.samples.shift();
  }

  rate() {
    if (this.samples.length < 2) return 0;
    const [t0, b0] = this.samples[0];
    const [t1, b1] = this.samples[this.samples.length - 1];
    return t1 > t0 ? (b1 - b0) * 1000 / (t1 - t0) : 0;
  }
}

/**
 * `paths` with repeats renamed `a (2).jpg`, `a (3).jpg`, so two files of one drop never collide.
 * @param {string[]} paths
 */
export function dedupePaths(paths) {
  const taken = new Set();
  return paths.map((path) => {
    let candidate = path;
    const slash = path.lastIndexOf("/") + 1;
    const dot = path.lastIndexOf(".");
    const [stem, ext] = dot > slash ? [path.slice(0, dot), path.slice(dot)] : [path, ""];
    for (let n = 2; taken.has(candidate); n++) candidate = `${stem} (${n})${ext}`;
    taken.add(candidate);
    return candidate;
  });
}

/**
 * Whether a file matches an HTML accept list ("image/*,.pdf"); an empty list accepts everything.
 * @param {string} name
 * @param {string} type
 * @param {string} accept
 */
export function isAccepted(name, type, accept) {
  const patterns = (accept || "").split(",").map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (!patterns.length) return true;
  const lower = name.toLowerCase();
  const mime = (type || "").toLowerCase();
  return patterns.some((p) =>
    p.startsWith(".") ? lower.endsWith(p) : p.endsWith("/*") ? mime.startsWith(p.slice(0, -1)) : mime === p);
}

/**
 * Sort a drop into files to send and files refused (type, size), or refuse it whole (count).
 * @param {Found[]} files
 * @param {{accept: string, maxFiles: number, maxFileSize: number}} limits
 * @returns {{accepted: Found[], refused: Found[], message: string}}
 */
export function checkDrop(files, { accept, maxFiles, maxFileSize }) {
  /** @type {Found[]} */
  const accepted = [];
  /** @type {Found[]} */
  const refused = [];
  for (const entry of files) {
    if (!isAccepted(entry.path, entry.file.type, accept)) {
      refused.push({ ...entry, reason: `not an accepted type (${accept})` });
    } else if (maxFileSize && entry.file.size > maxFileSize) {
      refused.push({ ...entry, reason: `${formatBytes(entry.file.size)}; the limit is ${formatBytes(maxFileSize)}` });
    } else {
      accepted.push(entry);
    }
  }
  if (maxFiles && accepted.length > maxFiles) {
    return {
      accepted: [], refused,
      message: `This drop has ${accepted.length} files; the limit is ${maxFiles} at a time. Drop fewer files.`,
    };
  }
  const paths = dedupePaths(accepted.map((e) => e.path));
  return { accepted: accepted.map((e, i) => ({ ...e, path: paths[i] })), refused, message: "" };
}

/**
 * Walk dropped FileSystemEntry objects (webkitGetAsEntry): [{file, path}] with folder-relative paths.
 * @param {(FileSystemEntry | null)[]} entries
 * @returns {Promise<Found[]>}
 */
export async function collectEntries(entries) {
  /** @type {Found[]} */
  const found = [];
  /** @param {FileSystemEntry | null} entry */
  const walk = async (entry) => {
    if (!entry) return;
    if (isFileEntry(entry)) {
      /** @type {File} */
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      found.push({ file, path: entry.fullPath.replace(/^\/+/, "") || file.name });
    } else if (isDirectoryEntry(entry)) {
      const reader = entry.createReader();
      for (;;) {  // readEntries answers in batches (100 in Chromium) until an empty one
        /** @type {FileSystemEntry[]} */
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return found;
}

/**
 * @param {FileSystemEntry} entry
 * @returns {entry is FileSystemFileEntry}
 */
const isFileEntry = (entry) => entry.isFile;

/**
 * @param {FileSystemEntry} entry
 * @returns {entry is FileSystemDirectoryEntry}
 */
const isDirectoryEntry = (entry) => entry.isDirectory;

/** @param {number} n */
export function formatBytes(n) {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = n, unit = -1;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** @param {number} seconds */
export function formatDuration(seconds) {
  if (!isFinite(seconds)) return "";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/**
 * What the total line says of the time left: "finishing…" under a second (the last bytes are acknowledged
 * and stored), where a rounded-up "1 s left" would stand still.
 * @param {number} seconds
 */
export function timeLeft(seconds) {
  return seconds < 1 ? "finishing…" : `${formatDuration(seconds)} left`;
}

// ---- the widget ------------------------------------------------------------------------------------

/**
 * Where one file is, in this page: the kernel's statuses and this page's own.
 * @typedef {RemoteStatus | "queued" | "starting" | "storing" | "refused"} FileStatus
 */

/**
 * One file of a drop, as this page follows it.
 * @typedef {object} Entry
 * @property {string} id           this page's name for the file in the messages
 * @property {File} file
 * @property {string} path         folder-relative, as dropped
 * @property {number} size
 * @property {FileStatus} status
 * @property {string} reason
 * @property {number} acked        bytes acknowledged
 * @property {string} remote       the item's remote path, once the kernel has said it
 * @property {HTMLElement} [row]
 * @property {boolean} [cancelRequested]
 */

/** @type {Set<FileStatus>} */
const FINAL = new Set(["done", "skipped", "failed", "cancelled", "refused"]);
/** @type {Record<FileStatus, string>} */
const LABELS = {
  queued: "queued", starting: "starting", uploading: "uploading", storing: "storing",
  done: "done", skipped: "skipped: exists", failed: "failed", cancelled: "cancelled", refused: "refused",
};

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {import("@anywidget/types").RenderProps<DropzoneTraits> & {listen: import("./shared_module.js").Listen}} props */
function render({ model, el, listen }) {
  const view = Math.random().toString(36).slice(2, 8);
  let counter = 0;
  /** @type {Entry[]} */
  const files = [];
  /** @type {Map<string, Entry>} */
  const byId = new Map();
  /** @type {Map<string, (reply: Pick<Status, "status" | "reason">) => void>} */
  const waiting = new Map();   // id -> resolve, for the kernel's answer to "begin"
  /** @type {{entry: Entry, sender: FileSender} | null} */
  let current = null;
  let running = false;
  let lastHeard = performance.now();
  const meter = new RateMeter();

  const root = element("div", "dlw-dropzone");
  const area = element("div", "dlw-drop-area");
  area.appendChild(element("div", "dlw-hint", "Drop files or folders here, or"));
  const pickFiles = element("button", "dlw-pick-files", "Choose files");
  const pickFolder = element("button", "dlw-pick-folder", "Choose a folder");
  const fileInput = element("input", "dlw-file-input");
  fileInput.type = "file";
  fileInput.multiple = true;
  const folderInput = element("input", "dlw-folder-input");
  folderInput.type = "file";
  folderInput.webkitdirectory = true;
  for (const input of [fileInput, folderInput]) input.style.display = "none";
  area.append(pickFiles, pickFolder, fileInput, folderInput);

  const options = element("div", "dlw-options");
  const overwriteLabel = element("label");
  const overwrite = element("input", "dlw-overwrite");
  overwrite.type = "checkbox";
  overwriteLabel.append(overwrite, " overwrite existing items");
  const folderLabel = element("label", "dlw-folder-label", "into folder ");
  const folder = element("input", "dlw-remote-path");
  folder.type = "text";
  folder.title = "the dataset folder the files go into";
  folderLabel.append(folder);
  const target = element("span", "dlw-target");
  options.append(overwriteLabel, " ", folderLabel, " ", target);

  const totalBar = element("progress", "dlw-total-progress");
  totalBar.max = 1;
  totalBar.value = 0;
  const totalText = element("div", "dlw-total");
  const cancel = element("button", "dlw-cancel", "Cancel");
  const retry = element("button", "dlw-retry", "Retry failed");
  const message = element("div", "dlw-message");
  const list = element("div", "dlw-files");
  root.append(area, options, totalBar, totalText, cancel, retry, message, list);
  el.appendChild(root);

  const syncOptions = () => {
    overwrite.checked = model.get("overwrite");
    const accept = model.get("accept");
    fileInput.accept = accept;
    if (document.activeElement !== folder) folder.value = model.get("remote_path");
    target.textContent = accept ? `(accepts ${accept})` : "";
  };
  syncOptions();
  folder.addEventListener("change", () => {
    model.set("remote_path", folder.value.trim() || "/");
    model.save_changes();
  });
  overwrite.addEventListener("change", () => {
    model.set("overwrite", overwrite.checked);
    model.save_changes();
  });

  /** @param {DropzoneRequest} request */
  const send = (request) => model.send(request);

  /**
   * @param {string} text
   * @param {boolean} [isError]
   */
  const say = (text, isError = false) => {
    message.textContent = text;
    message.classList.toggle("dlw-error", isError);
  };

  /** @param {Entry} entry */
  const showRow = (entry) => {
    if (!entry.row) {
      entry.row = element("div", "dlw-file");
      entry.row.append(element("span", "dlw-name"), element("progress"), element("span", "dlw-status"));
      list.appendChild(entry.row);
    }
    const [name, bar, status] = /** @type {[HTMLElement, HTMLProgressElement, HTMLElement]} */ (
      Array.from(entry.row.children));
    entry.row.dataset.status = entry.status;
    entry.row.dataset.path = entry.path;
    name.textContent = entry.remote || entry.path;
    name.title = entry.remote || entry.path;
    bar.max = Math.max(entry.size, 1);
    bar.value = entry.status === "done" ? bar.max : entry.acked;
    status.textContent = LABELS[entry.status] + (entry.reason ? `: ${entry.reason}` : "");
    status.title = status.textContent;
  };

  const showTotal = () => {
    const live = files.filter((f) => f.status !== "refused" && f.status !== "skipped");
    const size = live.reduce((s, f) => s + f.size, 0);
    const sent = live.reduce((s, f) => s + (f.status === "done" ? f.size : f.acked), 0);
    const done = files.filter((f) => f.status === "done").length;
    totalBar.max = Math.max(size, 1);
    totalBar.value = sent;
    const rate = meter.rate();
    const left = running && rate > 0 ? `, ${timeLeft((size - sent) / rate)}` : "";
    const speed = running ? `, ${formatBytes(rate)}/s` : "";
    const failed = files.filter((f) => f.status === "failed").length;
    totalText.textContent = files.length
      ? `${done} of ${files.length} files done${failed ? `, ${failed} failed` : ""}; ` +
        `${formatBytes(sent)} of ${formatBytes(size)}${speed}${left}`
      : "";
    retry.disabled = !files.some((f) => f.status === "failed");
    cancel.disabled = !running;
  };

  /**
   * @param {Entry} entry
   * @param {FileStatus} status
   * @param {string} [reason]
   */
  const setStatus = (entry, status, reason = "") => {
    entry.status = status;
    entry.reason = reason;
    showRow(entry);
    showTotal();
  };

  /** @param {string} reason */
  const failAll = (reason) => {
    for (const entry of files) {
      if (!FINAL.has(entry.status)) setStatus(entry, "failed", reason);
    }
    if (current) current.sender.fail(reason);
    for (const resolve of waiting.values()) resolve({ status: "failed", reason });
    waiting.clear();
  };

  // A kernel that was restarted or died never answers again: fail what waits for it, visibly.
  const watchdog = setInterval(() => {
    const waitsForKernel = files.some((f) => ["starting", "uploading", "storing"].includes(f.status));
    const storing = files.filter((f) => f.status === "storing").reduce((s, f) => s + f.size, 0);
    const allowed = model.get("ack_timeout") * 1000 + storing / 20000;  // storing: >= 20 MB/s
    if (waitsForKernel && performance.now() - lastHeard > allowed) {
      failAll(`no answer from the kernel for ${Math.round(allowed / 1000)} s (was it restarted?)`);
    }
  }, 1000);

  // Where the widget manager knows the kernel (JupyterLab, Notebook 7), a restart or a death from this
  // page, or an automatic restart, is seen at once rather than after `ack_timeout` of silence. The new
  // kernel never heard of this widget, and the old one took its unfinished files with it.
  // Beyond anywidget's narrow API, so typed as what it may be: a Lumino signal of the kernel's status.
  /** @type {{kernel?: {statusChanged?: {connect?: Function, disconnect?: Function}}}} */
  const manager = /** @type {any} */ (model.widget_manager);
  const kernel = manager && manager.kernel;
  const kernelStatus = kernel && kernel.statusChanged;
  /**
   * @param {unknown} _kernel
   * @param {string} status
   */
  const onKernelStatus = (_kernel, status) => {
    if (!["restarting", "autorestarting", "dead"].includes(status)) return;
    const what = status === "dead" ? "died" : "restarted";
    failAll(`the kernel ${what} before the file was stored; run the cell again to upload it`);
  };
  if (kernelStatus && typeof kernelStatus.connect === "function") kernelStatus.connect(onKernelStatus);
  // Every widget manager (ipywidgets 7's too, which has no kernel to watch: JupyterLab 3, the classic
  // Notebook) disconnects its models when the kernel restarts, and a model says so with this event.
  const onDisconnect = () =>
    failAll("the kernel restarted or went away before the file was stored; run the cell again to upload it");

  /** @param {Entry} entry */
  const uploadOne = async (entry) => {
    setStatus(entry, "starting");
    entry.acked = 0;
    lastHeard = performance.now();
    const chunkSize = model.get("max_chunk");
    /** @type {Pick<Status, "status" | "reason">} */
    const reply = await new Promise((resolve) => {
      waiting.set(entry.id, resolve);
      send({
        type: "begin", id: entry.id, path: entry.path, size: entry.size, chunk: chunkSize,
        mimetype: entry.file.type || "",
      });
    });
    if (reply.status !== "uploading") return;
    if (entry.cancelRequested) {
      send({ type: "cancel", id: entry.id });
      setStatus(entry, "cancelled");
      return;
    }
    const sender = new FileSender({
      size: entry.size,
      chunkSize,
      window: model.get("window"),
      read: (start, end) => entry.file.slice(start, end).arrayBuffer(),
      send: (chunk, data) => {
        /** @type {Chunk} */
        const message = { type: "chunk", id: entry.id, index: chunk.index, offset: chunk.start };
        model.send(message, undefined, [data]);
      },
    });
    current = { entry, sender };
    try {
      await sender.start();
      setStatus(entry, "storing");
      send({ type: "end", id: entry.id, chunks: sender.chunks.length });
    } catch (error) {
      if (sender.state === "cancelled") {
        send({ type: "cancel", id: entry.id });
        setStatus(entry, "cancelled");
      } else if (!FINAL.has(entry.status)) {
        const reason = /** @type {Error} */ (error).message;
        send({ type: "cancel", id: entry.id, reason });
        setStatus(entry, "failed", reason);
      }
    } finally {
      current = null;
    }
  };

  const run = async () => {
    if (running) return;
    running = true;
    showTotal();
    try {
      for (let entry; (entry = files.find((f) => f.status === "queued"));) await uploadOne(entry);
    } finally {
      running = false;
      showTotal();
      send({ type: "finished" });
    }
  };

  /** @param {Found[]} found */
  const add = (found) => {
    const checked = checkDrop(found, {
      accept: model.get("accept"), maxFiles: model.get("max_files"), maxFileSize: model.get("max_file_size"),
    });
    say(checked.message, Boolean(checked.message));
    for (const entry of [...checked.accepted, ...checked.refused]) {
      /** @type {Entry} */
      const item = {
        id: `${view}-${++counter}`, file: entry.file, path: entry.path, size: entry.file.size,
        status: entry.reason ? "refused" : "queued", reason: entry.reason || "", acked: 0, remote: "",
      };
      files.push(item);
      byId.set(item.id, item);
      showRow(item);
    }
    showTotal();
    run();
  };

  /** @param {HTMLInputElement} input */
  const fromInput = (input) => {
    const found = Array.from(input.files || [], (file) => ({ file, path: file.webkitRelativePath || file.name }));
    input.value = "";
    add(found);
  };
  fileInput.addEventListener("change", () => fromInput(fileInput));
  folderInput.addEventListener("change", () => fromInput(folderInput));
  pickFiles.addEventListener("click", () => fileInput.click());
  pickFolder.addEventListener("click", () => folderInput.click());

  /** @param {DragEvent} event */
  const over = (event) => {
    event.preventDefault();
    event.stopPropagation();
    area.classList.add("dlw-over");
  };
  area.addEventListener("dragenter", over);
  area.addEventListener("dragover", over);
  area.addEventListener("dragleave", () => area.classList.remove("dlw-over"));
  area.addEventListener("drop", (event) => {
    event.preventDefault();
    event.stopPropagation();
    area.classList.remove("dlw-over");
    const transfer = event.dataTransfer;
    if (!transfer) return;
    // Entries must be taken during the event; a dropped folder is only reachable through them.
    const items = Array.from(transfer.items || []).filter((i) => i.kind === "file");
    const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
    const plain = items.map((i) => i.getAsFile());
    if (entries.length && entries.every(Boolean)) {
      collectEntries(entries).then(add, (error) => say(`could not read the drop: ${error.message}`, true));
    } else {
      const dropped = plain.length ? plain : Array.from(transfer.files);
      const picked = /** @type {File[]} */ (dropped.filter(Boolean));
      add(picked.map((file) => ({ file, path: file.webkitRelativePath || file.name })));
    }
  });

  cancel.addEventListener("click", () => {
    for (const entry of files) {
      if (entry.status === "queued") setStatus(entry, "cancelled");
      if (entry.status === "starting") entry.cancelRequested = true;  // once the kernel has answered
    }
    if (current) current.sender.cancel();
  });
  retry.addEventListener("click", () => {
    for (const entry of files) {
      if (entry.status !== "failed") continue;
      byId.delete(entry.id);
      entry.id = `${view}-${++counter}`;
      byId.set(entry.id, entry);
      setStatus(entry, "queued");
    }
    run();
  });

  /** @param {DropzoneReply} msg */
  const onMessage = (msg) => {
    lastHeard = performance.now();
    if (msg.type === "notice") {
      say(msg.error ?? msg.notice ?? "", msg.kind !== "notice");
      return;
    }
    const entry = byId.get(msg.id);
    if (!entry) return;  // another view's file
    if (msg.type === "ack") {
      if (current && current.entry === entry && current.sender.ack(msg.index)) {
        entry.acked = current.sender.ackedBytes;
        meter.add(performance.now(), files.reduce((s, f) => s + (f.status === "done" ? f.size : f.acked), 0));
        showRow(entry);
        showTotal();
      }
      return;
    }
    if (msg.type !== "status") return;
    if (msg.path) entry.remote = msg.path;
    if (msg.status === "uploading") setStatus(entry, "uploading");
    else setStatus(entry, msg.status, msg.reason || "");
    if (msg.status === "failed" && current && current.entry === entry) current.sender.fail(msg.reason || "");
    const resolve = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (resolve) resolve(msg);
  };
  const unlisten = listen(model, {
    "msg:custom": onMessage,
    comm_live_update: onDisconnect,
    "change:overwrite": syncOptions,
    "change:remote_path": syncOptions,
    "change:accept": syncOptions,
  });
  showTotal();

  return () => {
    clearInterval(watchdog);
    if (kernelStatus && typeof kernelStatus.disconnect === "function") kernelStatus.disconnect(onKernelStatus);
    if (current) current.sender.cancel();
    unlisten();
  };
}

export default { render };
