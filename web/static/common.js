// common.js: helpers shared by the ttx pages. Plain browser JavaScript, no framework.
//
// Text from participants and scenarios is always inserted with textContent (through el());
// the only HTML ever inserted is an inject's body_html, which the server has sanitised.
"use strict";

const ttx = (() => {
  // el builds an element: el("p", {class: "x", "aria-label": "y"}, "text", child, …).
  // Strings become text nodes, never HTML. Attributes whose value is null, undefined or false
  // are left out; true sets an empty attribute.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // clear removes every child of node.
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // $ finds one element by CSS selector.
  function $(selector, root) {
    return (root || document).querySelector(selector);
  }

  // store keeps JSON values in sessionStorage: per tab, survives a reload, never in a URL.
  const store = {
    get(key, fallback) {
      try {
        const raw = sessionStorage.getItem("ttx." + key);
        return raw === null ? fallback : JSON.parse(raw);
      } catch (_) {
        return fallback;
      }
    },
    set(key, value) {
      try {
        sessionStorage.setItem("ttx." + key, JSON.stringify(value));
      } catch (_) {
        // Storage full or disabled: the page still works, it just forgets on reload.
      }
    },
    remove(key) {
      try {
        sessionStorage.removeItem("ttx." + key);
      } catch (_) {}
    },
  };

  // ApiError carries the server's sentence and the HTTP status.
  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  // api calls the HTTP API with a bearer token and returns the decoded JSON. It throws an
  // ApiError whose message is the server's own sentence when there is one.
  async function api(method, path, token, body) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    const init = { method, headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (_) {
      throw new ApiError("Cannot reach the ttx server: check your connection and try again.", 0);
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (_) {
        data = null;
      }
    }
    if (!response.ok) {
      const message = data && typeof data.error === "string" && data.error
        ? data.error
        : "The server answered " + response.status + " " + response.statusText + ".";
      throw new ApiError(message, response.status);
    }
    return data;
  }

  // whoami asks the server who token proves its holder to be ({role, exercise}). A token the
  // server does not know is an ApiError (401) that says so in a sentence a person can act on.
  async function whoami(token) {
    try {
      return await api("GET", "/api/whoami", token);
    } catch (err) {
      if (err.status === 401) throw new ApiError("That token is not valid on this server: check it and paste it again.", 401);
      throw err;
    }
  }

  // saveDownload fetches path with token in a header and saves the answer as a file named by
  // the server's Content-Disposition (or fallback), from a Blob: never through a URL that
  // carries the token. button is disabled meanwhile; status says how it went.
  async function saveDownload(path, token, fallback, button, status) {
    if (button) button.disabled = true;
    say(status, "Preparing " + fallback + "…");
    try {
      const response = await fetch(path, { headers: { Authorization: "Bearer " + token }, cache: "no-store" });
      if (!response.ok) {
        let message = "The server answered " + response.status + ".";
        try {
          const body = await response.json();
          if (body && body.error) message = body.error;
        } catch (_) {}
        throw new ApiError(message, response.status);
      }
      const blob = await response.blob();
      const name = fileName(response.headers.get("Content-Disposition")) || fallback;
      saveBlob(blob, name);
      say(status, "Downloaded " + name + " (" + sizeText(blob.size) + ").", "ok");
    } catch (err) {
      say(status, err instanceof ApiError ? err.message : "Cannot reach the ttx server: check your connection and try again.", "error");
    } finally {
      if (button) button.disabled = false;
    }
  }

  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name, class: "offscreen" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function fileName(disposition) {
    if (!disposition) return "";
    const m = /filename="?([^";]+)"?/i.exec(disposition);
    return m ? m[1].replace(/[\\/]/g, "_") : "";
  }

  function sizeText(n) {
    return n < 1024 ? n + (n === 1 ? " byte" : " bytes") : (n / 1024).toFixed(1) + " KiB";
  }

  // showMode shows an exercise's mode in the staff pages' badge (#mode), with what it means for
  // the participants; the participant page words it for them (play.js).
  function showMode(mode) {
    if (!mode) return;
    const badge = $("#mode");
    badge.hidden = false;
    badge.textContent = mode === "evaluation" ? "Evaluation mode" : "Training mode";
    badge.className = "mode-badge mode-" + mode;
    badge.title = mode === "evaluation"
      ? "Participants see their plan, never which actions were triggered or when they fall due."
      : "Participants see their own actions triggered and falling due, as a learning aid.";
  }

  // onToken wires a page's token form (#token-form, its input #token): a token entered is
  // checked with whoami, with word of it in status, and a token the server knows is handed to
  // take(token, who), which does what the page does with it or says in status why not.
  function onToken(status, take) {
    $("#token-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const token = $("#token").value.trim();
      if (!token) return;
      say(status, "Checking the token…");
      let who;
      try {
        who = await whoami(token);
      } catch (err) {
        say(status, err.message, "error");
        return;
      }
      say(status, "");
      take(token, who);
    });
  }

  // parseDuration turns a Go duration string ("1h30m0s", "40m0s", "1.5s", "0s") into seconds.
  // It returns NaN for anything else.
  function parseDuration(s) {
    if (typeof s === "number") return s;
    if (typeof s !== "string" || s === "") return NaN;
    let rest = s.trim();
    let sign = 1;
    if (rest[0] === "-" || rest[0] === "+") {
      if (rest[0] === "-") sign = -1;
      rest = rest.slice(1);
    }
    if (rest === "0") return 0;
    const units = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, "μs": 1e-6, ns: 1e-9 };
    const re = /^(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|μs|ns)/;
    let total = 0;
    if (rest === "") return NaN;
    while (rest !== "") {
      const m = re.exec(rest);
      if (!m) return NaN;
      total += parseFloat(m[1]) * units[m[2]];
      rest = rest.slice(m[0].length);
    }
    return sign * total;
  }

  // formatClock shows simulated seconds as "T+1:05:09".
  function formatClock(seconds) {
    if (!isFinite(seconds)) return "T+?";
    const sign = seconds < 0 ? "-" : "+";
    let s = Math.floor(Math.abs(seconds));
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    return "T" + sign + h + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
  }

  // formatDurationString shows a Go duration string as a clock offset ("40m0s" -> "T+0:40:00").
  function formatOffset(d) {
    const seconds = parseDuration(d);
    return isFinite(seconds) ? formatClock(seconds) : String(d || "");
  }

  // humanDuration shows seconds as a length of time for people: spokenDuration.
  function humanDuration(seconds) {
    return spokenDuration(seconds);
  }

  // spokenDuration shows seconds as people say a length of time, to the second:
  // "4 min 52 s", "1 h 5 min", "52 s", "3 days".
  function spokenDuration(seconds) {
    if (!isFinite(seconds)) return "";
    let s = Math.max(0, Math.round(Math.abs(seconds)));
    if (s >= 72 * 3600 && s % 86400 === 0) return s / 86400 + " days";
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    const parts = [];
    if (h) parts.push(h + " h");
    if (m) parts.push(m + " min");
    if (s || parts.length === 0) parts.push(s + " s");
    return parts.join(" ");
  }

  // agoText says how long ago an RFC 3339 time was, to the second: "12 s ago", "just now".
  function agoText(iso) {
    const t = Date.parse(iso);
    if (!isFinite(t)) return "";
    const seconds = Math.round((Date.now() - t) / 1000);
    return seconds < 2 ? "just now" : spokenDuration(seconds) + " ago";
  }

  // estimateRealTime says how long a scenario of simSeconds takes in real time at speed.
  function estimateRealTime(simSeconds, speed) {
    if (!isFinite(simSeconds) || !(speed > 0)) return "";
    return spokenDuration(simSeconds / speed);
  }

  // wsURL is the WebSocket address of the server that served this page.
  function wsURL(path) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + location.host + path;
  }

  // randomID returns a short random hex string. crypto.randomUUID needs a secure context
  // (https or localhost), which a participant on a LAN address may not have; getRandomValues
  // works everywhere.
  function randomID(bytes) {
    const buf = new Uint8Array(bytes || 6);
    crypto.getRandomValues(buf);
    return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // copyText puts text on the clipboard, falling back to a selection for insecure contexts.
  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (_) {
        // fall through to the old way
      }
    }
    const area = el("textarea", { class: "offscreen", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  // copyButton is a button that copies text and says so.
  function copyButton(text, label) {
    const button = el("button", { type: "button", class: "copy", "aria-label": "Copy " + label }, "Copy");
    button.addEventListener("click", async () => {
      const ok = await copyText(text);
      button.textContent = ok ? "Copied" : "Select and copy";
      setTimeout(() => (button.textContent = "Copy"), 2000);
    });
    return button;
  }

  // secret shows a token or code with a copy button.
  function secret(label, value, extraClass) {
    return el("div", { class: "secret " + (extraClass || "") },
      el("span", { class: "secret-label" }, label),
      el("code", { class: "secret-value" }, value),
      copyButton(value, label));
  }

  // say writes a message into a status element (an aria-live region), styled by kind:
  // "error", "ok" or "" (plain).
  function say(node, message, kind) {
    if (!node) return;
    node.textContent = message || "";
    node.classList.toggle("error", kind === "error");
    node.classList.toggle("ok", kind === "ok");
    node.hidden = !message;
  }

  // severityClass is the CSS class of a severity level: 1 (lowest) to 4 and above.
  function severityClass(level) {
    const n = Math.max(1, Math.min(4, parseInt(level, 10) || 1));
    return "sev sev-" + n;
  }

  // showSeverity shows severity sev ({name, title, level}) in node, coloured by its level.
  function showSeverity(node, sev) {
    node.textContent = sev.title || sev.name || "—";
    node.className = severityClass(sev.level);
    node.title = "Severity level " + (sev.level || "?");
  }

  // titleOf is the title of entry name of byName (a plan's teams or actions by name), or the
  // name itself when it has none.
  function titleOf(byName, name) {
    const entry = byName[name];
    return (entry && entry.title) || name || "";
  }

  // capabilityTitle reads a capability label as the report does (scoring.CapabilityTitle):
  // "crisis_decisions" is "Crisis decisions".
  function capabilityTitle(label) {
    const s = String(label || "").replace(/_/g, " ");
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  // showStatus shows an exercise's status (running, paused, ended or closed) in node, a badge;
  // before the start the badge says idle, in the page's own words.
  function showStatus(node, status, idle) {
    const started = status === "running" || status === "paused" || status === "ended" || status === "closed";
    node.textContent = started ? status : idle;
    node.className = "ex-status st-" + (started ? status : "waiting");
  }

  // showConn writes how the live connection stands into #conn, styled by kind: "ok", "warn",
  // "bad" or "" (plain).
  function showConn(text, kind) {
    const node = $("#conn");
    node.textContent = text;
    node.className = "conn " + (kind || "");
  }

  // reconnectDelay is how long to wait, in milliseconds, before the attempt-th reconnection
  // in a row: doubling from half a second up to 15 s, jittered so that a room of pages does
  // not come back at once.
  function reconnectDelay(attempt) {
    return Math.min(15000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
  }

  // liveSocket keeps a WebSocket to this server's /ws open for a page, as protocol.md has
  // clients do: each connection opens by sending hello() (which carries since), every
  // message that arrives is handed to receive parsed, and a lost connection is opened again
  // after reconnectDelay, until the page stops it. It shows how things stand with showConn.
  //
  // onDown, when given, is called each time an open connection is lost (the page freezes
  // its clock and says so until the next welcome).
  function liveSocket(hello, receive, onDown) {
    let ws = null;
    let attempt = 0;
    let timer = null;
    let stopped = true;
    let welcomed = false;

    function connect() {
      clearTimeout(timer);
      welcomed = false;
      showConn(attempt ? "reconnecting…" : "connecting…", "warn");
      let sock;
      try {
        sock = new WebSocket(wsURL("/ws"));
      } catch (_) {
        retry();
        return;
      }
      ws = sock;
      sock.addEventListener("open", () => sock.send(JSON.stringify(hello())));
      sock.addEventListener("message", (e) => {
        let msg;
        try {
          msg = JSON.parse(e.data);
        } catch (_) {
          return;
        }
        receive(msg);
      });
      sock.addEventListener("close", () => {
        if (ws !== sock) return;
        ws = null;
        welcomed = false;
        if (!stopped) {
          if (onDown) onDown();
          retry();
        }
      });
    }

    function retry() {
      const delay = reconnectDelay(attempt);
      attempt++;
      showConn("offline: reconnecting in " + Math.ceil(delay / 1000) + " s", "bad");
      timer = setTimeout(connect, delay);
    }

    return {
      // start connects, and keeps connecting until stop.
      start() {
        stopped = false;
        connect();
      },
      // stop closes the connection for good: a refused hello, a token that no longer works,
      // a page that leaves.
      stop() {
        stopped = true;
        clearTimeout(timer);
        if (ws) ws.close();
      },
      // welcome marks the hello accepted: the next loss reconnects quickly again.
      welcome() {
        welcomed = true;
        attempt = 0;
      },
      get welcomed() {
        return welcomed;
      },
      // reconnectNow connects at once rather than at the next retry, when the connection is
      // down and not stopped (the network is back, the tab is visible again).
      reconnectNow() {
        if (stopped || ws) return;
        attempt = 0;
        connect();
      },
      // send sends msg once the hello was accepted; it says whether it went out.
      send(msg) {
        if (!ws || !welcomed || ws.readyState !== WebSocket.OPEN) return false;
        ws.send(JSON.stringify(msg));
        return true;
      },
    };
  }

  // simClock follows an exercise's simulated clock between the server's word on it: from the
  // simulated time it was last set to, it runs at its speed while the status is "running" and
  // stands still otherwise.
  function simClock() {
    let base = 0; // simulated seconds at real
    let real = performance.now();
    let speed = 1;
    let status = "";
    let frozen = false; // offline: the page does not know the time, so it stops guessing
    const now = () => (status === "running" && !frozen ? base + ((performance.now() - real) / 1000) * speed : base);
    return {
      now,
      get status() {
        return status;
      },
      get frozen() {
        return frozen;
      },
      // freeze stops the clock where it stands while the page is offline; the next set
      // after the welcome (thaw) takes the server's word again.
      freeze() {
        if (frozen) return;
        base = now();
        real = performance.now();
        frozen = true;
      },
      thaw() {
        if (!frozen) return;
        frozen = false;
        real = performance.now();
      },
      // set moves the clock to simSeconds (when finite), its speed (when a positive number)
      // and its status (when given).
      set(simSeconds, newSpeed, newStatus) {
        if (isFinite(simSeconds)) {
          base = simSeconds;
          real = performance.now();
        }
        if (typeof newSpeed === "number" && newSpeed > 0) speed = newSpeed;
        if (!newStatus) return;
        if (status === "running" && newStatus !== "running") {
          base = now(); // freeze where it is
          real = performance.now();
        } else if (status !== "running" && newStatus === "running") {
          real = performance.now();
        }
        status = newStatus;
      },
    };
  }

  // clockChange is how a live event moves the exercise's clock, as arguments for
  // simClock().set: [simulated seconds, speed, status], or null for an event that does not.
  function clockChange(msg) {
    switch (msg.kind) {
      case "clock": {
        const status = msg.clock === "paused" ? "paused" : msg.clock === "resumed" ? "running" : undefined;
        return [parseDuration(msg.sim_time !== undefined ? msg.sim_time : msg.t), msg.speed, status];
      }
      case "exercise_started":
        return [parseDuration(msg.t), msg.speed, "running"];
      case "exercise_ended":
        return [parseDuration(msg.t), undefined, "ended"];
      case "exercise_closed":
        return [parseDuration(msg.t), undefined, "closed"];
      default:
        return null;
    }
  }

  // channelLabel names a channel for people.
  const channelLabels = {
    email: "E-mail",
    phone: "Phone call",
    chat: "Chat",
    news: "News",
    social: "Social media",
    ticket: "Ticket",
    sitrep: "Situation report",
  };
  function channelLabel(channel) {
    return channelLabels[channel] || channel || "Message";
  }

  // Channels are the channels of design/language.md, for forms.
  const channels = Object.keys(channelLabels);

  // renderInject builds the card of an inject, styled by its channel. teamTitle maps a team
  // name to its title. body_html is the only HTML: it comes sanitised from the server.
  function renderInject(inject, t, teamTitle) {
    const channel = channels.includes(inject.channel) ? inject.channel : "other";
    const when = el("span", { class: "when" }, formatOffset(t));
    const from = inject.from || "";
    const subject = inject.subject || "";
    const to = (inject.to || []).map(teamTitle).join(", ");
    const body = el("div", { class: "body" });
    if (inject.body_html) body.innerHTML = inject.body_html; // sanitised by the server
    const card = el("article", { class: "inject ch-" + channel, "aria-label": channelLabel(inject.channel) + ": " + subject });
    // append, not card.append: the DOM's own append writes null as the text "null".
    const add = (...children) => append(card, children);
    switch (channel) {
      case "email":
        add(
          el("div", { class: "kicker" }, "E-mail", when),
          el("dl", { class: "mail-head" },
            el("dt", {}, "From"), el("dd", {}, from || "(unknown sender)"),
            el("dt", {}, "To"), el("dd", {}, to),
            el("dt", {}, "Subject"), el("dd", { class: "subject" }, subject)),
          body);
        break;
      case "news":
        add(
          el("div", { class: "kicker" }, from ? "News · " + from : "News", when),
          el("h3", { class: "headline" }, subject),
          body);
        break;
      case "social": {
        const isHandle = from.startsWith("@");
        const handle = isHandle ? "" : "@" + (from || "unknown").replace(/\s+/g, "").toLowerCase();
        add(
          el("div", { class: "post-head" },
            el("span", { class: "avatar", "aria-hidden": "true" }, (from || "?").replace(/^@/, "").charAt(0).toUpperCase()),
            el("span", { class: "who" }, el("strong", {}, from || "Unknown"), handle ? " " : null, handle ? el("span", { class: "handle" }, handle) : null),
            when),
          subject ? el("p", { class: "post-text" }, subject) : null,
          body);
        break;
      }
      case "phone":
        add(
          el("div", { class: "kicker" }, "Incoming call", when),
          el("p", { class: "caller" }, "Caller: ", el("strong", {}, from || "unknown number")),
          subject ? el("p", { class: "subject" }, subject) : null,
          el("div", { class: "transcript" }, el("span", { class: "transcript-label" }, "Transcript"), body));
        break;
      case "chat":
        add(
          el("div", { class: "bubble" },
            el("div", { class: "chat-from" }, from || "Chat", when),
            subject ? el("p", { class: "subject" }, subject) : null,
            body));
        break;
      case "ticket":
        add(
          el("div", { class: "ticket-head" },
            el("span", { class: "ticket-id" }, "Ticket"),
            when),
          el("h3", { class: "subject" }, subject),
          from ? el("p", { class: "ticket-field" }, "Reporter: ", el("span", {}, from)) : null,
          el("p", { class: "ticket-field" }, "Assigned to: ", el("span", {}, to)),
          body);
        break;
      case "sitrep":
        add(
          el("div", { class: "kicker" }, "Situation report", when),
          el("h3", { class: "subject" }, subject),
          from ? el("p", { class: "sitrep-from" }, "Issued by: ", el("span", {}, from)) : null,
          body);
        break;
      default:
        add(
          el("div", { class: "kicker" }, channelLabel(inject.channel), when),
          from ? el("p", {}, "From: ", el("span", {}, from)) : null,
          el("h3", { class: "subject" }, subject),
          body);
    }
    return card;
  }

  // What the pages use; append, wsURL, copyText and copyButton serve el, liveSocket and secret.
  return {
    el, clear, $, store, api, ApiError, whoami, onToken, showMode, saveDownload, saveBlob, parseDuration, formatClock, formatOffset,
    humanDuration, spokenDuration, agoText, estimateRealTime, randomID, secret, say, severityClass, showSeverity, showStatus, titleOf, capabilityTitle, showConn, liveSocket,
    simClock, clockChange, channelLabel, channels, renderInject,
  };
})();
