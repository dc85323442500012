#!/usr/bin/python3
"""An outsider's participant client for ttx, written from docs/design/protocol.md (the
WebSocket protocol), scale.md (replicas) and PRODUCT.md alone, without reading the server.

Given the base URLs of one or more replicas, an exercise id and join codes, it joins several
participants spread over the replicas. Each sends responses (act, note, escalate) with refs,
waits for their acks, and when its connection drops reconnects to the next replica and
resumes: a hello with the last seq it saw and the participant id the first welcome gave, then
every ref not yet acked sent again. It checks, as the contract promises:

  - its feed never goes back or repeats: every event's seq is above the last one seen, across
    reconnections to other replicas ("a reconnecting client ... misses nothing");
  - a ref is acked with one seq only, even when sent again ("acked with the same seq and
    recorded once"), and no two refs share a seq; after each reconnection it sends its last
    acked ref again too, as a client whose ack was lost with the connection would;
  - an acked act or note is in its own team's feed under the acked seq, with the kind the
    command records (action_recorded, note);
  - nothing it sends is refused (every action it takes is in the plan; "wrong_owner" is not an
    error), and its join code and participant id are accepted on every replica;
  - at the end, for each participant and on every replica given, a fresh hello with since 0
    replays exactly the feed it collected live, up to the last seq it saw: no gap, nothing the
    live feed had that the log does not, and every replica serves the exercise.

It prints a JSON summary to stdout and exits 1 on any violation (2 on bad arguments).

Where protocol.md leaves something open, this client does what the text most sensibly says:

  1. welcome's `seq` is read as the log's last seq when the welcome was sent (the example
     answers 41 and the next event is 42), not as the last seq the participant may see; the
     client only checks that it never goes below the last seq it saw.
  2. welcome "lists [the plan's] actions (title, owner, phase, due, escalate_to)" but neither
     names the field that holds the list nor gives an action the key `act` takes ("action":
     "contain_hosts"). The client looks for a list of objects under welcome.plan.actions,
     welcome.plan or welcome.actions and takes each one's `name` (else `key`, else `id`);
     `--action` names actions explicitly instead.
  3. The payload of action_recorded, note and escalation events is not given (only
     inject_delivered has an example), so the client checks an acked response's event by kind
     and, where the event has a `text`, by text.
  4. "A participant sees the events addressed to its team or to everyone": whether an
     escalation from team A to team B is "addressed to" A is not said. The client checks acked
     acts and notes in its feed; an escalation missing from the sender's feed is reported
     (`escalations_not_in_feed`) but is no violation.
  5. The closing codes or messages of a dropped connection are not specified; any close or
     socket error is treated as "reconnect elsewhere".
  6. Origin: "the server checks Origin against its own host"; the client sends the replica's
     own base URL as Origin.
  7. Nothing says whether a `hello` refused with an `error` closes the connection; the client
     counts it as a violation (a valid join code and participant id must be accepted by every
     replica, scale.md) and tries the next replica.
  8. protocol.md sets no rate limit on a participant's messages, yet the server refused this
     client's responses, sent as fast as their acks came back, with
     {"type": "error", "ref": …, "error": "slow down: at most 20 messages a second"}. Only
     then did the author read the project's API page (docs/api.md, which protocol.md v2 names
     as the place for a server's additions): "more than 20 messages a second (bursts of 50)".
     A limit that refuses what the contract lets a client send weakens the contract, and the
     error's text is the only way to tell it from a real refusal. The client paces each
     participant (--interval, 0.1 s: 10 a second) and still counts any error as a violation.
  9. An `error` answering a ref means, as the text reads, that nothing was recorded: the ref
     stops being pending (it is not sent again) and is reported under `refused`.
 10. "Two people with one name" contradicts itself for a client that does what it says. A
     first hello has no participant id (the client has none yet); "a hello without one is
     keyed by team and name"; welcome then gives an id, which "a client presents in later
     hellos, and refs are keyed by it". So a ref sent on the first connection and sent again
     after a reconnection (with the id) is looked up under another key and recorded twice,
     although the same paragraph promises that "a client that reconnects and resends a ref is
     still recorded once" (and v1: "acked with the same seq and recorded once"). ttx does
     exactly that (an escalation acked with seq 60, sent again after a reconnection to another
     replica, acked 66 and stored twice). To keep within what the contract promises, each
     participant first says hello and leaves, taking the id, and responds only on
     connections whose hello presents it; --respond-before-id responds on the first
     connection instead and shows the double.
     [ttx's answer, added after: the server now keys the refs of an id-less hello by the id
     its welcome hands out as well as by name, so the double is gone; the Go test runs this
     client with --respond-before-id.]

Usage:
  ttx_outsider.py --replica http://127.0.0.1:8081 --replica http://127.0.0.1:8082 \
      --exercise ID --code JOIN-CODE [--code JOIN-CODE…] [--participants 6] \
      [--responses 50 | --until-stdin-closes | --duration 30]

With --until-stdin-closes the participants keep sending until the client's stdin reaches end
of file (a test closes the pipe when it has done its damage), then drain their acks, check and
report. Progress lines go to stderr.
"""

import argparse
import asyncio
import json
import signal
import sys
import threading
import time
import urllib.parse

import websockets

RESPONSE_EVENT_KIND = {"act": "action_recorded", "note": "note", "escalate": "escalation"}


def ws_url(base):
    """The /ws address of a replica's base URL (http→ws, https→wss)."""
    u = urllib.parse.urlsplit(base.rstrip("/"))
    scheme = {"http": "ws", "https": "wss"}.get(u.scheme, u.scheme)
    return urllib.parse.urlunsplit((scheme, u.netloc, u.path + "/ws", "", ""))


def origin_of(base):
    u = urllib.parse.urlsplit(base)
    return f"{u.scheme}://{u.netloc}"


def plan_actions(welcome):
    """The names of the plan's actions that welcome lists (see note 2 above)."""
    candidates = []
    plan = welcome.get("plan")
    if isinstance(plan, dict):
        candidates.append(plan.get("actions"))
    candidates.append(plan)
    candidates.append(welcome.get("actions"))
    for c in candidates:
        if isinstance(c, list) and c and all(isinstance(a, dict) for a in c):
            names = []
            for a in c:
                for key in ("name", "key", "id"):
                    if isinstance(a.get(key), str) and a[key]:
                        names.append(a[key])
                        break
            if names:
                return names
    return []


class Shared:
    """What the participants learn together: the teams in play, the actions, the stop."""

    def __init__(self, args):
        self.args = args
        self.violations = []
        self.teams = set()
        self.actions = list(args.action)
        self.actions_source = "--action" if args.action else None
        self.stop = asyncio.Event()
        self.started = time.monotonic()

    def violate(self, who, what):
        line = f"{who}: {what}"
        self.violations.append(line)
        log(f"VIOLATION {line}")


def log(msg):
    print(f"[outsider {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Participant:
    def __init__(self, shared, index, code):
        self.shared = shared
        self.args = shared.args
        self.index = index
        self.name = f"Outsider {index + 1}"
        self.code = code
        self.cursor = index % len(self.args.replica)  # spread over the replicas
        self.team = None
        self.pid = None
        self.last_seq = 0
        self.feed = []  # [(seq, kind, event)] in arrival order
        self.feed_by_seq = {}
        self.refs = {}  # ref -> {"msg", "kind", "seq", "sends"}
        self.order = []  # refs in the order first sent
        self.next_ref = 1
        self.connections = 0
        self.retried_acked = 0  # acked refs sent again after a reconnection
        self.replicas_used = []
        self.replayed_on = []
        self.acked_changed = asyncio.Event()

    # --- bookkeeping -------------------------------------------------------------------

    def violate(self, what):
        self.shared.violate(self.name, what)

    def pending(self):
        return [r for r in self.order if self.refs[r]["seq"] is None and "error" not in self.refs[r]]

    def acked_count(self):
        return sum(1 for r in self.order if self.refs[r]["seq"] is not None)

    def new_response(self):
        """The next response: acts, notes and escalations in turn, each with a fresh ref."""
        k = self.next_ref
        self.next_ref += 1
        ref = f"r{k}"
        others = sorted(t for t in self.shared.teams if t != self.team)
        choices = ["note"]
        if self.shared.actions:
            choices.append("act")
        if others:
            choices.append("escalate")
        kind = choices[k % len(choices)]
        text = f"{self.name} ({self.team}) response {k}"
        if kind == "act":
            acts = self.shared.actions
            msg = {"type": "act", "ref": ref, "action": acts[(k + self.index) % len(acts)]}
        elif kind == "escalate":
            msg = {"type": "escalate", "ref": ref, "to": others[k % len(others)], "text": text}
        else:
            msg = {"type": "note", "ref": ref, "text": text}
        self.refs[ref] = {"msg": msg, "kind": kind, "seq": None, "sends": 0}  # "error" once refused
        self.order.append(ref)
        return ref

    # --- one connection ----------------------------------------------------------------

    def hello(self, since):
        h = {"type": "hello", "code": self.code, "name": self.name, "since": since}
        if self.pid:
            h["participant"] = self.pid
        return h

    async def open(self, base, since):
        """Connects to one replica and says hello; returns (ws, welcome) or raises."""
        ws = await websockets.connect(
            ws_url(base),
            origin=origin_of(base),
            open_timeout=5,
            close_timeout=1,
            max_size=8 << 20,
        )
        try:
            await ws.send(json.dumps(self.hello(since)))
            first = json.loads(await asyncio.wait_for(ws.recv(), 10))
        except BaseException:
            await ws.close()
            raise
        if first.get("type") != "welcome":
            await ws.close()
            raise Refused(f"hello answered with {first!r}")
        return ws, first

    def take_welcome(self, welcome, base):
        if welcome.get("role") != "participant":
            self.violate(f"welcome from {base} names role {welcome.get('role')!r}")
        team = welcome.get("team")
        if self.team is None:
            self.team = team
            self.shared.teams.add(team)
        elif team != self.team:
            self.violate(f"welcome from {base} names team {team!r}, was {self.team!r}")
        pid = welcome.get("participant")
        if self.pid is None:
            if not pid:
                self.violate("welcome carries no participant id (protocol.md, v2)")
            self.pid = pid
        elif pid != self.pid:
            self.violate(f"welcome from {base} gives participant {pid!r}, was {self.pid!r}")
        seq = welcome.get("seq")
        if not isinstance(seq, int) or seq < self.last_seq:
            self.violate(f"welcome from {base} has seq {seq!r} below the last seen {self.last_seq}")
        ex = welcome.get("exercise") or {}
        if ex.get("id") not in (None, self.args.exercise):
            self.violate(f"welcome from {base} is for exercise {ex.get('id')!r}")
        if self.shared.actions_source is None:
            names = plan_actions(welcome)
            if names:
                self.shared.actions = names
                self.shared.actions_source = "welcome"

    def take(self, m, base):
        """One message from the server on the live connection."""
        t = m.get("type")
        if t == "event":
            seq = m.get("seq")
            if not isinstance(seq, int):
                self.violate(f"event without an integer seq: {m!r}")
                return
            if seq <= self.last_seq:
                what = "again" if seq in self.feed_by_seq else "out of order"
                self.violate(f"event seq {seq} from {base} {what} after {self.last_seq}")
                return
            self.last_seq = seq
            self.feed.append((seq, m.get("kind"), m))
            self.feed_by_seq[seq] = m
        elif t == "ack":
            ref, seq = m.get("ref"), m.get("seq")
            r = self.refs.get(ref)
            if r is None:
                self.violate(f"ack for a ref never sent: {m!r}")
            elif not isinstance(seq, int):
                self.violate(f"ack without an integer seq: {m!r}")
            elif r["seq"] is None:
                r["seq"] = seq
                self.acked_changed.set()
            elif r["seq"] != seq:
                self.violate(f"ref {ref} acked with seq {seq} after seq {r['seq']}")
        elif t == "error":
            r = self.refs.get(m.get("ref"))
            if r is not None and r["seq"] is None:
                r["error"] = m.get("error")  # refused: not recorded, no longer pending
                self.acked_changed.set()
            self.violate(f"error from {base}: {m!r}")
        else:
            self.violate(f"message of unknown type from {base}: {m!r}")

    async def session(self, base, welcome, ws):
        """Resends what is un-acked, then sends new responses (a few in flight) while the
        reader takes events and acks, until the connection drops or the work is done."""
        again = self.pending()
        if self.connections > 1:
            # As if the last ack had been lost with the connection: the same ref again must be
            # acked with the same seq and recorded once, on whichever replica.
            acked = [r for r in self.order if self.refs[r]["seq"] is not None]
            again = acked[-1:] + again
            self.retried_acked += len(acked[-1:])
        for ref in again:
            self.refs[ref]["sends"] += 1
            await ws.send(json.dumps(self.refs[ref]["msg"]))

        async def reader():
            async for raw in ws:
                try:
                    m = json.loads(raw)
                except ValueError:
                    self.violate(f"malformed JSON from {base}: {raw!r:.200}")
                    continue
                self.take(m, base)

        async def writer():
            while True:
                if self.done_sending():
                    if not self.pending():
                        return
                elif len(self.pending()) < self.args.window:
                    ref = self.new_response()
                    self.refs[ref]["sends"] += 1
                    await ws.send(json.dumps(self.refs[ref]["msg"]))
                    if self.args.interval:
                        await asyncio.sleep(self.args.interval)
                    continue
                self.acked_changed.clear()
                waits = [asyncio.ensure_future(self.acked_changed.wait())]
                if not self.shared.stop.is_set():
                    waits.append(asyncio.ensure_future(self.shared.stop.wait()))
                _, rest = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for f in rest:
                    f.cancel()

        rd = asyncio.ensure_future(reader())
        wr = asyncio.ensure_future(writer())
        done, _ = await asyncio.wait([rd, wr], return_when=asyncio.FIRST_COMPLETED)
        if wr in done and wr.exception() is None:
            # Everything sent is acked; read on briefly so the acked events reach the feed.
            try:
                await asyncio.wait_for(self.await_own_events(), self.args.drain)
            except asyncio.TimeoutError:
                pass
        rd.cancel()
        wr.cancel()
        await asyncio.gather(rd, wr, return_exceptions=True)
        await ws.close()
        return wr in done and wr.exception() is None

    async def await_own_events(self):
        while any(
            r["seq"] is not None and r["seq"] > self.last_seq and r["kind"] != "escalate"
            for r in self.refs.values()
        ):
            await asyncio.sleep(0.05)

    def done_sending(self):
        if self.args.responses is not None:
            return self.next_ref > self.args.responses
        return self.shared.stop.is_set()

    # --- the participant's life --------------------------------------------------------

    async def run(self):
        deadline = None
        failures = 0
        while True:
            if self.shared.stop.is_set() and deadline is None:
                deadline = time.monotonic() + self.args.drain_timeout
            if deadline is not None and time.monotonic() > deadline:
                self.violate(f"{len(self.pending())} refs still un-acked at the deadline")
                return
            base = self.args.replica[self.cursor % len(self.args.replica)]
            try:
                ws, welcome = await self.open(base, self.last_seq)
            except Refused as e:
                self.violate(f"{base} refused the hello: {e}")
                failures += 1
                self.cursor += 1
                await asyncio.sleep(min(0.05 * failures, 1))
                continue
            except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as e:
                failures += 1
                self.cursor += 1  # that replica is down: the next one
                await asyncio.sleep(min(0.05 * failures, 1))
                if failures % 20 == 0:
                    log(f"{self.name}: {failures} failed connections, last {base}: {e!r}")
                continue
            failures = 0
            self.connections += 1
            self.replicas_used.append(base)
            self.take_welcome(welcome, base)
            if self.connections > 1:
                log(f"{self.name}: reconnected to {base} since {self.last_seq}, "
                    f"resending {len(self.pending())}")
            try:
                finished = await self.session(base, welcome, ws)
            except (OSError, websockets.exceptions.WebSocketException):
                finished = False
            if finished:
                return
            self.cursor += 1  # a dropped connection: another replica

    async def replay(self, base):
        """A fresh hello with since 0 on one replica: its feed up to the last seq seen live
        must be the live feed exactly."""
        if self.last_seq == 0:
            return
        try:
            ws, welcome = await self.open(base, 0)
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            self.violate(f"replay on {base}: {e!r}")
            return
        got = []
        try:
            async def collect():
                async for raw in ws:
                    m = json.loads(raw)
                    if m.get("type") == "event":
                        got.append(m.get("seq"))
                        if m.get("seq", 0) >= self.last_seq:
                            return
            await asyncio.wait_for(collect(), self.args.drain_timeout)
        except (asyncio.TimeoutError, websockets.exceptions.WebSocketException, OSError) as e:
            self.violate(f"replay on {base} stopped at {got[-1:] or 'nothing'}: {e!r}")
        finally:
            await ws.close()
        live = [s for s, _, _ in self.feed]
        replayed = [s for s in got if isinstance(s, int) and s <= self.last_seq]
        if replayed != live:
            missing = sorted(set(replayed) - set(live))
            extra = sorted(set(live) - set(replayed))
            self.violate(
                f"replay on {base} differs from the live feed: the live feed missed "
                f"{missing[:20]}, the replay lacks {extra[:20]}"
            )
        self.replayed_on.append(base)

    def check(self):
        seqs = {}
        not_in_feed = []
        for ref in self.order:
            r = self.refs[ref]
            if r["seq"] is None:
                continue
            if r["seq"] in seqs:
                self.violate(f"refs {seqs[r['seq']]} and {ref} acked with one seq {r['seq']}")
            seqs[r["seq"]] = ref
            ev = self.feed_by_seq.get(r["seq"])
            if ev is None:
                if r["kind"] == "escalate":
                    not_in_feed.append(ref)
                else:
                    self.violate(f"{r['kind']} {ref} acked with seq {r['seq']}, not in the feed")
                continue
            want = RESPONSE_EVENT_KIND[r["kind"]]
            if ev.get("kind") != want:
                self.violate(f"{ref} acked with seq {r['seq']}, a {ev.get('kind')!r} event, not {want}")
            text = r["msg"].get("text")
            if text is not None and isinstance(ev.get("text"), str) and ev["text"] != text:
                self.violate(f"{ref} acked with seq {r['seq']}, whose text is {ev['text']!r}")
        return not_in_feed

    def summary(self, not_in_feed):
        return {
            "name": self.name,
            "team": self.team,
            "participant": self.pid,
            "acked": {ref: self.refs[ref]["seq"] for ref in self.order if self.refs[ref]["seq"] is not None},
            "responses": {
                ref: {"kind": self.refs[ref]["kind"], "sent": self.refs[ref]["msg"], "sends": self.refs[ref]["sends"]}
                for ref in self.order
            },
            "unacked": self.pending(),
            "refused": {ref: self.refs[ref]["error"] for ref in self.order if "error" in self.refs[ref]},
            "feed": [{"seq": s, "kind": k} for s, k, _ in self.feed],
            "connections": self.connections,
            "retried_acked": self.retried_acked,
            "replicas_used": self.replicas_used,
            "replayed_on": self.replayed_on,
            "escalations_not_in_feed": not_in_feed,
        }


class Refused(Exception):
    pass


def watch_stdin(loop, stop):
    def wait():
        sys.stdin.buffer.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait, daemon=True).start()


async def progress(shared, people):
    while not shared.stop.is_set():
        try:
            await asyncio.wait_for(shared.stop.wait(), 0.2)
        except asyncio.TimeoutError:
            pass
        acked = sum(p.acked_count() for p in people)
        log(f"progress acked={acked} connections={sum(p.connections for p in people)}")


async def main(args):
    shared = Shared(args)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, shared.stop.set)
    if args.until_stdin_closes:
        watch_stdin(loop, shared.stop)
    if args.duration:
        loop.call_later(args.duration, shared.stop.set)

    people = [Participant(shared, i, args.code[i % len(args.code)]) for i in range(args.participants)]
    # Each participant says hello once before it responds, to learn the teams in play, the
    # plan's actions and its participant id, which every later hello presents (note 10).
    # With --respond-before-id only the first of each code does, and the others respond on a
    # connection whose hello had no id.
    for p in people[: len(args.code)] if args.respond_before_id else people:
        base = args.replica[p.cursor]
        ws, welcome = await p.open(base, 0)
        p.take_welcome(welcome, base)
        await ws.close()
    ticker = asyncio.ensure_future(progress(shared, people))
    await asyncio.gather(*(p.run() for p in people))
    shared.stop.set()
    await ticker
    for p in people:
        for base in args.replica:
            await p.replay(base)
    report = {
        "exercise": args.exercise,
        "replicas": args.replica,
        "actions": shared.actions,
        "actions_source": shared.actions_source,
        "teams": sorted(t for t in shared.teams if t),
        "seconds": round(time.monotonic() - shared.started, 2),
        "participants": [p.summary(p.check()) for p in people],
    }
    report["violations"] = shared.violations
    report["ok"] = not shared.violations
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if report["ok"] else 1


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replica", action="append", required=True, help="a replica's base URL (repeat)")
    ap.add_argument("--exercise", required=True, help="the exercise id")
    ap.add_argument("--code", action="append", required=True, help="a team's join code (repeat)")
    ap.add_argument("--participants", type=int, default=6)
    ap.add_argument("--action", action="append", default=[], help="a plan action to act (repeat)")
    ap.add_argument("--responses", type=int, help="responses per participant, then stop")
    ap.add_argument("--until-stdin-closes", action="store_true")
    ap.add_argument("--duration", type=float, help="seconds of sending, then stop")
    ap.add_argument("--window", type=int, default=3, help="un-acked responses in flight")
    ap.add_argument("--interval", type=float, default=0.1, help="seconds between a participant's responses")
    ap.add_argument("--drain", type=float, default=2, help="seconds to wait for own events")
    ap.add_argument("--respond-before-id", action="store_true",
                    help="respond on the first connection, before the participant has an id (note 10)")
    ap.add_argument("--drain-timeout", type=float, default=30, help="seconds to get every ack")
    args = ap.parse_args(argv)
    if args.responses is None and not args.until_stdin_closes and not args.duration:
        ap.error("say when to stop: --responses, --until-stdin-closes or --duration")
    if args.participants < 1 or args.window < 1:
        ap.error("--participants and --window must be at least 1")
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse(sys.argv[1:]))))
