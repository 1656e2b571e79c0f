// The live panel on the chat lab's page: <div class="live-chat" data-port="8001" data-room="lobby"
// data-user="reader"></div> becomes a WebSocket client of the chat lab running on this machine
// (`wire start chat`). It shows every message in both directions, with the time, and lets the
// reader send messages. While nothing answers, it says how to start the lab and tries again,
// waiting longer each time (1 s, 2 s, 4 s ... up to 30 s), or at once with the Retry button.
// The page's URL may name another port: ?chat-port=9000.
(function () {
  "use strict";

  const FIRST_WAIT = 1000;
  const LONGEST_WAIT = 30000;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clock() {
    const now = new Date();
    const two = (n) => String(n).padStart(2, "0");
    return `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${String(now.getMilliseconds()).padStart(3, "0")}`;
  }

  function Panel(root) {
    const fromUrl = new URLSearchParams(location.search).get("chat-port");
    this.port = Number(fromUrl || root.dataset.port || 8001);
    this.room = root.dataset.room || "lobby";
    this.socket = null;
    this.wait = FIRST_WAIT;
    this.timer = null;
    this.build(root);
    this.connect();
  }

  Panel.prototype.url = function () {
    const user = encodeURIComponent(this.user.value || "reader");
    return `ws://127.0.0.1:${this.port}/ws/${encodeURIComponent(this.room)}?user=${user}`;
  };

  Panel.prototype.build = function (root) {
    root.textContent = "";
    const head = element("div", "live-chat__head");
    this.status = element("span", "live-chat__status");
    this.address = element("code", "live-chat__url");
    head.append(this.status, " ", this.address);

    const settings = element("div", "live-chat__settings");
    const portLabel = element("label", "", "port ");
    this.portBox = element("input", "live-chat__port");
    this.portBox.type = "number";
    this.portBox.value = this.port;
    portLabel.append(this.portBox);
    const userLabel = element("label", "", "name ");
    this.user = element("input", "live-chat__user");
    this.user.value = root.dataset.user || "reader";
    this.user.maxLength = 32;
    userLabel.append(this.user);
    this.retry = element("button", "md-button live-chat__retry", "Connect");
    this.retry.type = "button";
    this.retry.addEventListener("click", () => {
      this.port = Number(this.portBox.value) || this.port;
      this.wait = FIRST_WAIT;
      this.connect();
    });
    settings.append(portLabel, " ", userLabel, " ", this.retry);

    this.help = element("div", "admonition tip live-chat__help");
    this.help.hidden = true;

    const table = element("table", "live-chat__log");
    const header = element("tr");
    for (const name of ["", "time", "message"]) header.append(element("th", "", name));
    table.append(element("thead"), element("tbody"));
    table.tHead.append(header);
    this.rows = table.tBodies[0];
    const scroller = element("div", "live-chat__frames");
    scroller.append(table);
    this.scroller = scroller;

    const form = element("form", "live-chat__say");
    this.text = element("input", "live-chat__text");
    this.text.placeholder = "say something";
    this.text.autocomplete = "off";
    this.send = element("button", "md-button md-button--primary live-chat__send", "Send");
    form.append(this.text, " ", this.send);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN || !this.text.value) return;
      const message = JSON.stringify({ text: this.text.value });
      this.socket.send(message);
      this.log("→", message, "sent");
      this.text.value = "";
    });

    root.append(head, settings, this.help, scroller, form);
    this.setState("connecting");
  };

  Panel.prototype.setState = function (state, detail) {
    this.state = state;
    this.status.dataset.state = state;
    this.status.textContent = { connecting: "connecting…", open: "connected", down: "not running" }[state];
    this.address.textContent = this.url();
    this.text.disabled = this.send.disabled = state !== "open";
    this.retry.textContent = state === "down" ? "Retry now" : "Reconnect";
    this.help.hidden = state !== "down";
    if (state === "down") this.showHelp(detail);
  };

  Panel.prototype.showHelp = function (seconds) {
    this.help.textContent = "";
    const title = element("p", "admonition-title", `Nothing answers on 127.0.0.1:${this.port}`);
    const start = element("p");
    start.append("Start the lab in the course folder: ",
      element("code", "", this.port === 8001 ? ".venv/bin/wire start chat" : `.venv/bin/wire start chat --port ${this.port}`),
      " (add --solution for the reference solution). This panel connects by itself as soon as it answers.");
    const again = element("p", "live-chat__again", `Trying again in ${Math.round(seconds / 1000)} s.`);
    const origin = element("p");
    origin.append(`If the lab is running, its Origin check may refuse this page, whose origin is ${location.origin}: `,
      "the browser cannot tell a refused handshake from a closed port.");
    this.help.append(title, start, again, origin);
  };

  Panel.prototype.log = function (direction, data, kind) {
    const row = element("tr", `live-chat__${kind}`);
    row.append(element("td", "live-chat__dir", direction), element("td", "live-chat__time", clock()),
      element("td", "live-chat__json", data));
    this.rows.append(row);
    this.scroller.scrollTop = this.scroller.scrollHeight;
  };

  Panel.prototype.connect = function () {
    clearTimeout(this.timer);
    if (this.socket) {
      const old = this.socket;
      this.socket = null;
      old.close(1000);
    }
    this.setState("connecting");
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (error) {
      this.log("·", String(error), "note");
      this.down();
      return;
    }
    this.socket = ws;
    let opened = false;
    ws.addEventListener("open", () => {
      opened = true;
      this.wait = FIRST_WAIT;
      this.setState("open");
      this.log("·", `connected to ${ws.url}`, "note");
    });
    ws.addEventListener("message", (event) => this.log("←", String(event.data), "received"));
    ws.addEventListener("close", (event) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (opened) this.log("·", `closed: ${event.code}${event.reason ? " " + event.reason : ""}`, "note");
      this.down();
    });
  };

  Panel.prototype.down = function () {
    const wait = this.wait;
    this.wait = Math.min(this.wait * 2, LONGEST_WAIT);
    this.setState("down", wait);
    this.timer = setTimeout(() => this.connect(), wait);
  };

  function start() {
    for (const root of document.querySelectorAll("div.live-chat")) {
      if (!root.liveChat) root.liveChat = new Panel(root);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
