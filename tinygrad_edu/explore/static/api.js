// Talking to the server: every number on the page comes from these requests.

import { currentLanguage } from "./i18n.js";

/** An error the API answered with (a 4xx and its JSON message). */
export class ApiError extends Error {
  constructor(message, parameter) {
    super(message);
    this.parameter = parameter;
  }
}

export async function getJson(path) {
  const response = await fetch(path);
  return readAnswer(response);
}

export async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...body, lang: currentLanguage() }),
  });
  return readAnswer(response);
}

async function readAnswer(response) {
  const body = await response.json();
  if (!response.ok) {
    const error = body.error || {};
    throw new ApiError(error.message || response.statusText, error.parameter);
  }
  return body;
}

/**
 * Requests of one kind, latest first: while one is on its way, newer wishes
 * replace each other and only the last is sent when it returns. A dragged
 * slider thus never queues up work, and answers arrive in the order asked.
 */
export class Channel {
  constructor(path, onAnswer, onError) {
    this.path = path;
    this.onAnswer = onAnswer;
    this.onError = onError;
    this.busy = false;
    this.pending = null;
    this.idle = Promise.resolve();
    this.release = null;
  }

  /** Ask for `makeBody()`'s answer (called when the request is actually sent). */
  request(makeBody) {
    this.pending = makeBody;
    if (!this.busy) {
      this.idle = new Promise((resolve) => { this.release = resolve; });
      this.pump();
    }
    return this.idle;
  }

  async pump() {
    this.busy = true;
    while (this.pending) {
      const makeBody = this.pending;
      this.pending = null;
      const body = makeBody();
      if (body === null) continue;
      try {
        this.onAnswer(await post(this.path, body), body);
      } catch (error) {
        this.onError(error);
      }
    }
    this.busy = false;
    this.release();
  }
}
