// The dropzone: files and folders dropped or picked here travel to the kernel in chunks and become items.
// Each file is read a slice at a time (file.slice), so no whole file is ever held in memory; each slice
// is one custom message with one binary buffer, acknowledged by the kernel, with at most `window`
// slices unacknowledged. The protocol is described in dlwidgets/widgets/dropzone.py.
// A kernel that is restarted or dies takes its unfinished files with it, and the page says so: at once
// where the widget manager knows the kernel (JupyterLab, Notebook 7) or the model reports that it lost
// its kernel (`comm_live_update`, ipywidgets 7 too), else after `ack_timeout` seconds of silence.
// anywidget loads this module from a blob: URL, where relative imports cannot resolve, so the pure
// parts (chunk planning, flow control, paths, limits, formatting) are named exports of this one file,
// and js/dropzone.test.mjs imports them. Besides anywidget's narrow model API (get, set, save_changes,
// on, off, send) it only looks for `model.widget_manager.kernel` and does without it, so it runs in
// JupyterLab, Notebook 7, VS Code and Colab alike. Its look is dropzone.css, the widget's `_css`.

export const MIB = 1 << 20;

// ---- pure parts ------------------------------------------------------------------------------------

/** The chunks of a `size`-byte file: [{index, start, end}], the last one shorter; none for 0 bytes. */
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
  constructor({ size, chunkSize, window, read, send }) {
    this.chunks = planChunks(size, chunkSize);
    this.window = Math.max(1, window);
    this.read = read;             // (start, end) => Promise<ArrayBuffer>
    this.send = send;             // (chunk, ArrayBuffer) => void
    this.next = 0;
    this.inFlight = new Map();    // index -> bytes
    this.ackedBytes = 0;
    this.ackedCount = 0;
    this.maxInFlight = 0;
    this.state = "idle";          // sending | done | failed | cancelled
    this.pumping = false;
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

  /** The kernel acknowledged chunk `index`; false for a duplicate or unknown ack. */
  ack(index) {
    if (!this.inFlight.has(index)) return false;
    this.ackedBytes += this.inFlight.get(index);
    this.ackedCount += 1;
    this.inFlight.delete(index);
    this.pump();
    return true;
  }

  cancel() {
    this.stop("cancelled", new Error("cancelled"));
  }

  fail(reason) {
    this.stop("failed", new Error(reason));
  }

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
    this.samples = [];
  }

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

/** `paths` with repeats renamed `a (2).jpg`, `a (3).jpg`, so two files of one drop never collide. */
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

/** Whether a file matches an HTML accept list ("image/*,.pdf"); an empty list accepts everything. */
export function isAccepted(name, type, accept) {
  const patterns = (accept || "").split(",").map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (!patterns.length) return true;
  const lower = name.toLowerCase();
  const mime = (type || "").toLowerCase();
  return patterns.some((p) =>
    p.startsWith(".") ? lower.endsWith(p) : p.endsWith("/*") ? mime.startsWith(p.slice(0, -1)) : mime === p);
}

/** Sort a drop into files to send and files refused (type, size), or refuse it whole (count). */
export function checkDrop(files, { accept, maxFiles, maxFileSize }) {
  const accepted = [];
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

/** Walk dropped FileSystemEntry objects (webkitGetAsEntry): [{file, path}] with folder-relative paths. */
export async function collectEntries(entries) {
  const found = [];
  const walk = async (entry) => {
    if (!entry) return;
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      found.push({ file, path: entry.fullPath.replace(/^\/+/, "") || file.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {  // readEntries answers in batches (100 in Chromium) until an empty one
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return found;
}

export function formatBytes(n) {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = n, unit = -1;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds) {
  if (!isFinite(seconds)) return "";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

// ---- the widget ------------------------------------------------------------------------------------

const FINAL = new Set(["done", "skipped", "failed", "cancelled", "refused"]);
const LABELS = {
  queued: "queued", starting: "starting", uploading: "uploading", storing: "storing",
  done: "done", skipped: "skipped: exists", failed: "failed", cancelled: "cancelled", refused: "refused",
};

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  const view = Math.random().toString(36).slice(2, 8);
  let counter = 0;
  const files = [];            // {id, file, path, size, status, reason, acked, remote, row}
  const byId = new Map();
  const waiting = new Map();   // id -> resolve, for the kernel's answer to "begin"
  let current = null;          // {entry, sender}
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
  const target = element("span", "dlw-target");
  options.append(overwriteLabel, " ", target);

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
    target.textContent = `to ${model.get("remote_path")}` + (accept ? ` (accepts ${accept})` : "");
  };
  syncOptions();
  overwrite.addEventListener("change", () => {
    model.set("overwrite", overwrite.checked);
    model.save_changes();
  });

  const say = (text, isError = false) => {
    message.textContent = text;
    message.classList.toggle("dlw-error", isError);
  };

  const showRow = (entry) => {
    if (!entry.row) {
      entry.row = element("div", "dlw-file");
      entry.row.append(element("span", "dlw-name"), element("progress"), element("span", "dlw-status"));
      list.appendChild(entry.row);
    }
    const [name, bar, status] = entry.row.children;
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
    const left = rate > 0 && running ? `, ${formatDuration((size - sent) / rate)} left` : "";
    const speed = running ? `, ${formatBytes(rate)}/s` : "";
    const failed = files.filter((f) => f.status === "failed").length;
    totalText.textContent = files.length
      ? `${done} of ${files.length} files done${failed ? `, ${failed} failed` : ""}; ` +
        `${formatBytes(sent)} of ${formatBytes(size)}${speed}${left}`
      : "";
    retry.disabled = !files.some((f) => f.status === "failed");
    cancel.disabled = !running;
  };

  const setStatus = (entry, status, reason = "") => {
    entry.status = status;
    entry.reason = reason;
    showRow(entry);
    showTotal();
  };

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
  const kernel = model.widget_manager && model.widget_manager.kernel;
  const kernelStatus = kernel && kernel.statusChanged;
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
  model.on("comm_live_update", onDisconnect);

  const uploadOne = async (entry) => {
    setStatus(entry, "starting");
    entry.acked = 0;
    lastHeard = performance.now();
    const chunkSize = model.get("max_chunk");
    const reply = await new Promise((resolve) => {
      waiting.set(entry.id, resolve);
      model.send({
        type: "begin", id: entry.id, path: entry.path, size: entry.size, chunk: chunkSize,
        mimetype: entry.file.type || "",
      });
    });
    if (reply.status !== "uploading") return;
    if (entry.cancelRequested) {
      model.send({ type: "cancel", id: entry.id });
      setStatus(entry, "cancelled");
      return;
    }
    const sender = new FileSender({
      size: entry.size,
      chunkSize,
      window: model.get("window"),
      read: (start, end) => entry.file.slice(start, end).arrayBuffer(),
      send: (chunk, data) => model.send(
        { type: "chunk", id: entry.id, index: chunk.index, offset: chunk.start }, undefined, [data]),
    });
    current = { entry, sender };
    try {
      await sender.start();
      setStatus(entry, "storing");
      model.send({ type: "end", id: entry.id, chunks: sender.chunks.length });
    } catch (error) {
      if (sender.state === "cancelled") {
        model.send({ type: "cancel", id: entry.id });
        setStatus(entry, "cancelled");
      } else if (!FINAL.has(entry.status)) {
        model.send({ type: "cancel", id: entry.id, reason: error.message });
        setStatus(entry, "failed", error.message);
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
    }
  };

  const add = (found) => {
    const checked = checkDrop(found, {
      accept: model.get("accept"), maxFiles: model.get("max_files"), maxFileSize: model.get("max_file_size"),
    });
    say(checked.message, Boolean(checked.message));
    for (const entry of [...checked.accepted, ...checked.refused]) {
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

  const fromInput = (input) => {
    const found = Array.from(input.files, (file) => ({ file, path: file.webkitRelativePath || file.name }));
    input.value = "";
    add(found);
  };
  fileInput.addEventListener("change", () => fromInput(fileInput));
  folderInput.addEventListener("change", () => fromInput(folderInput));
  pickFiles.addEventListener("click", () => fileInput.click());
  pickFolder.addEventListener("click", () => folderInput.click());

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
    // Entries must be taken during the event; a dropped folder is only reachable through them.
    const items = Array.from(transfer.items || []).filter((i) => i.kind === "file");
    const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
    const plain = items.map((i) => i.getAsFile());
    if (entries.length && entries.every(Boolean)) {
      collectEntries(entries).then(add, (error) => say(`could not read the drop: ${error.message}`, true));
    } else {
      const dropped = plain.length ? plain : Array.from(transfer.files);
      add(dropped.filter(Boolean).map((file) => ({ file, path: file.webkitRelativePath || file.name })));
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

  const onMessage = (msg) => {
    lastHeard = performance.now();
    if (msg.type === "notice") {
      say(msg.error ?? msg.notice, msg.kind !== "notice");
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
    if (msg.status === "failed" && current && current.entry === entry) current.sender.fail(msg.reason);
    const resolve = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (resolve) resolve(msg);
  };
  model.on("msg:custom", onMessage);
  model.on("change:overwrite", syncOptions);
  model.on("change:remote_path", syncOptions);
  model.on("change:accept", syncOptions);
  showTotal();

  return () => {
    clearInterval(watchdog);
    if (kernelStatus && typeof kernelStatus.disconnect === "function") kernelStatus.disconnect(onKernelStatus);
    if (current) current.sender.cancel();
    model.off("msg:custom", onMessage);
    model.off("comm_live_update", onDisconnect);
    model.off("change:overwrite", syncOptions);
    model.off("change:remote_path", syncOptions);
    model.off("change:accept", syncOptions);
  };
}

export default { render };
