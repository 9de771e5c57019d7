// Building the page: every value from the API goes in as text, never as HTML, so a test name or log line that
// looks like markup is shown as written.

/** el('td', {class: 'x', dataset: {runId: id}}, 'text', childNode, ...). Null children are left out. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function phaseBadge(phase) {
  return el('span', {class: `phase phase-${phase.toLowerCase()}`}, phase);
}

/** A notice in place of content: "info" for what is expected (not available here), "error" for what went wrong. */
export function notice(kind, text, detail) {
  return el('div', {class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : null},
      el('p', {}, text), detail ? el('p', {class: 'muted'}, detail) : null);
}
