// Small helpers for building the pages' elements: text is always set as text, never as HTML.
export function node(tag, text, className) {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  if (className) element.className = className;
  return element;
}

export function button(text, onClick, className = "") {
  const element = node("button", text, className);
  element.type = "button";
  element.addEventListener("click", onClick);
  return element;
}

// An element of the page by its id.
export const $ = (id) => document.getElementById(id);
