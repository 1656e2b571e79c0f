// The chat page: one WebSocket to /ws/ROOM?user=NAME on the server that served this page.
"use strict";

const log = document.getElementById("log");
const statusLine = document.getElementById("status");
const text = document.getElementById("text");
const send = document.getElementById("send");
let socket = null;

function show(line, kind) {
  const item = document.createElement("li");
  item.textContent = line;
  if (kind) item.className = kind;
  log.appendChild(item);
  log.scrollTop = log.scrollHeight;
}

function connected(yes) {
  text.disabled = send.disabled = !yes;
  if (yes) text.focus();
}

document.getElementById("join").addEventListener("submit", (event) => {
  event.preventDefault();
  if (socket) socket.close(1000);
  const user = document.getElementById("user").value;
  const room = document.getElementById("room").value;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}/ws/${encodeURIComponent(room)}?user=${encodeURIComponent(user)}`;
  const ws = new WebSocket(url);
  socket = ws;
  statusLine.textContent = `Connecting to ${room} as ${user}...`;
  ws.addEventListener("open", () => {
    statusLine.textContent = `In ${room} as ${user}.`;
    connected(true);
  });
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.event === "error") show(`error: ${message.reason}`, "error");
    else if (message.event) show(`${message.user} ${message.event === "join" ? "joined" : "left"}`, "event");
    else show(`${message.user}: ${message.text}`);
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    statusLine.textContent = event.code === 1006
      ? "Could not connect, or the connection broke (is the name 1 to 32 characters?)."
      : `Closed: ${event.code} ${event.reason}`;
    connected(false);
  });
});

document.getElementById("say").addEventListener("submit", (event) => {
  event.preventDefault();
  if (!socket || socket.readyState !== WebSocket.OPEN || !text.value) return;
  socket.send(JSON.stringify({ text: text.value }));
  text.value = "";
});
