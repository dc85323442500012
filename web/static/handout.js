// handout.js: the printable join handout of an exercise (/handout?exercise=ID): per team its
// title, its join code, a QR code of the join URL and the address participants open. The
// codes come from GET /api/exercises/:id/codes with the tab's facilitator or admin token.
"use strict";

(() => {
  const { el, $, clear, store, api, onToken, say } = ttx;
  const id = new URLSearchParams(location.search).get("exercise") || (store.get("facilitator", null) || {}).exercise;

  function tokenFor(exercise) {
    const tokens = store.get("tokens." + exercise, null);
    if (tokens && tokens.facilitator) return tokens.facilitator;
    const last = store.get("facilitator", null);
    if (last && last.exercise === exercise) return last.token;
    return store.get("admin", null);
  }

  function askToken(message) {
    $("#handout").hidden = true;
    $("#token-box").hidden = false;
    say($("#token-status"), message || "", message ? "error" : "");
  }

  onToken($("#token-status"), (token, who) => {
    if (who.role === "admin") store.set("admin", token);
    else if (who.role === "facilitator") store.set("tokens." + who.exercise, Object.assign({}, store.get("tokens." + who.exercise, {}), { facilitator: token }));
    else {
      say($("#token-status"), "The handout needs the exercise's facilitator token or the admin token.", "error");
      return;
    }
    $("#token").value = "";
    show(id || who.exercise, token);
  });

  $("#print").addEventListener("click", () => window.print());

  async function show(exercise, token) {
    if (!exercise) {
      askToken("");
      return;
    }
    let codes;
    try {
      codes = await api("GET", "/api/exercises/" + encodeURIComponent(exercise) + "/codes", token);
    } catch (err) {
      askToken(err.message);
      return;
    }
    $("#token-box").hidden = true;
    $("#handout").hidden = false;
    document.title = "ttx handout: " + (codes.title || exercise);
    $("#handout-title").textContent = "Join: " + (codes.title || exercise);
    $("#join-page").textContent = codes.join_page;
    $("#back").href = "/console?exercise=" + encodeURIComponent(exercise);
    const cards = clear($("#cards"));
    for (const t of codes.teams || []) {
      cards.append(el("li", { class: "handout-card", "data-team": t.team },
        el("h2", { class: "card-team" }, t.title || t.team, t.external ? el("span", { class: "meta" }, " (external, played by control)") : null),
        el("img", { class: "qr", src: "data:image/png;base64," + t.qr_png, alt: "QR code to join as " + (t.title || t.team), width: "200", height: "200" }),
        el("p", { class: "card-code" }, el("span", { class: "visually-hidden" }, "Join code: "), el("code", {}, t.code)),
        el("p", { class: "card-url" }, t.url)));
    }
    if (!(codes.teams || []).length) cards.append(el("li", { class: "hint" }, "This exercise keeps no join codes to show (it was created before ttx kept them)."));
  }

  const token = id ? tokenFor(id) : null;
  if (id && token) show(id, token);
  else askToken("");
})();
