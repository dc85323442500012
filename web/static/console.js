// console.js: the facilitator console. The exercise's state comes from GET /api/exercises/:id
// (polled, and fetched again after each command and each live event); the live log comes
// from the facilitator's WebSocket. Every command is an HTTP call whose error is shown as the
// server's own sentence.
"use strict";

(() => {
  const { el, $, clear, store, api, ApiError, whoami, say, parseDuration, formatClock, formatOffset, humanDuration, severityClass, secret, channels, channelLabel,
    showSeverity, showStatus, titleOf, showConn, liveSocket, simClock, clockChange } = ttx;

  const POLL_MS = 3000;
  const RESPONSES = new Set(["action_recorded", "decision_answered", "escalation", "note", "answer_recorded", "feedback_recorded"]);

  const state = {
    auth: store.get("facilitator", null), // {token, exercise}
    ex: null, // the last GET /api/exercises/:id
    plan: null,
    teams: {}, // name -> {name, title, tier}
    actions: {}, // name -> {title}
    severities: {},
    decisions: {}, // name -> {name, prompt, options}, from the injects that put them
    clock: simClock(),
    lastSeq: 0,
    welcomeSeq: 0,
    seen: new Set(),
    pollTimer: null,
    refreshTimer: null,
    loading: false,
    pollError: "", // the last polling error shown, cleared by the next success
    adhocBuilt: false,
    questions: {}, // question id -> text, from the modules and injects that put them
    joined: new Set(), // teams with a participant (team_joined)
    played: new Set(), // teams the facilitator marked played
    closed: false, // the hot wash is over
  };

  // ---- the token ----

  function showToken(message) {
    $("#desk").hidden = true;
    $("#token-box").hidden = false;
    say($("#token-status"), message || "", message ? "error" : "");
    $("#token").focus();
  }

  $("#token-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const token = $("#token").value.trim();
    if (!token) return;
    let who;
    try {
      who = await whoami(token);
    } catch (err) {
      say($("#token-status"), err.message, "error");
      return;
    }
    if (who.role !== "facilitator" || !who.exercise) {
      say($("#token-status"), who.role === "admin"
        ? "This is the admin token: start an exercise from the home page, then open its console with the facilitator token it shows."
        : "This is a " + who.role + " token: the console needs the exercise's facilitator token.", "error");
      return;
    }
    $("#token").value = "";
    state.auth = { token, exercise: who.exercise };
    store.set("facilitator", state.auth);
    open();
  });

  $("#forget").addEventListener("click", () => {
    stopLive();
    clearTimeout(state.pollTimer);
    store.remove("facilitator");
    location.assign("/");
  });

  function open() {
    $("#token-box").hidden = true;
    $("#desk").hidden = false;
    showCodes();
    refresh();
    live.start();
  }

  function showCodes() {
    const saved = store.get("codes." + state.auth.exercise, null);
    if (!saved || !saved.teams) return;
    const list = clear($("#codes"));
    const titles = saved.titles || {};
    const order = Object.keys(titles).filter((t) => t in saved.teams);
    for (const team of Object.keys(saved.teams)) if (!order.includes(team)) order.push(team);
    for (const team of order) {
      list.append(el("li", {}, secret(titles[team] || team, saved.teams[team], "code")));
    }
    $("#codes-box").hidden = false;
  }

  // ---- the exercise state over HTTP ----

  function path(suffix) {
    return "/api/exercises/" + encodeURIComponent(state.auth.exercise) + (suffix || "");
  }

  // The MSEL downloads: fetched with the token in a header and saved from a Blob, never
  // through a URL that carries the token.
  document.querySelectorAll("button[data-msel]").forEach((b) => b.addEventListener("click", async () => {
    const format = b.dataset.msel, status = $("#msel-status");
    b.disabled = true;
    try {
      const response = await fetch(path("/msel?format=" + format), { headers: { Authorization: "Bearer " + state.auth.token }, cache: "no-store" });
      if (!response.ok) throw new ApiError("The server answered " + response.status + ".", response.status);
      const url = URL.createObjectURL(await response.blob());
      const a = el("a", { href: url, download: "ttx-msel." + format, class: "offscreen" });
      const m = /filename="?([^";]+)"?/i.exec(response.headers.get("Content-Disposition") || "");
      if (m) a.download = m[1];
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      say(status, "Downloaded " + a.download + ".", "ok");
    } catch (err) {
      say(status, err instanceof ApiError ? err.message : "Cannot reach the ttx server: check your connection and try again.", "error");
    } finally {
      b.disabled = false;
    }
  }));

  async function refresh() {
    clearTimeout(state.pollTimer);
    if (state.loading) {
      state.pollTimer = setTimeout(refresh, 200);
      return;
    }
    state.loading = true;
    try {
      const ex = await api("GET", path(), state.auth.token);
      render(ex);
      if (state.pollError && $("#api-status").textContent === state.pollError) say($("#api-status"), "");
      state.pollError = "";
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        stopLive();
        store.remove("facilitator");
        showToken(err.message);
        state.loading = false;
        return;
      }
      state.pollError = err.message;
      say($("#api-status"), err.message, "error");
    }
    state.loading = false;
    state.pollTimer = setTimeout(refresh, POLL_MS);
  }

  // refreshSoon coalesces the refreshes asked for by a burst of live events.
  function refreshSoon() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, 250);
  }

  function render(ex) {
    state.ex = ex;
    document.dispatchEvent(new CustomEvent("ttx:exercise", { detail: ex })); // console-modules.js
    for (const t of ex.teams || []) state.teams[t.name] = t;
    document.title = "ttx console: " + (ex.title || ex.id);
    $("#ex-title").textContent = ex.title || ex.scenario || ex.id;
    setClock(parseDuration(ex.sim_time), ex.speed, ex.status);
    $("#duration").textContent = ex.duration ? " of " + humanDuration(parseDuration(ex.duration)) : "";
    const sev = state.severities[ex.severity] || { name: ex.severity, title: ex.severity, level: ex.severity_level };
    setSeverity({ name: sev.name, title: sev.title || ex.severity, level: ex.severity_level || sev.level });
    if (document.activeElement !== $("#speed")) $("#speed").value = ex.speed;
    $("#speed-now").textContent = "speed " + ex.speed + "×";
    showMode(ex.mode);
    renderUpcoming(ex.upcoming || []);
    renderProgress(ex.progress || {});
    buildAdhoc(ex.teams || []);
  }

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

  function teamTitle(name) {
    return titleOf(state.teams, name);
  }

  function actionTitle(name) {
    return titleOf(state.actions, name);
  }

  function renderUpcoming(upcoming) {
    const body = clear($("#upcoming"));
    $("#upcoming-empty").hidden = upcoming.length > 0;
    $("#upcoming-table").hidden = upcoming.length === 0;
    for (const u of upcoming) {
      const due = parseDuration(u.due);
      const dueText = isFinite(due) ? formatClock(due) : u.after ? "after " + u.after : "—";
      const holdButton = el("button", { type: "button", "data-inject": u.name, class: "hold" }, u.held ? "Release" : "Hold");
      holdButton.addEventListener("click", () => command("/injects/" + encodeURIComponent(u.name) + "/hold", { held: !u.held }, holdButton));
      const sendButton = el("button", { type: "button", "data-inject": u.name, class: "trigger" }, "Send now");
      sendButton.addEventListener("click", () => command("/injects/" + encodeURIComponent(u.name) + "/trigger", undefined, sendButton));
      body.append(el("tr", { class: u.held ? "held" : "", "data-inject": u.name },
        el("td", { class: "due" }, dueText, isFinite(due) && u.after ? el("span", { class: "meta" }, " after " + u.after) : null),
        el("td", { class: "what" },
          el("strong", {}, u.subject || u.name),
          u.held ? el("span", { class: "badge held-badge" }, "held") : null,
          el("span", { class: "meta block" }, "To " + (u.to || []).map(teamTitle).join(", ")),
          el("span", { class: "meta block" }, u.name)),
        el("td", { class: "cmds" }, sendButton, holdButton)));
    }
  }

  function renderProgress(progress) {
    const box = clear($("#progress"));
    const order = (state.ex && state.ex.teams ? state.ex.teams.map((t) => t.name) : []).concat(Object.keys(progress));
    const done = new Set();
    for (const team of order) {
      if (done.has(team)) continue;
      done.add(team);
      const items = progress[team] || [];
      const counts = { done: 0, pending: 0, overdue: 0 };
      for (const p of items) counts[p.state] = (counts[p.state] || 0) + 1;
      const list = el("ul", { class: "progress-list" });
      for (const p of items) {
        state.actions[p.action] = state.actions[p.action] || { title: p.title };
        list.append(el("li", { class: "pg pg-" + p.state, "data-action": p.action },
          el("span", { class: "badge st st-" + p.state }, p.state),
          el("span", { class: "pg-title" }, p.title || p.action),
          el("span", { class: "meta pg-meta" }, [
            p.state === "done" && p.done_at ? "done at " + formatOffset(p.done_at) : "",
            p.state === "done" && p.by && p.by !== team ? "by " + teamTitle(p.by) + " (not the owner)" : "",
            p.deadline ? "due by " + formatOffset(p.deadline) : "",
          ].filter(Boolean).join(" · "))));
      }
      if (!items.length) list.append(el("li", { class: "hint" }, "No plan actions due yet."));
      const inPlay = !state.ex || !state.ex.teams_in_play || state.ex.teams_in_play.includes(team);
      const played = state.played.has(team);
      const mark = el("button", { type: "button", class: "mark-played", "data-team": team, disabled: played || state.closed || null },
        played ? "Marked played" : "Mark played");
      mark.addEventListener("click", () => command("/teams/" + encodeURIComponent(team) + "/played", undefined, mark));
      box.append(el("div", { class: "team-progress", "data-team": team },
        el("h3", {}, teamTitle(team), " ",
          el("span", { class: "meta" }, counts.done + " done · " + counts.pending + " pending · " + counts.overdue + " overdue"),
          inPlay ? null : el("span", { class: "badge" }, "not in play"),
          state.joined.has(team) ? el("span", { class: "badge joined-badge" }, "joined") : null,
          played ? el("span", { class: "badge played-badge" }, "played") : null,
          mark),
        list));
    }
  }

  function buildAdhoc(teams) {
    if (state.adhocBuilt || !teams.length) return;
    state.adhocBuilt = true;
    const box = clear($("#adhoc-teams"));
    for (const t of teams) {
      const id = "adhoc-team-" + t.name;
      box.append(el("div", { class: "option" },
        el("input", { type: "checkbox", id, value: t.name }),
        el("label", { for: id }, t.title || t.name)));
    }
    const select = clear($("#adhoc-channel"));
    for (const c of channels) select.append(el("option", { value: c }, channelLabel(c)));
  }

  // ---- commands ----

  async function command(suffix, body, button) {
    if (button) button.disabled = true;
    say($("#api-status"), "");
    try {
      await api("POST", path(suffix), state.auth.token, body === undefined ? {} : body);
      return true;
    } catch (err) {
      say($("#api-status"), err.message, "error");
      return false;
    } finally {
      if (button) button.disabled = false;
      refresh();
    }
  }

  for (const button of document.querySelectorAll("button[data-cmd]")) {
    const cmd = button.dataset.cmd;
    button.addEventListener("click", () => {
      if (cmd === "end" && button.dataset.armed !== "yes") {
        // Two steps instead of a modal confirm(): ending cannot be undone.
        button.dataset.armed = "yes";
        button.textContent = "Really end the exercise?";
        setTimeout(() => {
          button.dataset.armed = "";
          button.textContent = "End exercise";
        }, 5000);
        return;
      }
      if (cmd === "end") {
        button.dataset.armed = "";
        button.textContent = "End exercise";
      }
      command("/" + cmd, undefined, button);
    });
  }

  $("#speed-form").addEventListener("submit", (e) => {
    e.preventDefault();
    // The server's sentence says what it accepts; an empty field goes as null, which it
    // refuses with that sentence too.
    const speed = parseFloat($("#speed").value);
    command("/speed", { speed: Number.isNaN(speed) ? null : speed }, e.submitter);
  });

  $("#adhoc").addEventListener("submit", async (e) => {
    e.preventDefault();
    const to = Array.from(document.querySelectorAll("#adhoc-teams input:checked"), (i) => i.value);
    const status = $("#adhoc-status");
    if (!to.length) {
      say(status, "Choose at least one team to send the inject to.", "error");
      return;
    }
    const body = {
      to,
      channel: $("#adhoc-channel").value,
      from: $("#adhoc-from").value.trim(),
      subject: $("#adhoc-subject").value.trim(),
      body: $("#adhoc-body").value,
    };
    say(status, "sending…");
    try {
      await api("POST", path("/injects"), state.auth.token, body);
      say(status, "Sent to " + to.map(teamTitle).join(", ") + ".", "ok");
      $("#adhoc-subject").value = "";
      $("#adhoc-body").value = "";
    } catch (err) {
      say(status, err.message, "error");
    }
    refresh();
  });

  $("#observation").addEventListener("submit", async (e) => {
    e.preventDefault();
    const rating = document.querySelector("input[name=rating]:checked");
    const status = $("#obs-status");
    const body = {
      text: $("#obs-text").value.trim(),
      capability: $("#obs-capability").value.trim(),
      rating: rating ? rating.value : "",
    };
    say(status, "sending…");
    try {
      await api("POST", path("/observations"), state.auth.token, body);
      say(status, "Observation recorded.", "ok");
      $("#obs-text").value = "";
      if (rating) rating.checked = false;
    } catch (err) {
      say(status, err.message, "error");
    }
  });

  $("#responses-only").addEventListener("change", (e) => {
    $("#log").classList.toggle("responses-only", e.target.checked);
  });

  // ---- clock, severity, status ----

  function setClock(simSeconds, speed, status) {
    // Once the close has been seen, the exercise stays closed whatever a poll says.
    if (status && state.closed) status = "closed";
    state.clock.set(simSeconds, speed, status);
    if (status) {
      showStatus($("#status"), status, "not started");
      const started = status === "running" || status === "paused" || status === "ended" || status === "closed";
      $("#cmd-start").disabled = started;
      $("#cmd-pause").disabled = status !== "running";
      $("#cmd-resume").disabled = status !== "paused";
      $("#cmd-advance").disabled = !(status === "running" || status === "paused");
      $("#cmd-end").disabled = status === "ended" || status === "closed";
      $("#ended").hidden = status !== "ended";
      $("#closed").hidden = status !== "closed";
      $("#cmd-close").hidden = status !== "ended";
    }
    tick();
  }

  function setSeverity(sev) {
    showSeverity($("#severity"), sev);
  }

  function tick() {
    $("#clock").textContent = formatClock(state.clock.now());
  }
  setInterval(tick, 500);

  // ---- the live log over the WebSocket ----

  const live = liveSocket(() => ({ type: "hello", token: state.auth.token, exercise: state.auth.exercise, since: state.lastSeq }), receive);

  function receive(msg) {
    if (msg.type === "welcome") {
      live.welcome();
      state.welcomeSeq = msg.seq || 0;
      showConn("live", "ok");
      if (msg.plan) setPlan(msg.plan);
    } else if (msg.type === "event") {
      logEvent(msg);
    } else if (msg.type === "error" && !live.welcomed) {
      say($("#api-status"), msg.error, "error");
      stopLive();
    } else if (msg.type === "error") {
      say($("#api-status"), msg.error, "error");
    }
  }

  // stopLive stops following the exercise: the hello was refused, or the token no longer works.
  function stopLive() {
    live.stop();
    showConn("offline", "bad");
  }

  function setPlan(plan) {
    state.plan = plan;
    for (const t of plan.teams || []) state.teams[t.name] = Object.assign({}, state.teams[t.name], t);
    for (const a of plan.actions || []) state.actions[a.name] = a;
    for (const s of plan.severities || []) state.severities[s.name] = s;
    const caps = clear($("#capabilities"));
    const seen = new Set();
    for (const a of plan.actions || []) {
      if (a.capability && !seen.has(a.capability)) {
        seen.add(a.capability);
        caps.append(el("option", { value: a.capability }));
      }
    }
  }

  function logEvent(msg) {
    if (state.seen.has(msg.seq)) return;
    state.seen.add(msg.seq);
    document.dispatchEvent(new CustomEvent("ttx:event", { detail: msg })); // console-modules.js
    if (msg.seq > state.lastSeq) state.lastSeq = msg.seq;
    const live = msg.seq > state.welcomeSeq;
    if (msg.kind === "inject_delivered" && msg.inject && msg.inject.decision) {
      state.decisions[msg.inject.decision.name] = msg.inject.decision;
    }
    for (const q of (msg.inject && msg.inject.questions) || (msg.module && msg.module.questions) || []) state.questions[q.id] = q.text;
    if (msg.kind === "exercise_closed") {
      state.closed = true;
      setClock(NaN, undefined, "closed");
    }
    if (msg.kind === "team_joined") state.joined.add(msg.team);
    if (msg.kind === "team_marked_played") state.played.add(msg.team);
    if (msg.kind === "answer_recorded") showAnswer(msg);
    if (msg.kind === "team_joined" || msg.kind === "team_marked_played") refreshSoon();
    const item = el("li", { class: "log-item k-" + msg.kind + (RESPONSES.has(msg.kind) ? " response" : ""), "data-seq": msg.seq, "data-kind": msg.kind },
      el("span", { class: "when" }, formatOffset(msg.t)),
      el("span", { class: "log-kind" }, kindLabel(msg.kind)),
      el("span", { class: "log-text" }, ...describe(msg)));
    $("#log").prepend(item);
    if (live) {
      const change = clockChange(msg);
      if (change) setClock(...change);
      else if (msg.kind === "severity_changed" && msg.severity) setSeverity(msg.severity);
      refreshSoon();
    }
  }

  function kindLabel(kind) {
    return {
      exercise_started: "started",
      exercise_ended: "ended",
      clock: "clock",
      inject_delivered: "inject",
      inject_skipped: "skipped",
      inject_held: "held",
      inject_released: "released",
      severity_changed: "severity",
      action_triggered: "due",
      action_recorded: "action",
      decision_answered: "decision",
      escalation: "escalation",
      note: "note",
      observation: "observation",
      module_started: "module",
      decision_defaulted: "default",
      answer_recorded: "answer",
      team_joined: "joined",
      team_marked_played: "played",
      feedback_recorded: "feedback",
      exercise_closed: "closed",
    }[kind] || kind;
  }

  // showAnswer adds a team's answer to the answers panel, newest first.
  function showAnswer(msg) {
    $("#answers-empty").hidden = true;
    $("#answers").prepend(el("li", { class: "log-item answer", "data-seq": msg.seq, "data-team": msg.team, "data-question": msg.question },
      el("span", { class: "when" }, formatOffset(msg.t)),
      el("span", { class: "log-kind" }, teamTitle(msg.team)),
      el("span", { class: "log-text" },
        el("q", {}, state.questions[msg.question] || msg.question), " ",
        msg.name ? el("span", { class: "who" }, msg.name + ": ") : null,
        el("span", { class: "quote" }, msg.text || ""))));
  }

  function by(msg) {
    const parts = [el("strong", {}, teamTitle(msg.team))];
    if (msg.name) parts.push(" (", el("span", { class: "who" }, msg.name), ")");
    return parts;
  }

  function describe(msg) {
    switch (msg.kind) {
      case "inject_delivered": {
        const i = msg.inject || {};
        return [channelLabel(i.channel), " to ", (i.to || []).map(teamTitle).join(", "), ": ", el("strong", {}, i.subject || i.name || ""),
          i.notes ? el("span", { class: "meta block notes" }, "Controllers' notes: " + i.notes) : null];
      }
      case "inject_skipped":
      case "inject_held":
      case "inject_released":
        return [(msg.inject && msg.inject.name) || "", msg.reason ? ": " + msg.reason : ""];
      case "severity_changed": {
        const first = !state.severitySeen;
        state.severitySeen = true;
        return [first ? "starts at " : "raised to ", el("span", { class: severityClass(msg.severity && msg.severity.level) }, (msg.severity && (msg.severity.title || msg.severity.name)) || "?")];
      }
      case "action_triggered":
        return [actionTitle(msg.action), " for ", teamTitle(msg.team), msg.deadline ? ", due by " + formatOffset(msg.deadline) : ""];
      case "action_recorded":
        return [...by(msg), " recorded ", el("strong", {}, actionTitle(msg.action))];
      case "decision_answered": {
        const d = state.decisions[msg.decision];
        const option = d && (d.options || []).find((o) => o.key === msg.option);
        return [...by(msg), " answered ", el("q", {}, d ? d.prompt : msg.decision || ""), ": ", el("strong", {}, option ? option.label : msg.option || "")];
      }
      case "escalation":
        return [...by(msg), " → ", el("strong", {}, teamTitle(msg.to)), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "note":
        return [...by(msg), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "observation":
        return [el("span", { class: "badge" }, msg.rating || "?"), " ", msg.capability ? msg.capability + ": " : "", el("span", { class: "quote" }, msg.text || "")];
      case "clock":
        return [msg.clock || "", msg.clock === "speed" ? " " + msg.speed + "×" : "", msg.sim_time ? " at " + formatOffset(msg.sim_time) : ""];
      case "exercise_started":
        return ["the exercise started", msg.speed ? " at " + msg.speed + "×" : ""];
      case "exercise_ended":
        return ["the exercise ended", msg.reason ? ": " + msg.reason : ""];
      case "exercise_closed":
        return ["the hot wash was closed"];
      case "module_started":
        return ["module ", el("strong", {}, (msg.module && (msg.module.title || msg.module.name)) || ""),
          msg.module && msg.module.questions && msg.module.questions.length ? " with " + msg.module.questions.length + " questions" : ""];
      case "decision_defaulted": {
        const d = state.decisions[msg.decision];
        const option = d && (d.options || []).find((o) => o.key === msg.option);
        return [el("strong", {}, teamTitle(msg.team)), " did not answer ", el("q", {}, d ? d.prompt : msg.decision || ""), " in time: ", el("strong", {}, option ? option.label : msg.option || "")];
      }
      case "answer_recorded":
        return [...by(msg), " answered ", el("q", {}, state.questions[msg.question] || msg.question || ""), ": ", el("span", { class: "quote" }, msg.text || "")];
      case "team_joined":
        return [el("strong", {}, teamTitle(msg.team)), " joined"];
      case "team_marked_played":
        return [el("strong", {}, teamTitle(msg.team)), " marked played"];
      case "feedback_recorded":
        return [...by(msg), " sent the feedback form"];
      default:
        return [msg.kind || ""];
    }
  }

  // ---- start ----

  if (state.auth && state.auth.token && state.auth.exercise) open();
  else showToken("");
})();
