// The page's words: fetched from the server's message catalog (tinygrad_edu/messages.py).

let messages = {};
let language = "en";

export async function loadMessages(lang) {
  const response = await fetch(`/api/messages?lang=${encodeURIComponent(lang)}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  messages = body.messages;
  language = body.lang;
  document.documentElement.lang = language === "pt" ? "pt-BR" : "en";
}

export function currentLanguage() {
  return language;
}

/** The message `key` with its {placeholders} filled from `fields`. */
export function t(key, fields = {}) {
  const template = messages[key];
  if (template === undefined) return key;
  return template.replace(/\{(\w+)(![rs])?\}/g, (whole, name) =>
    name in fields ? String(fields[name]) : whole);
}

/** Fill every element marked data-i18n="key" below `root` with its message. */
export function applyTexts(root = document) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  document.title = t("explore.title");
}
