"""Charts of a digest (matplotlib, no pyplot state): PNG for the DOCX, inline SVG for HTML.

The SVG goes inline into a page served under a strict Content-Security-Policy
(``style-src 'self'``): matplotlib's ``<style>`` element and ``style="..."``
attributes would be blocked there, so they are turned into SVG presentation
attributes (``fill="#..."``), which the policy allows.
"""

from __future__ import annotations

import io
import re
import textwrap
import unicodedata
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

from arabic_reshaper import reshape  # noqa: E402
from bidi import get_display  # noqa: E402
from flask_babel import gettext as _  # noqa: E402
from lxml import etree  # noqa: E402
from markupsafe import Markup  # noqa: E402
from matplotlib import rc_context  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

if TYPE_CHECKING:
    from consult.digest.contents import Digest
    from consult.digest.matrix import Matrix

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"
# The same five blues as the heat-0..heat-4 classes of the page.
HEAT_COLOURS = ["#ffffff", "#e6eefb", "#c3d5f4", "#94b4ea", "#5f8ddc"]
BAR_COLOUR = "#003399"
#: Behind the text of a hatched (suppressed) cell.
LABEL_GROUND = {"boxstyle": "square,pad=0.15", "facecolor": "#ffffff", "edgecolor": "none"}


def shaped(text: str) -> str:
    """Text as matplotlib must be given it: Arabic letters joined, right-to-left runs in order.

    matplotlib draws characters one by one, left to right; without this an Arabic
    label would show isolated letters in reverse order.
    """
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return text
    return get_display(reshape(text))


def _wrapped(name: str, width: int = 32) -> str:
    """A long priority name on two or three lines, so the label is never cut."""
    return textwrap.fill(name, width=width)


def _country_key(countries: list[tuple[str, str]], width: float) -> list[str]:
    """Lines of "code name" pairs that fit under a chart ``width`` inches wide."""
    per_line = max(40, int(width * 15))
    lines: list[str] = []
    line = ""
    for code, name in countries:
        entry = f"{code} {shaped(name)}"
        if line and len(line) + 3 + len(entry) > per_line:
            lines.append(line)
            line = entry
        else:
            line = f"{line} \u00b7 {entry}" if line else entry
    if line:
        lines.append(line)
    return lines


def heatmap_figure(matrix: Matrix) -> Figure:
    """The priority x country matrix; suppressed cells are hatched and say what the table says.

    A compact matrix (many countries) names its columns by ISO code, as its
    table does, so that 16 countries fit a page at a readable size; a key
    under the chart gives each code's country, so the chart reads on its own.
    """
    n_rows = max(1, len(matrix.rows))
    n_cols = max(1, len(matrix.countries))
    compact = matrix.compact
    width = max(6.0, 2.6 + 0.33 * n_cols if compact else 3.2 + 0.62 * n_cols)
    key = _country_key(matrix.countries, width) if compact else []
    height = 1.2 + 0.55 * n_rows + 0.16 * len(key)
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    shown = [c.count for row in matrix.rows for c in row.cells if c.count]
    highest = max(shown, default=0)
    levels = []
    for row in matrix.rows:
        line = []
        for cell in row.cells:
            level = int(cell.heat.split()[0].removeprefix("heat-")) if cell.count else 0
            line.append(level)
        levels.append(line or [0])
    ax.imshow(
        levels or [[0]],
        cmap=ListedColormap(HEAT_COLOURS),
        vmin=0,
        vmax=4,
        aspect="auto",
        interpolation="nearest",
    )
    for i, row in enumerate(matrix.rows):
        for j, cell in enumerate(row.cells):
            colour = "#ffffff" if cell.heat.startswith("heat-4") else "#1b1f24"
            if cell.suppressed:
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#8a929e"
                    )
                )
            # The cell's own words ("<3", "hidden", its number), as in the table; on a
            # white ground over the hatching, so that they stay readable.
            ax.text(
                j,
                i,
                matrix.short_text(cell),
                ha="center",
                va="center",
                fontsize=7 if compact else 8,
                color=colour,
                bbox=LABEL_GROUND if cell.suppressed else None,
            )
    ax.set_xticks(range(len(matrix.countries)))
    if compact:
        ax.set_xticklabels([code for code, _name in matrix.countries], fontsize=8)
        ax.set_xlabel("\n".join(key), fontsize=7, labelpad=8)
    else:
        ax.set_xticklabels(
            [shaped(name) for _c, name in matrix.countries], rotation=45, ha="right", fontsize=8
        )
    ax.set_yticks(range(len(matrix.rows)))
    ax.set_yticklabels(
        [shaped(_wrapped(row.name, 26 if compact else 32)) for row in matrix.rows], fontsize=8
    )
    ax.set_xticks([x - 0.5 for x in range(1, n_cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, n_rows)], minor=True)
    ax.grid(which="minor", color="#d6dae0", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    title = _("Inputs by priority and country")
    if highest == 0 and not matrix.has_suppressed:
        title = _("Inputs by priority and country (none)")
    ax.set_title(shaped(title), fontsize=10)
    fig.tight_layout()
    return fig


def type_figure(counts: list[tuple[str, str, int]]) -> Figure:
    """Inputs by type, as horizontal bars with their numbers."""
    fig = Figure(figsize=(6.0, 0.6 + 0.4 * max(1, len(counts))), dpi=100)
    ax = fig.add_subplot()
    names = [shaped(name) for _slug, name, _n in counts][::-1]
    values = [n for _slug, _name, n in counts][::-1]
    bars = ax.barh(names, values, color=BAR_COLOUR)
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_xlabel(shaped(_("Inputs")), fontsize=8)
    ax.tick_params(labelsize=8)
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(shaped(_("Inputs by type")), fontsize=10)
    fig.tight_layout()
    return fig


def png_bytes(fig: Figure, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


_FONT_SIZE = re.compile(r"^[\d.]+(px|pt|em|%)$")


def _presentation_attributes(style: str) -> dict[str, str]:
    """``fill: #fff; font: 10px 'DejaVu Sans'`` as SVG attributes."""
    attrs: dict[str, str] = {}
    for declaration in style.split(";"):
        name, _sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name or not value:
            continue
        if name == "font":
            for part in value.split():
                if _FONT_SIZE.match(part):
                    attrs["font-size"] = part
                elif part == "italic":
                    attrs["font-style"] = part
                elif part in ("bold", "normal") or part.isdigit():
                    attrs["font-weight"] = part
            attrs["font-family"] = FONT_FAMILY
        elif name == "font-family":
            attrs["font-family"] = FONT_FAMILY
        else:
            attrs[name] = value
    return attrs


def svg_markup(fig: Figure, label: str) -> Markup:
    """Inline SVG without ``<style>``, style attributes, scripts or metadata."""
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "consult"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.fromstring(buffer.getvalue(), parser)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in ("style", "script", "metadata", "foreignObject"):
            element.getparent().remove(element)
            continue
        style = element.attrib.pop("style", None)
        if style:
            for key, value in _presentation_attributes(style).items():
                element.set(key, value)
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "chart")
    title = etree.Element(f"{{{SVG_NS}}}title")
    title.text = label
    root.insert(0, title)
    markup = etree.tostring(root, encoding="unicode")
    # Generated by matplotlib and cleaned above: no text of a user goes in unescaped.
    return Markup(markup)  # noqa: S704  # nosec B704


def digest_charts(digest: Digest) -> dict[str, Figure]:
    return {
        "heatmap": heatmap_figure(digest.matrix()),
        "types": type_figure(digest.type_counts()),
    }
