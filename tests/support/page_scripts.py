"""JavaScript run in the page by the browser tests (kept here so the tests read as prose)."""

ACCESS_KEYS = """() => [...document.querySelectorAll('[accesskey]')].map(el => ({
  key: el.getAttribute('accesskey'), tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '',
  href: el.href || '', id: el.id || ''}))"""

# Focusable elements in document order, each tagged with data-kb so Tab stops can be matched.
FOCUSABLES = """() => {
  const sel = 'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable="true"]';
  const style = el => { const s = getComputedStyle(el); return {outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
    shadow: s.boxShadow, background: s.backgroundColor, border: s.borderColor + ' ' + s.borderWidth, decoration: s.textDecorationLine}; };
  const els = [...document.querySelectorAll(sel)].filter(el => el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]')
    && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');
  return els.map((el, i) => { el.setAttribute('data-kb', i);
    return {index: i, tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
      text: (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
      style: style(el)}; });
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  return {index: el.getAttribute('data-kb'), tag: el.tagName.toLowerCase(), id: el.id, cls: el.className || '',
    href: el.getAttribute('href') || '',
    style: {outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor, shadow: s.boxShadow,
      background: s.backgroundColor, border: s.borderColor + ' ' + s.borderWidth, decoration: s.textDecorationLine},
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0};
}"""

IN_MAIN = "() => { const m = document.querySelector('main'); return !!m && m.contains(document.activeElement); }"

OVERFLOW = """() => {
  const width = window.innerWidth, total = document.scrollingElement.scrollWidth;
  const wide = total <= width ? [] : [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest('.visually-hidden, .skip-link'))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
      + ' right=' + Math.round(el.getBoundingClientRect().right));
  return {width, total, wide};
}"""

# WCAG 2.2 SC 2.5.8 Target Size (Minimum): 24×24 CSS px, except inline targets in running text and
# undersized targets whose 24 px circle touches no other target.
TARGET_SIZE = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const all = [...document.querySelectorAll(sel)].map(el => ({el, r: el.getBoundingClientRect()}))
    .filter(t => t.r.width > 1 && t.r.height > 1 && t.r.right > 0 && getComputedStyle(t.el).visibility !== 'hidden'
      && !t.el.closest('.visually-hidden'));
  // Inline in running text: an inline target with visible non-target text on the same line.
  const inSentence = t => {
    if (getComputedStyle(t.el).display !== 'inline') return false;
    let block = t.el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT), range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (t.el.contains(n) || !n.textContent.trim() || n.parentElement.closest('a[href], button, .visually-hidden')) continue;
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.bottom > t.r.top + 1 && r.top < t.r.bottom - 1) return true;
      }
    }
    return false;
  };
  const small = all.filter(t => (t.r.width < 24 || t.r.height < 24) && !inSentence(t));
  const center = r => [r.left + r.width / 2, r.top + r.height / 2];
  const distToRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const bad = small.filter(t => {
    const c = center(t.r);
    return all.some(o => o !== t && o.el !== t.el && !o.el.contains(t.el) && !t.el.contains(o.el) && (distToRect(c, o.r) < 12
      || (small.includes(o) && Math.hypot(c[0] - center(o.r)[0], c[1] - center(o.r)[1]) < 24)));
  });
  return bad.slice(0, 10).map(t => t.el.tagName.toLowerCase() + ' "' + (t.el.textContent || t.el.value || '').trim().slice(0, 40)
    + '" ' + Math.round(t.r.width) + '×' + Math.round(t.r.height));
}"""

# Under print media: which of the site's chrome is still rendered.
PRINT_CHROME = """() => {
  const groups = {header: 'body > header, .portal-header', menus: 'nav:not(main nav), .portal-menu',
    search: '[role=search], input[type=search]', footer: 'body > footer, .portal-footer', 'skip link': '.skip-link'};
  const out = {};
  for (const [name, sel] of Object.entries(groups)) {
    const els = [...document.querySelectorAll(sel)];
    out[name] = {found: els.length, shown: els.filter(el => el.getClientRects().length > 0).map(el => el.outerHTML.slice(0, 80))};
  }
  return out;
}"""

PRINT_SECTIONS = """() => [...document.querySelectorAll('main section[id] > h2, main h1')].map(h => ({
  text: h.textContent.trim().replace(/\\s+/g, ' '), shown: h.getClientRects().length > 0}))"""

PRINT_FORM_LINKS = """() => [...document.querySelectorAll('main a[download]')].filter(a => a.getClientRects().length > 0)
  .map(a => ({href: a.getAttribute('data-print-url') || a.getAttribute('href'), after: getComputedStyle(a, '::after').content}))"""

# Tables stacked on a phone: each data cell must still name its column, and the caption must span.
REFLOWED_TABLES = """() => [...document.querySelectorAll('main table')].filter(t => t.tHead).map(t => {
  const heads = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
  const unlabelled = [...t.querySelectorAll('tbody td')].filter(td => {
    const before = getComputedStyle(td, '::before').content;
    return !before.includes(heads[td.cellIndex]);
  }).map(td => heads[td.cellIndex] + ' = ' + td.textContent.trim().slice(0, 30));
  const wrap = t.parentElement.getBoundingClientRect().width;
  return {caption: (t.caption ? t.caption.textContent.trim() : ''),
    captionShare: t.caption ? t.caption.getBoundingClientRect().width / wrap : 1,
    headerShown: t.tHead.getBoundingClientRect().height > 1, unlabelled};
})"""
