// landing.js: the landing page. Join with a code, or use the admin token to start an
// exercise, or a facilitator token to open its console. Tokens live in sessionStorage only.
"use strict";

(() => {
  const { el, $, clear, store, api, whoami, say, secret, humanDuration, parseDuration } = ttx;

  // Join: remember code and name for /play, which connects with them.
  const join = store.get("play", null);
  if (join) {
    $("#join-code").value = join.code || "";
    $("#join-name").value = join.name || "";
  }
  $("#join").addEventListener("submit", (e) => {
    e.preventDefault();
    const code = $("#join-code").value.trim();
    const name = $("#join-name").value.trim();
    if (!code || !name) return;
    const previous = store.get("play", null);
    // Unsent messages belong to the code and name they were written under.
    if (!previous || previous.code !== code || previous.name !== name) store.remove("play.pending");
    store.set("play", { code, name });
    location.assign("/play");
  });

  const status = $("#run-status");

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
    $("#token").value = "";
    if (who.role === "admin") {
      store.set("admin", token);
      say(status, "");
      showAdmin(token);
    } else if (who.role === "facilitator") {
      store.set("facilitator", { token, exercise: who.exercise });
      location.assign("/console");
    } else if (who.role === "reviewer") {
      store.set("reviewer", { token, exercise: who.exercise });
      location.assign("/review");
    } else if (who.role === "evaluator") {
      store.set("evaluator", { token, exercise: who.exercise });
      location.assign("/evaluate");
    } else {
      say(status, "This token has no role ttx knows (" + who.role + ").", "error");
    }
  });

  $("#forget").addEventListener("click", () => {
    store.remove("admin");
    $("#admin").hidden = true;
    $("#token-form").hidden = false;
    say(status, "The admin token is forgotten in this tab.", "ok");
  });

  function teamList(teams) {
    // The API may give team names or {name, title} objects.
    return (teams || []).map((t) => (typeof t === "string" ? { name: t, title: t } : t));
  }

  async function showAdmin(token) {
    $("#token-form").hidden = true;
    $("#admin").hidden = false;
    const list = clear($("#scenarios"));
    list.append(el("li", { class: "hint" }, "Loading scenarios…"));
    let scenarios;
    try {
      scenarios = await api("GET", "/api/scenarios", token);
    } catch (err) {
      clear(list);
      say(status, err.message, "error");
      if (err.status === 401) forgetAdmin();
      return;
    }
    if (scenarios && !Array.isArray(scenarios)) scenarios = scenarios.scenarios || [];
    clear(list);
    if (!scenarios.length) list.append(el("li", { class: "hint" }, "No scenarios are loaded: start ttx serve with --scenarios DIR."));
    for (const s of scenarios) {
      const teams = teamList(s.teams);
      const duration = humanDuration(parseDuration(s.duration));
      const button = el("button", { type: "button", class: "primary", "data-scenario": s.name }, "Create exercise");
      const chooser = teamChooser(s, teams);
      button.addEventListener("click", () => create(token, s, button, chooser));
      list.append(el("li", { class: "scenario" },
        el("div", { class: "scenario-text" },
          el("strong", {}, s.title || s.name),
          el("span", { class: "meta" }, s.name + (duration ? " · " + duration : "") + (s.plan ? " · plan " + s.plan : "")),
          s.summary ? el("span", { class: "summary" }, s.summary) : null,
          teams.length ? el("span", { class: "meta" }, "Teams: " + teams.map((t) => t.title || t.name).join(", ")) : null,
          chooser),
        button));
    }
    loadExercises(token);
  }

  // teamChooser lets the admin choose the teams in play: every team that is not external,
  // unless some are unticked. External teams are played by control and always get a code.
  function teamChooser(scenario, teams) {
    const playable = teams.filter((t) => !t.external);
    const external = teams.filter((t) => t.external);
    const summary = el("summary", {}, "Teams in play: all " + playable.length);
    const box = el("details", { class: "team-chooser", "data-scenario": scenario.name }, summary);
    for (const t of playable) {
      const id = "play-" + scenario.name + "-" + t.name;
      const input = el("input", { type: "checkbox", id, value: t.name, checked: true });
      input.addEventListener("change", () => {
        const n = box.querySelectorAll("input:checked").length;
        summary.textContent = "Teams in play: " + (n === playable.length ? "all " + n : n + " of " + playable.length);
      });
      box.append(el("div", { class: "option" }, input, el("label", { for: id }, t.title || t.name)));
    }
    if (external.length) {
      box.append(el("p", { class: "hint" }, "Played by control (external): " + external.map((t) => t.title || t.name).join(", ")));
    }
    return box;
  }

  function forgetAdmin() {
    store.remove("admin");
    $("#admin").hidden = true;
    $("#token-form").hidden = false;
  }

  async function loadExercises(token) {
    const list = clear($("#exercises"));
    let exercises;
    try {
      exercises = await api("GET", "/api/exercises", token);
    } catch (err) {
      list.append(el("li", { class: "error" }, err.message));
      return;
    }
    if (exercises && !Array.isArray(exercises)) exercises = exercises.exercises || [];
    if (!exercises.length) list.append(el("li", { class: "hint" }, "None yet."));
    for (const x of exercises) {
      list.append(el("li", {},
        el("strong", {}, x.title || x.scenario || x.id), " ",
        el("span", { class: "meta" }, [x.id, x.scenario, x.mode, x.status, x.sim_time ? ttx.formatOffset(x.sim_time) : ""].filter(Boolean).join(" · "))));
    }
  }

  async function create(token, scenario, button, chooser) {
    // Any number goes to the server, whose sentence says what it accepts; only an empty
    // field is caught here, since the server would read a missing speed as 1.
    const speed = parseFloat($("#speed").value);
    if (Number.isNaN(speed)) {
      say(status, "Speed: type the simulated seconds per real second, from 0.1 to 3600, such as 60.", "error");
      $("#speed").focus();
      return;
    }
    button.disabled = true;
    say(status, "Creating " + (scenario.title || scenario.name) + "…");
    let made;
    try {
      const mode = (document.querySelector("input[name=mode]:checked") || { value: "evaluation" }).value;
      const teams = Array.from(chooser.querySelectorAll("input[type=checkbox]:checked"), (i) => i.value);
      made = await api("POST", "/api/exercises", token, { scenario: scenario.name, speed, mode, teams });
    } catch (err) {
      say(status, err.message, "error");
      button.disabled = false;
      return;
    }
    button.disabled = false;
    say(status, "");
    const titles = {};
    for (const t of teamList(scenario.teams)) titles[t.name] = (t.title || t.name) + (t.external ? " (external, for control)" : "");
    store.set("facilitator", { token: made.facilitator_token, exercise: made.id });
    store.set("reviewer", { token: made.reviewer_token, exercise: made.id });
    store.set("codes." + made.id, { teams: made.teams, titles });
    const box = clear($("#created"));
    box.hidden = false;
    const codes = el("ul", { class: "codes" });
    // The scenario's team order, then any team the scenario list did not name.
    const order = Object.keys(titles).filter((t) => made.teams && t in made.teams);
    for (const team of Object.keys(made.teams || {})) if (!order.includes(team)) order.push(team);
    for (const team of order) {
      codes.append(el("li", {}, secret(titles[team] || team, made.teams[team], "code")));
    }
    box.append(
      el("h3", { tabindex: "-1", id: "created-title" }, "Exercise ready: " + (scenario.title || scenario.name) +
        (made.mode ? " (" + made.mode + " mode)" : "")),
      el("p", {}, "Give each team its join code: participants open ", el("strong", {}, location.origin + "/"),
        " and type it with their name. Keep the tokens private: anyone with the facilitator token can run the clock."),
      codes,
      secret("Facilitator token", made.facilitator_token, "token"),
      secret("Reviewer token", made.reviewer_token, "token"),
      ...(made.evaluator_token ? [secret("Evaluator token", made.evaluator_token, "token")] : []),
      el("p", {}, el("a", { class: "button primary", href: "/console", id: "open-console" }, "Open the facilitator console")));
    $("#created-title").focus();
    loadExercises(token);
  }

  const admin = store.get("admin", null);
  if (admin) showAdmin(admin);
})();
