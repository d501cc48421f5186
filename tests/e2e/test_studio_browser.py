"""The Browser inside the Studio, in JupyterLab 4 and Notebook 7: a folder opened in Browse is where the
Upload tab uploads, the grid reads the dataset again after the upload, the arrow keys move the selection
and a double-click opens the card's item in the Annotate tab. Then every tab is read in JupyterLab's dark
theme: the text of each widget must stand out from its background (computed styles), and the README gets
screenshots in both themes."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

from dlwidgets.demo import street_scene

from .page import NotebookPage, OpenNotebook
from .polling import poll
from .screenshots import save_screenshot
from .test_studio import StudioView, button
from .views import BrowserView

UPLOADED = "dropped.jpg"

STUDIO_CELL = """\
import dlwidgets as dw
from dlwidgets.demo import create_demo, street_scene

client = dw.connect(home=str(OUT / "workspace"))
create_demo(client, images=3)
dataset = client.projects.list()[0].datasets.list()[0]
dataset.items.upload(local_path=street_scene(7), remote_path="/inbox", remote_name="first.jpg")
studio = dw.Studio()
studio.browser.on_select(lambda items: dump("selected.json", [i.filename for i in items]))
studio
"""


def open_studio(open_notebook: OpenNotebook) -> tuple[NotebookPage, StudioView, BrowserView]:
    notebook = open_notebook([STUDIO_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-studio .dlw-browser .dlw-item-grid")
    notebook.wait_ready()
    browser = BrowserView(notebook)
    browser.wait_label("1-4 of 4")
    return notebook, StudioView(notebook), browser


def test_upload_into_the_open_folder_then_arrows_and_a_double_click(
    open_notebook: OpenNotebook, tmp_path: Path
) -> None:
    notebook, studio, browser = open_studio(open_notebook)

    # The folder tree: "/", "/inbox", "/streets"; open "/inbox".
    browser.root.locator(".widget-select select").first.select_option(index=1)
    browser.wait_label("1-1 of 1")

    # Upload: the dropzone's folder is the one open in Browse; the grid shows the new item there.
    studio.tab("Upload")
    dropzone = studio.pane(".dlw-dropzone")
    folder = dropzone.locator("input.dlw-remote-path")
    poll(lambda: folder.input_value() == "/inbox" or None, timeout=30, what="the upload folder /inbox")
    picked = tmp_path / UPLOADED
    picked.write_bytes(street_scene(8))
    dropzone.locator("input.dlw-file-input").set_input_files(picked)
    dropzone.locator('.dlw-file[data-status="done"]').wait_for(timeout=60_000)
    studio.tab("Browse")
    browser.wait_label("1-2 of 2")
    first, second = browser.names()
    assert sorted([first, second]) == sorted(["first.jpg", UPLOADED])

    # The arrow keys move the selection through the grid (the notebook takes none of them).
    browser.card(first).click()
    assert notebook.wait_file("selected.json", until=lambda names: names == [f"/inbox/{first}"])
    notebook.page.keyboard.press("ArrowRight")
    assert notebook.wait_file("selected.json", until=lambda names: names == [f"/inbox/{second}"])
    notebook.page.keyboard.press("ArrowLeft")
    assert notebook.wait_file("selected.json", until=lambda names: names == [f"/inbox/{first}"])

    # A double-click opens the card's item in the Annotate tab.
    browser.card(second).dblclick()
    header = studio.root.locator(".dlw-annotator-panel .dlw-item-name").first
    header.wait_for(state="visible", timeout=30_000)
    poll(lambda: header.inner_text() == second or None, timeout=30, what=f"the Annotator on {second}")


# For every element with its own text in `root`: its colour, and the colour behind it (the first
# ancestor's opaque background, blended through translucent ones), both as RGBA bytes from a canvas,
# which reads any CSS colour (rgb(), color(srgb ...), color-mix results, system colours).
_CONTRAST_JS = """root => {
  const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  const rgba = (value) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0,0,0,0)";
    ctx.fillStyle = value;
    ctx.fillRect(0, 0, 1, 1);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data);
  };
  const over = (top, bottom) => {
    const a = top[3] / 255;
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([255]);
  };
  const behind = (node) => {
    const layers = [];
    for (let n = node; n; n = n.parentElement) {
      const bg = rgba(getComputedStyle(n).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] === 255) break;
    }
    let colour = [255, 255, 255, 255];
    if (layers.length && layers[layers.length - 1][3] === 255) colour = layers.pop();
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const found = [];
  for (const node of root.querySelectorAll("*")) {
    const own = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.textContent.trim());
    const box = node.getBoundingClientRect();
    const style = getComputedStyle(node);
    if (!own || box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
    if (node.closest("[disabled], .jp-mod-disabled, option")) continue;
    const back = behind(node);
    const text = over(rgba(style.color), back);
    const [l1, l2] = [luminance(text), luminance(back)].sort((a, b) => b - a);
    found.push({ text: node.textContent.trim().slice(0, 40), cls: node.className && String(node.className),
                 ratio: (l1 + 0.05) / (l2 + 0.05), color: text, background: back });
  }
  return found;
}"""

DARK = "JupyterLab Dark"
# The buttons whose label does not fit (cut to "Select …" by the ellipsis).
_CLIPPED_JS = """root => Array.from(root.querySelectorAll("button"))
  .filter((b) => b.getBoundingClientRect().width > 0 && b.scrollWidth > b.clientWidth + 1)
  .map((b) => b.textContent.trim())"""

MIN_CONTRAST = 3.0  # WCAG's figure for large text and controls; body text in both themes is far above it
TABS = ("Sign in", "Browse", "Ontology", "Upload", "Prompts", "Tasks", "Annotate")


def low_contrast(root: Locator) -> list[dict[str, object]]:
    """The texts under ``root`` that stand out from their background by less than MIN_CONTRAST."""
    shown = root.evaluate(_CONTRAST_JS)
    assert len(shown) > 3, "no text found in the widget"
    return [entry for entry in shown if entry["ratio"] < MIN_CONTRAST]


def use_dark_theme(page: Page) -> None:
    """Switch JupyterLab (or Notebook 7) to its dark theme and wait until the page shows it."""
    page.evaluate(f"() => window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{DARK}'}})")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)


def test_every_tab_is_readable_in_the_dark_theme_and_no_button_is_cut_short(
    open_notebook: OpenNotebook,
) -> None:
    notebook, studio, browser = open_studio(open_notebook)
    page = notebook.page
    browser.card("first.jpg").click()
    use_dark_theme(page)
    button(studio.root, "Annotate").click()
    studio.pane(".dlw-annotator-panel")
    unreadable: dict[str, list[dict[str, object]]] = {}
    for tab in TABS:
        studio.tab(tab)
        page.wait_for_timeout(300)  # the tab's widgets laid out
        found = low_contrast(studio.root)
        if found:
            unreadable[tab] = found
        clipped = studio.root.evaluate(_CLIPPED_JS)
        if clipped:
            unreadable[f"{tab}: buttons cut short"] = clipped
        if tab in ("Browse", "Annotate"):
            save_screenshot(studio.root, f"Studio-dark-{tab}")
    assert unreadable == {}
