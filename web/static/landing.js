// landing.js: the landing page. Join with a code, or use the admin token to start an
// exercise, or a facilitator token to open its console. Tokens live in sessionStorage only.
"use strict";

(() => {
  const { el, $, clear, store, api, onToken, say, secret, humanDuration, parseDuration, estimateRealTime } = ttx;

  // Join: remember code and name for /play, which connects with them.
  const join = store.get("play", null);
  if (join) {
    $("#join-code").value = join.code || "";
    $("#join-name").value = join.name || "";
  }
  // A handout's QR code opens /#join=CODE: the code comes in the fragment, which never
  // reaches a server, and leaves the address bar at once.
  const fromHandout = /^#join=([^&]+)$/.exec(location.hash);
  if (fromHandout) {
    $("#join-code").value = decodeURIComponent(fromHandout[1]);
    history.replaceState(null, "", location.pathname);
    $("#join-name").value = join && join.code === $("#join-code").value ? join.name || "" : "";
    $("#join-name").focus();
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

  onToken(status, (token, who) => {
    $("#token").value = "";
    if (who.role === "admin") {
      store.set("admin", token);
      say(status, "");
      showAdmin(token);
    } else if (who.role === "facilitator") {
      saveToken(who.exercise, "facilitator", token);
      store.set("facilitator", { token, exercise: who.exercise });
      location.assign("/console?exercise=" + encodeURIComponent(who.exercise));
    } else if (who.role === "reviewer") {
      saveToken(who.exercise, "reviewer", token);
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

  // saveToken keeps an exercise's token under its own key: a new exercise never overwrites
  // another's tokens in this tab.
  function saveToken(exercise, role, token) {
    store.set("tokens." + exercise, Object.assign({}, store.get("tokens." + exercise, {}), { [role]: token }));
  }

  // estimate says how long a scenario plays in real time at the speed in the field.
  function estimate(duration) {
    const speed = parseFloat($("#speed").value);
    const real = estimateRealTime(duration, speed);
    return real ? "about " + real + " of real time at " + speed + "×" : "";
  }

  $("#speed").addEventListener("input", () => {
    for (const node of document.querySelectorAll(".estimate[data-duration]")) node.textContent = estimate(parseFloat(node.dataset.duration));
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
      const seconds = parseDuration(s.duration);
      const duration = humanDuration(seconds);
      const button = el("button", { type: "button", class: "primary", "data-scenario": s.name }, "Create exercise");
      const chooser = teamChooser(s, teams);
      button.addEventListener("click", () => create(token, s, button, chooser));
      list.append(el("li", { class: "scenario" },
        el("div", { class: "scenario-text" },
          el("strong", {}, s.title || s.name),
          el("span", { class: "meta" }, s.name + (duration ? " · " + duration : "") + (s.plan ? " · plan " + s.plan : "")),
          s.summary ? el("span", { class: "summary" }, s.summary) : null,
          isFinite(seconds) ? el("span", { class: "meta estimate", "data-duration": seconds }, estimate(seconds)) : null,
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
    // The list is where the admin opens any exercise's console: open it once there is one.
    if (exercises.length) $("#exercises-box").open = true;
    for (const x of exercises) {
      const q = "?exercise=" + encodeURIComponent(x.id);
      list.append(el("li", { class: "exercise", "data-exercise": x.id },
        el("span", { class: "exercise-text" },
          el("strong", {}, x.title || x.scenario || x.id), " ",
          el("span", { class: "meta" }, [x.id, x.scenario, x.mode, x.status, x.sim_time ? ttx.formatOffset(x.sim_time) : ""].filter(Boolean).join(" · "))),
        el("span", { class: "exercise-links" },
          el("a", { class: "button open-console", href: "/console" + q, "aria-label": "Open the console of " + (x.title || x.id) + " (" + x.id + ")" }, "Console"),
          el("a", { class: "button open-handout", href: "/handout" + q, "aria-label": "Print the join handout of " + (x.title || x.id) + " (" + x.id + ")" }, "Handout"),
          replaceButton(token, x)),
        el("div", { class: "replaced", "data-exercise": x.id, "aria-live": "polite" })));
    }
  }

  // replaceButton gives the admin a new facilitator token for exercise x, for a facilitator
  // who lost theirs: the old one stops working.
  function replaceButton(token, x) {
    const label = el("span", {}, "New facilitator token");
    const button = el("button", { type: "button", class: "replace-token" }, label,
      el("span", { class: "visually-hidden" }, " for " + (x.title || x.id) + " (" + x.id + ")"));
    button.addEventListener("click", async () => {
      const box = document.querySelector('.replaced[data-exercise="' + CSS.escape(x.id) + '"]');
      if (button.dataset.armed !== "yes") {
        button.dataset.armed = "yes";
        label.textContent = "Really replace it?";
        say(clear(box).appendChild(el("p", { class: "status" })), "The facilitator's current token will stop working.", "");
        return;
      }
      button.dataset.armed = "";
      label.textContent = "New facilitator token";
      try {
        const made = await api("POST", "/api/exercises/" + encodeURIComponent(x.id) + "/facilitator-token", token, {});
        saveToken(x.id, "facilitator", made.facilitator_token);
        clear(box).append(secret("New facilitator token", made.facilitator_token, "token"));
      } catch (err) {
        say(clear(box).appendChild(el("p", { class: "status" })), err.message, "error");
      }
    });
    return button;
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
    saveToken(made.id, "facilitator", made.facilitator_token);
    saveToken(made.id, "reviewer", made.reviewer_token);
    store.set("facilitator", { token: made.facilitator_token, exercise: made.id });
    store.set("reviewer", { token: made.reviewer_token, exercise: made.id });
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
      el("p", {}, el("a", { class: "button primary", href: "/console?exercise=" + encodeURIComponent(made.id), id: "open-console" }, "Open the facilitator console"), " ",
        el("a", { class: "button", href: "/handout?exercise=" + encodeURIComponent(made.id), id: "open-handout" }, "Print the handout with QR codes")));
    $("#created-title").focus();
    loadExercises(token);
  }

  const admin = store.get("admin", null);
  if (admin) showAdmin(admin);
})();
