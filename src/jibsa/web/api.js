// Talking to jibsa's API from the page: JSON requests with the session's CSRF token, and the event stream.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.body = body;
  }
}

export function setCsrf(token) {
  csrfToken = token;
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Opens /api/events and calls onEvent for each message; reconnects after a drop, calling onStatus.
export function openEvents(onEvent, onStatus) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  let socket = null;
  let closed = false;
  const connect = () => {
    socket = new WebSocket(`${scheme}//${location.host}/api/events`);
    socket.onopen = () => onStatus(true);
    socket.onmessage = (message) => onEvent(JSON.parse(message.data));
    socket.onclose = () => {
      onStatus(false);
      if (!closed) setTimeout(connect, 2000);
    };
  };
  connect();
  return () => { closed = true; if (socket) socket.close(); };
}
