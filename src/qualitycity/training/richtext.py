"""Rich-text lesson bodies: an allowlist of tags and attributes, everything else dropped.

Parsing is done by tinyhtml5 (the WHATWG HTML5 parser WeasyPrint already depends on), so
broken or hostile markup is read the way a browser reads it. The output is then rebuilt
from the parsed tree: only allowlisted elements are written, every text and attribute value
is escaped by us, links must be http(s) or mailto and open with rel="noopener noreferrer".
Nothing from the input is ever copied through verbatim, which is what makes this safe
without a dedicated sanitizer package (nh3 would be the drop-in if one is added later).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

import tinyhtml5

ALLOWED = {"p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "ul", "ol", "li",
           "blockquote", "code", "pre", "hr", "a", "table", "thead", "tbody", "tr", "th", "td", "span", "div"}
VOID = {"br", "hr"}
# content of these is dropped entirely, not just the tags
DROP = {"script", "style", "template", "iframe", "object", "embed", "noscript", "textarea", "select", "svg", "math",
        "head", "title"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
SCHEMES = {"http", "https", "mailto"}


def _safe_href(value: str) -> str | None:
    value = (value or "").strip()
    scheme = urlsplit(value).scheme.lower()
    if scheme and scheme not in SCHEMES:
        return None
    if not scheme and value.startswith("//"):
        return None  # protocol-relative: another site with the page's scheme
    return value


def _write(node, out: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else None
    # comments and processing instructions (tag is not a string) and foreign SVG/MathML
    # elements (namespaced tags) are dropped with everything inside them
    if tag is None or tag.startswith("{") or tag in DROP:
        if node.tail:
            out.append(escape(node.tail))
        return
    keep = tag in ALLOWED
    if keep:
        attrs = []
        for name in sorted(ATTRIBUTES.get(tag, ())):
            value = node.get(name)
            if value is None:
                continue
            if name == "href":
                value = _safe_href(value)
                if value is None:
                    continue
            if name in ("colspan", "rowspan") and not value.isdigit():
                continue
            attrs.append(f' {name}="{escape(value, quote=True)}"')
        if tag == "a":
            attrs.append(' rel="noopener noreferrer"')
        out.append(f"<{tag}{''.join(attrs)}>")
    if node.text:
        out.append(escape(node.text))
    for child in node:
        _write(child, out)
    if keep and tag not in VOID:
        out.append(f"</{tag}>")
    if node.tail:
        out.append(escape(node.tail))


def sanitize(html: str) -> str:
    """The allowlisted HTML of ``html`` (a fragment)."""
    if not (html or "").strip():
        return ""
    document = tinyhtml5.parse(html, namespace_html_elements=False)
    body = document.find("body")
    if body is None:
        return ""
    out: list[str] = []
    if body.text:
        out.append(escape(body.text))
    for child in body:
        _write(child, out)
    return "".join(out).strip()


def looks_like_html(text: str) -> bool:
    """Old lessons are plain text with line breaks; anything with a tag is treated as HTML."""
    return "<" in (text or "") and ">" in (text or "")
